package dev.weft.privacy;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One rule of the privacy policy. A <em>key rule</em> names attributes and signals by their exact
 * name ({@code keys}, case-insensitive) or by a part of their name ({@code keyContains}); a
 * <em>value rule</em> ({@code valuesOrNull}) finds personal data by its shape wherever it appears in a
 * value or a text. {@code name} identifies the rule in messages.
 */
public record PrivacyRule(
    String name,
    List<String> keys,
    List<String> keyContains,
    ValueKind valuesOrNull,
    PrivacyAction action) implements Serializable {
  private static final long serialVersionUID = 1L;

  public PrivacyRule(String name, List<String> keys, List<String> keyContains,
      Optional<ValueKind> values, PrivacyAction action) {
    this(name, keys, keyContains, values.orElse(null), action);
  }

  public PrivacyRule {
    keys = keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    keyContains = keyContains.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    if ((valuesOrNull != null) == !(keys.isEmpty() && keyContains.isEmpty())) {
      throw new IllegalArgumentException("rule '" + name + "' must name either keys or values");
    }
  }

  /** The kind of value a value rule finds; empty for a key rule. */
  public Optional<ValueKind> values() {
    return Optional.ofNullable(valuesOrNull);
  }

  public boolean isKeyRule() {
    return valuesOrNull == null;
  }

  /**
   * Whether the rule names attribute or signal {@code key}. A part ({@code keyContains}) without
   * a dot is looked for in each dot-separated segment of the key, except that in a {@code k8s.*}
   * key only the last segment counts: Kubernetes names embed object kinds and container names
   * ({@code k8s.secret.name}, {@code k8s.container.token-refresher.image}), which are not field
   * names.
   */
  public boolean matchesKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (keys.contains(k)) {
      return true;
    }
    String searched = k.startsWith("k8s.") ? k.substring(k.lastIndexOf('.') + 1) : k;
    for (String part : keyContains) {
      if ((part.indexOf('.') >= 0 ? k : searched).contains(part)) {
        return true;
      }
    }
    return false;
  }
}
