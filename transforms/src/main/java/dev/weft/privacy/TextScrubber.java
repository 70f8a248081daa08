package dev.weft.privacy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Scrubs free text — a log body, an attribute value, a dead letter's raw payload or reason — by
 * the policy: values of secret-looking keys in every shape a record carries them ({@code
 * "password":"x"}, OTLP and Jaeger {@code {"key":"...authorization","value":...}}, Kubernetes env
 * {@code name: DB_PASSWORD / value: x}, {@code Authorization: Bearer ...} and {@code Cookie:}
 * header lines, {@code token=x&...}) are redacted, then e-mail and IP addresses are redacted or
 * hashed as the value rules say. A secret-looking key is one containing a part named by a key rule
 * ({@code key-contains}, or a whole name of {@code keys}); in raw text the key rule's action is
 * always redaction, since a raw field name is not the canonical attribute it will become.
 */
final class TextScrubber {
  static final String REDACTED = "[redacted]";
  private static final String JSON_VALUE = "\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+\\-]*|true|false";
  private static final String TOKEN_CHAR = "[A-Za-z0-9_.\\-]";

  /** Counts of what one scrub did; a text with no personal data comes back unchanged. */
  record Scrubbed(String text, int redacted, int hashed, int dropMatches) {
    boolean changed() {
      return redacted + hashed + dropMatches > 0;
    }
  }

  private final Optional<Pattern> anyKey;
  /** Where secret values sit, and what replaces each (quoted in JSON, so the JSON stays valid). */
  private record Shape(Pattern pattern, String replacement) {}

  private final List<Shape> pairs = new ArrayList<>();
  private final Optional<PrivacyRule> emails;
  private final Optional<PrivacyRule> ips;
  private final Optional<KeyedHash> hash;

  TextScrubber(PrivacyPolicy policy, Optional<KeyedHash> hash) {
    this.hash = hash;
    Set<String> parts = new LinkedHashSet<>();
    for (PrivacyRule r : policy.rules()) {
      if (r.isKeyRule() && r.action() != PrivacyAction.KEEP) {
        parts.addAll(r.keyContains());
        parts.addAll(r.keys());
      }
    }
    if (parts.isEmpty()) {
      anyKey = Optional.empty();
    } else {
      String alt = parts.stream().map(Pattern::quote).collect(Collectors.joining("|"));
      // Bounded on both sides: an unbounded run around the marker would let a hostile payload
      // ("tokentoken...") cost quadratic time in backtracking.
      String key = TOKEN_CHAR + "{0,64}(?:" + alt + ")" + TOKEN_CHAR + "{0,64}";
      anyKey = Optional.of(Pattern.compile(alt, Pattern.CASE_INSENSITIVE));
      // Group 1 is the secret value in each shape; more specific shapes first.
      String quoted = "\"" + REDACTED + "\"";
      pairs.add(ci(quoted, "\"(?:key|name)\"\\s*:\\s*\"" + key + "\"\\s*,(?:\\s*\"type\"\\s*:\\s*\"[^\"]*\""
          + "\\s*,)?\\s*\"value\"\\s*:\\s*(?:\\{\\s*\"[A-Za-z]+\"\\s*:\\s*)?(" + JSON_VALUE + ")"));
      pairs.add(ci(quoted, "\"" + key + "\"\\s*:\\s*(" + JSON_VALUE + ")"));
      pairs.add(ci("\\\"" + REDACTED + "\\\"", "\\\\\"" + key + "\\\\\"\\s*:\\s*(\\\\\"(?:[^\\\\]|\\\\[^\"])*\\\\\")"));
      pairs.add(ci(REDACTED, "name:[ \\t]*[\"']?" + key + "[\"']?[ \\t]*\\r?\\n[ \\t]*value:[ \\t]*([^\\r\\n]+)"));
      pairs.add(ci(REDACTED, "(?<!" + TOKEN_CHAR + ")" + key + "[ \\t]*[=:][ \\t]*(\"(?:[^\"\\\\]|\\\\.)*\""
          + "|'[^']*'|(?:(?:bearer|basic|digest|negotiate)[ \\t]+)?[^\\s,;&\"'<>\\[\\]\\\\]+)"));
      if (parts.stream().anyMatch(p -> p.contains("authorization") || p.contains("cookie"))) {
        // A header's value runs to the end of its line: "Cookie: a=1; b=2" has two secrets.
        pairs.add(ci(REDACTED, "(?<!" + TOKEN_CHAR + ")(?:proxy-)?(?:authorization|set-cookie|cookie)"
            + "[ \\t]*:[ \\t]*([^\\r\\n\"\\\\]+)"));
      }
    }
    this.emails = live(policy.ruleForValues(ValueKind.EMAIL));
    this.ips = live(policy.ruleForValues(ValueKind.IP));
  }

  private static Optional<PrivacyRule> live(Optional<PrivacyRule> r) {
    return r.filter(x -> x.action() != PrivacyAction.KEEP);
  }

  private static Shape ci(String replacement, String regex) {
    return new Shape(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), replacement);
  }

  Scrubbed scrub(String text) {
    int[] counts = new int[3];
    String t = text;
    if (anyKey.isPresent() && anyKey.get().matcher(t).find()) {
      for (Shape shape : pairs) {
        t = replaceGroup(shape.pattern(), t, 1, v -> {
          if (!v.equals(shape.replacement())) {
            counts[0]++;
          }
          return shape.replacement();
        });
      }
    }
    if (emails.isPresent() && t.indexOf('@') >= 0) {
      t = replaceGroup(PersonalValues.EMAIL, t, 0, v -> personal(emails.get(), v, "email", counts));
    }
    if (ips.isPresent()) {
      t = replaceGroup(PersonalValues.IPV4, t, 0,
          v -> PersonalValues.ip(v).isPresent() ? personal(ips.get(), v, "ip", counts) : v);
      if (t.indexOf(':') >= 0) {
        t = replaceGroup(PersonalValues.IPV6, t, 0,
            v -> PersonalValues.ip(v).isPresent() ? personal(ips.get(), v, "ip", counts) : v);
      }
    }
    return new Scrubbed(t, counts[0], counts[1], counts[2]);
  }

  private String personal(PrivacyRule rule, String value, String kind, int[] counts) {
    switch (rule.action()) {
      case HASH:
        counts[1]++;
        return hash.orElseThrow(() -> new IllegalStateException("rule '" + rule.name()
            + "' hashes but no key was given")).of(PersonalValues.canonical(value));
      case DROP:
        counts[2]++;
        return "[redacted:" + kind + "]";
      default:
        counts[0]++;
        return "[redacted:" + kind + "]";
    }
  }

  /** {@code text} with group {@code g} of every match of {@code p} replaced by {@code f}. */
  static String replaceGroup(Pattern p, String text, int g, Function<String, String> f) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(text, last, m.start(g)).append(f.apply(m.group(g)));
      last = m.end(g);
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }
}
