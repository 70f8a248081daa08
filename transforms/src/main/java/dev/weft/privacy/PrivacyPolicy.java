package dev.weft.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which attributes, signals, texts and dead-letter payloads are redacted, hashed or dropped before
 * anything is written: the {@code privacy:} section of the policy file (format in {@code
 * weft/policy.yaml}), then — unless {@code builtins: false} — the built-in rules: keys containing
 * {@code authorization}, {@code cookie}, {@code password}, {@code passwd}, {@code secret}, {@code
 * token}, {@code credential} or {@code api_key} are redacted, and e-mail addresses are redacted
 * wherever they appear. For a key the first rule that names it decides; for a text, the first value
 * rule of each kind.
 */
public record PrivacyPolicy(List<PrivacyRule> rules) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Key parts that mark a secret whatever the source calls the field. */
  static final List<String> SECRET_KEY_PARTS = List.of("authorization", "cookie", "password",
      "passwd", "secret", "token", "credential", "api_key", "api-key", "apikey");

  public static final PrivacyRule BUILTIN_SECRETS = new PrivacyRule("builtin-secrets", List.of(),
      SECRET_KEY_PARTS, Optional.empty(), PrivacyAction.REDACT);
  public static final PrivacyRule BUILTIN_EMAILS = new PrivacyRule("builtin-emails", List.of(),
      List.of(), Optional.of(ValueKind.EMAIL), PrivacyAction.REDACT);

  public PrivacyPolicy {
    rules = List.copyOf(rules);
  }

  /** The built-in rules alone: what a policy file without a {@code privacy:} section gets. */
  public static PrivacyPolicy builtins() {
    return new PrivacyPolicy(List.of(BUILTIN_SECRETS, BUILTIN_EMAILS));
  }

  /** {@code own} rules first, then the built-in ones when {@code withBuiltins}. */
  public static PrivacyPolicy of(List<PrivacyRule> own, boolean withBuiltins) {
    List<PrivacyRule> all = new ArrayList<>(own);
    if (withBuiltins) {
      all.addAll(builtins().rules());
    }
    return new PrivacyPolicy(all);
  }

  /** Reads the {@code privacy:} section of policy YAML; see {@link PrivacyPolicyParser}. */
  public static PrivacyPolicy parse(String policyYaml, String source) {
    return new PrivacyPolicyParser(source).parse(policyYaml);
  }

  /** The rule that decides for attribute or signal {@code key}, if any. */
  public Optional<PrivacyRule> ruleForKey(String key) {
    for (PrivacyRule r : rules) {
      if (r.isKeyRule() && r.matchesKey(key)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The first rule for values of {@code kind}, if any. */
  public Optional<PrivacyRule> ruleForValues(ValueKind kind) {
    return rules.stream().filter(r -> r.values().equals(Optional.of(kind))).findFirst();
  }

  /** True when a rule hashes: the run then needs a key, and refuses to start without one. */
  public boolean needsKey() {
    return rules.stream().anyMatch(r -> r.action() == PrivacyAction.HASH);
  }
}
