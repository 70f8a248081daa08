package dev.weft.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.identity.PolicyException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the {@code privacy:} section of a policy file (the identity part is read by the identity
 * policy parser; each reads the same file and ignores the other's section). A problem stops the
 * run at start with the file, the place ({@code privacy.rules[1].action}) and what is wrong.
 */
final class PrivacyPolicyParser {
  private static final Set<String> SECTION = Set.of("builtins", "rules");
  private static final Set<String> RULE = Set.of("name", "keys", "key-contains", "values",
      "action");

  private final String source;

  PrivacyPolicyParser(String source) {
    this.source = source;
  }

  PrivacyPolicy parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new PolicyException(source, "(syntax)", "not valid YAML: " + e.getOriginalMessage());
    }
    JsonNode section = root == null ? null : root.get("privacy");
    if (section == null || section.isNull()) {
      return PrivacyPolicy.builtins();
    }
    if (!section.isObject()) {
      throw fail("privacy", "'privacy' must be a mapping with 'rules' (and 'builtins')");
    }
    onlyKeys(section, "privacy", SECTION);
    boolean builtins = true;
    if (section.has("builtins")) {
      if (!section.get("builtins").isBoolean()) {
        throw fail("privacy.builtins", "'builtins' must be true or false");
      }
      builtins = section.get("builtins").booleanValue();
    }
    List<PrivacyRule> rules = new ArrayList<>();
    JsonNode list = section.get("rules");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw fail("privacy.rules", "'rules' must be a list, first match first");
      }
      for (int i = 0; i < list.size(); i++) {
        rules.add(rule(list.get(i), "privacy.rules[" + i + "]", i));
      }
    }
    return PrivacyPolicy.of(rules, builtins);
  }

  private PrivacyRule rule(JsonNode node, String at, int index) {
    if (!node.isObject()) {
      throw fail(at, "a rule is a mapping with 'keys', 'key-contains' or 'values', and 'action'");
    }
    onlyKeys(node, at, RULE);
    String name = node.has("name") ? text(node.get("name"), at + ".name") : "rule-" + index;
    List<String> keys = names(node.get("keys"), at + ".keys");
    List<String> parts = names(node.get("key-contains"), at + ".key-contains");
    Optional<ValueKind> values = Optional.empty();
    if (node.has("values")) {
      String v = text(node.get("values"), at + ".values");
      values = Optional.of(ValueKind.byPolicyName(v).orElseThrow(() -> fail(at + ".values",
          "unknown kind of value '" + v + "'; known: " + known(ValueKind.values()))));
    }
    if (values.isPresent() == !(keys.isEmpty() && parts.isEmpty())) {
      throw fail(at, "a rule names either 'keys' / 'key-contains' or 'values', not "
          + (values.isPresent() ? "both" : "neither"));
    }
    if (!node.has("action")) {
      throw fail(at + ".action", "'action' is required; known: " + known(PrivacyAction.values()));
    }
    String a = text(node.get("action"), at + ".action");
    PrivacyAction action = PrivacyAction.byPolicyName(a).orElseThrow(() -> fail(at + ".action",
        "unknown action '" + a + "'; known: " + known(PrivacyAction.values())));
    if (action == PrivacyAction.REDACT_LITERALS && values.isPresent()) {
      throw fail(at + ".action", "'redact-literals' applies to named keys (db.statement), not to "
          + "values found by their shape");
    }
    return new PrivacyRule(name, keys, parts, values, action);
  }

  private List<String> names(JsonNode node, String at) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw fail(at, "must be a non-empty list of names");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(text(node.get(i), at + "[" + i + "]"));
    }
    return out;
  }

  private String text(JsonNode v, String at) {
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw fail(at, "must be a non-empty text");
    }
    return v.asText().trim();
  }

  private void onlyKeys(JsonNode node, String at, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw fail(at + "." + n, "unknown key '" + n + "'; expected one of "
            + new TreeSet<>(allowed));
      }
    }
  }

  private static String known(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v instanceof PrivacyAction a ? a.policyName()
        : ((ValueKind) v).policyName()).collect(Collectors.joining(", "));
  }

  private PolicyException fail(String place, String problem) {
    return new PolicyException(source, place, problem);
  }
}
