package dev.weft.identity;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weft.identity.IdentityPolicy.Block;
import dev.weft.identity.IdentityPolicy.EntityType;
import dev.weft.identity.IdentityPolicy.Rule;
import dev.weft.model.EventKind;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a policy file and checks everything a run would otherwise discover late. Every problem is
 * reported with the file, the place (a path like {@code types[1].rules[0].weight} and its line)
 * and what is wrong, so a person can fix the file without reading code.
 */
final class PolicyParser {
  // "privacy" is read by dev.weft.privacy.PrivacyPolicyParser from the same file.
  private static final Set<String> TOP = Set.of("version", "extends", "floor", "normalize",
      "subject", "types", "privacy");
  private static final Set<String> TYPE = Set.of("type", "prefix", "floor", "rules", "block",
      "blocks", "teach", "config-kinds", "comparisons", "prior", "margin", "link");
  private static final Set<String> COMPARISON = Set.of("name", "signal", "signals", "levels");
  private static final Set<String> LINK = Set.of("one-to-one", "cross-source-only");
  private static final Set<String> RULE = Set.of("name", "signals", "strong", "weight",
      "fallback");
  private static final Set<String> BLOCK = Set.of("signals", "normalize", "exclusive", "ttl",
      "look-back", "unordered");

  private final String source;
  private final Map<String, Integer> lines = new HashMap<>();

  PolicyParser(String source) {
    this.source = source;
  }

  IdentityPolicy parse(String yaml) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode root;
    try {
      indexLines(mapper, yaml);
      root = mapper.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String place = at == null ? "(syntax)" : "line " + at.getLineNr() + ", column "
          + at.getColumnNr();
      throw new PolicyException(source, place, "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PolicyException(source, "(file)", "cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw fail("", "the policy must be a mapping with 'floor', 'normalize', 'subject' and 'types'");
    }
    onlyKeys(root, "", TOP);
    if (root.has("version") && root.get("version").asInt(-1) != 1) {
      throw fail("/version", "unsupported version '" + root.get("version").asText()
          + "'; this Weft reads version 1");
    }
    Optional<IdentityPolicy> base = base(root);
    double floor = probability(root, "/floor", base.isEmpty())
        .orElseGet(() -> base.get().floor());
    Map<String, List<Normalizer>> normalizers = new LinkedHashMap<>();
    base.ifPresent(b -> normalizers.putAll(b.normalizers()));
    normalizers.putAll(normalizers(root.get("normalize"), "/normalize"));
    List<EntityType> own = root.has("types") || base.isEmpty()
        ? types(root.get("types"), floor) : List.of();
    List<EntityType> types = base.map(b -> extend(b.types(), own)).orElse(own);
    checkPrefixes(types);
    Map<String, List<String>> subjects = new LinkedHashMap<>();
    base.ifPresent(b -> subjects.putAll(b.subjects()));
    subjects.putAll(subjects(root.get("subject"), types));
    if (base.isPresent() && !root.has("subject")) {
      subjects.put("default", base.get().subjects().get("default"));
    }
    return new IdentityPolicy(source, floor, normalizers, subjects, types);
  }

  /** {@code extends: builtin}: the policy shipped in the jar, which this file amends. */
  private Optional<IdentityPolicy> base(JsonNode root) {
    if (!root.has("extends")) {
      return Optional.empty();
    }
    String name = text(root, "/extends");
    if (!name.equals("builtin")) {
      throw fail("/extends", "'extends' names the policy this file amends; only 'builtin' (the "
          + "policy shipped in the jar) is known, not '" + name + "'");
    }
    return Optional.of(IdentityPolicy.defaultPolicy());
  }

  /** The base's types, each replaced by this file's type of the same name; new types appended. */
  private static List<EntityType> extend(List<EntityType> base, List<EntityType> own) {
    Map<String, EntityType> byName = new LinkedHashMap<>();
    base.forEach(t -> byName.put(t.name(), t));
    own.forEach(t -> byName.put(t.name(), t));
    return List.copyOf(byName.values());
  }

  private void checkPrefixes(List<EntityType> types) {
    Set<String> prefixes = new HashSet<>();
    for (EntityType t : types) {
      if (!prefixes.add(t.prefix())) {
        throw fail("/types", "prefix '" + t.prefix() + "' is used by two types");
      }
    }
  }

  /** Remembers the line of every field, so semantic problems can name their line too. */
  private void indexLines(ObjectMapper mapper, String yaml) throws IOException {
    try (JsonParser p = mapper.getFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT
            || t == JsonToken.START_ARRAY) {
          String pointer = p.getParsingContext().pathAsPointer().toString();
          if (t == JsonToken.FIELD_NAME) {
            pointer = pointer.isEmpty() ? "/" + p.currentName() : pointer;
          }
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
    }
  }

  private List<EntityType> types(JsonNode node, double floor) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail("/types", "'types' must be a non-empty list of entity types");
    }
    List<EntityType> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> prefixes = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "/types/" + i;
      JsonNode t = node.get(i);
      if (!t.isObject()) {
        throw fail(at, "an entity type must be a mapping with 'type' and 'rules'");
      }
      onlyKeys(t, at, TYPE);
      String name = text(t, at + "/type");
      if (!names.add(name)) {
        throw fail(at + "/type", "entity type '" + name + "' is declared twice");
      }
      String prefix = t.has("prefix") ? text(t, at + "/prefix") : name;
      if (prefix.contains(":") || prefix.contains("~") || prefix.contains("|")) {
        throw fail(at + "/prefix", "prefix '" + prefix
            + "' must not contain ':', '~' or '|' (they separate parts of entity ids)");
      }
      if (!prefixes.add(prefix)) {
        throw fail(at + "/prefix", "prefix '" + prefix + "' is used by two types");
      }
      double typeFloor = probability(t, at + "/floor", false).orElse(floor);
      List<Rule> rules = t.has("rules") || !t.has("comparisons")
          ? rules(t.get("rules"), at + "/rules") : List.of();
      List<Comparison> comparisons = t.has("comparisons")
          ? comparisons(t.get("comparisons"), at + "/comparisons") : List.of();
      List<Block> blocks = blocks(t, at);
      boolean hasWeakRules = rules.stream().anyMatch(r -> !r.strong() && !r.fallback());
      if (hasWeakRules && !comparisons.isEmpty()) {
        throw fail(at + "/comparisons", "type '" + name + "' has both weighted rules and "
            + "comparisons; weak matching is scored one way: move the weak rules into "
            + "comparisons (a level 'exact' with a weight)");
      }
      boolean hasWeak = hasWeakRules || !comparisons.isEmpty();
      if (hasWeak && blocks.isEmpty()) {
        throw fail(at + "/rules", "type '" + name + "' has weak rules or comparisons but no "
            + "'block': weak signals are matched against candidates found by a blocking key");
      }
      if (!hasWeak && !blocks.isEmpty()) {
        throw fail(at + "/block", "type '" + name + "' has a 'block' but no weak rule uses it");
      }
      boolean teachAll = false;
      if (t.has("teach")) {
        String teach = text(t, at + "/teach");
        if (!teach.equals("strong") && !teach.equals("all")) {
          throw fail(at + "/teach", "'teach' is 'strong' (only strongly bound records teach "
              + "aliases) or 'all' (every decision teaches), not '" + teach + "'");
        }
        teachAll = teach.equals("all");
      }
      List<String> configKinds = t.has("config-kinds")
          ? strings(t.get("config-kinds"), at + "/config-kinds") : List.of();
      double prior = number(t, at + "/prior").orElse(0.0);
      if (t.has("prior") && comparisons.isEmpty()) {
        throw fail(at + "/prior", "'prior' is the log2 prior odds added to comparison weights; "
            + "type '" + name + "' has no comparisons");
      }
      double margin = number(t, at + "/margin").orElse(0.0);
      if (margin < 0) {
        throw fail(at + "/margin", "'margin' cannot be negative");
      }
      out.add(new EntityType(name, prefix, typeFloor, rules, blocks, teachAll, configKinds,
          comparisons, prior, margin, link(t.get("link"), at + "/link")));
    }
    return out;
  }

  private List<Rule> rules(JsonNode node, String at) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail(at, "'rules' must be a non-empty list, in priority order");
    }
    List<Rule> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String r = at + "/" + i;
      JsonNode rule = node.get(i);
      if (!rule.isObject()) {
        throw fail(r, "a rule must be a mapping with 'name', 'signals' and 'strong' or 'weight'");
      }
      onlyKeys(rule, r, RULE);
      String name = text(rule, r + "/name");
      if (!names.add(name)) {
        throw fail(r + "/name", "rule '" + name + "' is declared twice in this type");
      }
      List<String> signals = strings(rule.get("signals"), r + "/signals");
      if (new HashSet<>(signals).size() != signals.size()) {
        throw fail(r + "/signals", "a signal is listed twice");
      }
      boolean strong = false;
      if (rule.has("strong")) {
        if (!rule.get("strong").isBoolean()) {
          throw fail(r + "/strong", "'strong' must be true or false");
        }
        strong = rule.get("strong").booleanValue();
      }
      Optional<Double> weight = probability(rule, r + "/weight", false);
      boolean fallback = bool(rule, r + "/fallback");
      if (fallback) {
        if (strong || weight.isPresent()) {
          throw fail(r + "/fallback", "a fallback rule binds by its own key when no entity "
              + "claimed it and to the claiming entity otherwise; it is neither strong nor weighted");
        }
        if (out.stream().noneMatch(Rule::strong)) {
          throw fail(r + "/fallback", "fallback rule '" + name + "' must follow a strong rule: "
              + "only records bound by a stronger rule claim a weaker key");
        }
        out.add(new Rule(name, signals, false, 1.0, true));
        continue;
      }
      if (strong && weight.isPresent()) {
        throw fail(r + "/weight", "a strong rule binds alone; it takes no weight");
      }
      if (!strong && weight.isEmpty()) {
        throw fail(r, "rule '" + name + "' needs either 'strong: true' or a 'weight' in (0, 1]");
      }
      out.add(new Rule(name, signals, strong, strong ? 1.0 : weight.get()));
    }
    return out;
  }

  private Optional<Block> block(JsonNode node, String at) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw fail(at, "'block' must be a mapping with 'signals'");
    }
    onlyKeys(node, at, BLOCK);
    List<String> signals = strings(node.get("signals"), at + "/signals");
    Map<String, List<Normalizer>> steps = normalizers(node.get("normalize"), at + "/normalize");
    for (String s : steps.keySet()) {
      if (!signals.contains(s)) {
        throw fail(at + "/normalize/" + s, "'" + s + "' is not one of the block's signals");
      }
    }
    boolean exclusive = false;
    if (node.has("exclusive")) {
      if (!node.get("exclusive").isBoolean()) {
        throw fail(at + "/exclusive", "'exclusive' must be true or false");
      }
      exclusive = node.get("exclusive").booleanValue();
    }
    Optional<Duration> ttl = Optional.empty();
    if (node.has("ttl")) {
      String text = text(node, at + "/ttl");
      try {
        ttl = Optional.of(Duration.parse(text));
      } catch (DateTimeParseException e) {
        throw fail(at + "/ttl", "'" + text + "' is not an ISO-8601 duration such as PT1H");
      }
      if (ttl.get().isNegative()) {
        throw fail(at + "/ttl", "a ttl cannot be negative");
      }
    }
    Duration lookBack = Duration.ZERO;
    if (node.has("look-back")) {
      lookBack = duration(node, at + "/look-back");
    }
    boolean unordered = bool(node, at + "/unordered");
    return Optional.of(new Block(signals, steps, exclusive, ttl.orElse(null), lookBack,
        unordered));
  }

  /** {@code block} (one key) or {@code blocks} (several: sharing any one makes a candidate). */
  private List<Block> blocks(JsonNode t, String at) {
    if (t.has("block") && t.has("blocks")) {
      throw fail(at + "/blocks", "give either 'block' (one key) or 'blocks' (a list), not both");
    }
    if (t.has("block")) {
      return List.of(block(t.get("block"), at + "/block").orElseThrow());
    }
    if (!t.has("blocks")) {
      return List.of();
    }
    JsonNode list = t.get("blocks");
    if (!list.isArray() || list.isEmpty()) {
      throw fail(at + "/blocks", "'blocks' must be a non-empty list of blocking keys");
    }
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Block b = block(list.get(i), at + "/blocks/" + i).orElseThrow();
      if (b.exclusive() && list.size() > 1) {
        throw fail(at + "/blocks/" + i + "/exclusive", "an exclusive key (one owner at a time) "
            + "must be the type's only blocking key");
      }
      out.add(b);
    }
    return out;
  }

  private List<Comparison> comparisons(JsonNode node, String at) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail(at, "'comparisons' must be a non-empty list, one per compared signal");
    }
    List<Comparison> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String c = at + "/" + i;
      JsonNode comp = node.get(i);
      if (!comp.isObject()) {
        throw fail(c, "a comparison is a mapping with 'name', 'signal' and 'levels'");
      }
      onlyKeys(comp, c, COMPARISON);
      String name = text(comp, c + "/name");
      if (!names.add(name)) {
        throw fail(c + "/name", "comparison '" + name + "' is declared twice in this type");
      }
      if (comp.has("signal") == comp.has("signals")) {
        throw fail(c, "a comparison names either 'signal' (one) or 'signals' (several, compared "
            + "as their values joined by a blank)");
      }
      List<String> signals = comp.has("signal") ? List.of(text(comp, c + "/signal"))
          : strings(comp.get("signals"), c + "/signals");
      JsonNode levels = comp.get("levels");
      if (levels == null || !levels.isArray() || levels.isEmpty()) {
        throw fail(c + "/levels", "'levels' must be a non-empty list, most similar first");
      }
      List<Comparison.Level> parsed = new ArrayList<>();
      for (int j = 0; j < levels.size(); j++) {
        parsed.add(level(levels.get(j), c + "/levels/" + j));
      }
      out.add(new Comparison(name, signals, parsed));
    }
    return out;
  }

  /** A level: one test key ({@code exact: true}, {@code jaro-winkler: 0.92}) and a weight. */
  private Comparison.Level level(JsonNode node, String at) {
    if (node == null || !node.isObject() || !node.has("weight") || node.size() != 2) {
      throw fail(at, "a level is a mapping of one test and a 'weight', e.g. "
          + "{jaro-winkler: 0.92, weight: 3.5}; tests: " + knownTests());
    }
    double weight = number(node, at + "/weight").orElseThrow();
    Iterator<String> keys = node.fieldNames();
    String test = keys.next();
    if (test.equals("weight")) {
      test = keys.next();
    }
    String p = at + "/" + test;
    String testName = test;
    LevelTest t = LevelTest.byPolicyName(test).orElseThrow(() -> fail(p, "unknown level test '"
        + testName + "'; known: " + knownTests()));
    JsonNode v = node.get(test);
    double parameter = 0;
    if (t.takesParameter()) {
      if (!v.isNumber() || v.doubleValue() < 0) {
        throw fail(p, "'" + test + "' takes a threshold, a number >= 0, not '" + v.asText() + "'");
      }
      parameter = v.doubleValue();
    } else if (!v.isBoolean() || !v.booleanValue()) {
      throw fail(p, "'" + test + "' takes no threshold: write '" + test + ": true'");
    }
    return new Comparison.Level(t, parameter, weight);
  }

  private IdentityPolicy.Link link(JsonNode node, String at) {
    if (node == null) {
      return IdentityPolicy.Link.ANY;
    }
    if (!node.isObject()) {
      throw fail(at, "'link' is a mapping of 'one-to-one' and 'cross-source-only' (true/false)");
    }
    onlyKeys(node, at, LINK);
    return new IdentityPolicy.Link(bool(node, at + "/one-to-one"),
        bool(node, at + "/cross-source-only"));
  }

  private boolean bool(JsonNode parent, String at) {
    String field = at.substring(at.lastIndexOf('/') + 1);
    JsonNode v = parent.get(field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw fail(at, "'" + field + "' must be true or false");
    }
    return v.booleanValue();
  }

  private Optional<Double> number(JsonNode parent, String at) {
    String field = at.substring(at.lastIndexOf('/') + 1);
    JsonNode v = parent.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw fail(at, "'" + field + "' must be a number, not '" + v.asText() + "'");
    }
    return Optional.of(v.doubleValue());
  }

  private Duration duration(JsonNode parent, String at) {
    String field = at.substring(at.lastIndexOf('/') + 1);
    String text = text(parent, at);
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative()) {
        throw fail(at, "'" + field + "' cannot be negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw fail(at, "'" + text + "' is not an ISO-8601 duration such as PT1H");
    }
  }

  private static String knownTests() {
    List<String> names = new ArrayList<>();
    for (LevelTest t : LevelTest.values()) {
      names.add(t.policyName());
    }
    return String.join(", ", names);
  }

  private Map<String, List<Normalizer>> normalizers(JsonNode node, String at) {
    Map<String, List<Normalizer>> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      throw fail(at, "must map a signal name to a list of steps, e.g. host.name: [trim, fqdn]");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String p = at + "/" + f.getKey();
      List<Normalizer> steps = new ArrayList<>();
      for (String name : strings(f.getValue(), p)) {
        steps.add(Normalizer.byPolicyName(name).orElseThrow(() -> fail(p, "unknown normalizer '"
            + name + "'; known: " + knownNormalizers())));
      }
      out.put(f.getKey(), List.copyOf(steps));
    }
    return out;
  }

  private Map<String, List<String>> subjects(JsonNode node, List<EntityType> types) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Set<String> known = new HashSet<>();
    types.forEach(t -> known.add(t.name()));
    if (node == null) {
      out.put("default", types.stream().map(EntityType::name).toList());
      return out;
    }
    if (!node.isObject()) {
      throw fail("/subject", "'subject' maps an event kind (SPAN, LOG, ...) or 'default' to "
          + "entity types, most specific first");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String p = "/subject/" + f.getKey();
      if (!f.getKey().equals("default")) {
        try {
          EventKind.valueOf(f.getKey());
        } catch (IllegalArgumentException e) {
          throw fail(p, "'" + f.getKey() + "' is not an event kind (SPAN, LOG, CONFIG, "
              + "INVENTORY, UNKNOWN) nor 'default'");
        }
      }
      List<String> order = strings(f.getValue(), p);
      for (String t : order) {
        if (!known.contains(t)) {
          throw fail(p, "unknown entity type '" + t + "'");
        }
      }
      out.put(f.getKey(), order);
    }
    out.putIfAbsent("default", types.stream().map(EntityType::name).toList());
    return out;
  }

  private Optional<Double> probability(JsonNode parent, String at, boolean required) {
    String field = at.substring(at.lastIndexOf('/') + 1);
    JsonNode v = parent.get(field);
    if (v == null) {
      if (required) {
        throw fail(at, "'" + field + "' is required");
      }
      return Optional.empty();
    }
    if (!v.isNumber() || v.doubleValue() <= 0 || v.doubleValue() > 1) {
      throw fail(at, "'" + field + "' must be a number in (0, 1], not '" + v.asText() + "'");
    }
    return Optional.of(v.doubleValue());
  }

  private String text(JsonNode parent, String at) {
    String field = at.substring(at.lastIndexOf('/') + 1);
    JsonNode v = parent.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw fail(at, "'" + field + "' is required and must be a non-empty text");
    }
    return v.asText();
  }

  private List<String> strings(JsonNode node, String at) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail(at, "must be a non-empty list of names");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      if (!v.isTextual() || v.asText().isBlank()) {
        throw fail(at + "/" + i, "must be a non-empty name");
      }
      out.add(v.asText());
    }
    return out;
  }

  private void onlyKeys(JsonNode node, String at, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw fail(at + "/" + n, unknownKey(n, allowed));
      }
    }
  }

  /** The problem for a key the policy format does not have, with the nearest valid one. */
  private static String unknownKey(String key, Set<String> allowed) {
    return "unknown key '" + key + "'" + dev.weft.config.NearestName.didYouMean(key, allowed)
        + "; expected one of " + allowed.stream().sorted().toList();
  }

  private static String knownNormalizers() {
    List<String> names = new ArrayList<>();
    for (Normalizer n : Normalizer.values()) {
      names.add(n.policyName());
    }
    return String.join(", ", names);
  }

  /** A problem at a JSON pointer, shown as {@code types[1].rules[0].weight (line 12)}. */
  private PolicyException fail(String pointer, String problem) {
    StringBuilder place = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        place.append('[').append(part).append(']');
      } else {
        place.append(place.length() == 0 ? "" : ".").append(part);
      }
    }
    String shown = place.length() == 0 ? "(top level)" : place.toString();
    Integer line = lineOf(pointer);
    return new PolicyException(source, line == null ? shown : shown + " (line " + line + ")",
        problem);
  }

  private Integer lineOf(String pointer) {
    String p = pointer;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return null;
  }
}
