package dev.weft.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of a signal's normalization, named in the policy file. Steps run in the order the
 * policy lists them; a step that leaves nothing makes the signal absent (an empty string is never
 * a value). None of them touches the network: an IP is canonicalized from its text, never looked
 * up.
 */
public enum Normalizer {
  /** Removes leading and trailing blanks. */
  TRIM("trim"),
  LOWER("lower"),
  UPPER("upper"),
  /** Runs of blanks become one blank (people's names and addresses typed by hand). */
  COLLAPSE_SPACES("collapse-spaces"),
  /** Keeps only digits: phone numbers, national ids, postcodes written with separators. */
  DIGITS("digits"),
  /** Keeps only letters and digits: "O'Neil" and "o neil" compare equal. */
  ALNUM("alnum"),
  /** A host name as a fully qualified name: lower case, no trailing dot. */
  FQDN("fqdn"),
  /** A host name reduced to its first label ("web-01.prod.example.com" is "web-01"); IPs kept whole. */
  SHORT_HOSTNAME("short-hostname"),
  /** The canonical text of an IPv4 or IPv6 address; IPv4-mapped IPv6 becomes IPv4; ports dropped. */
  IP("ip"),
  /**
   * The address of an address with a prefix length, as an IPAM writes it ("192.168.0.1/22",
   * "2001:db8::1/64"), in the canonical text of {@link #IP}, so an inventory's IP meets telemetry
   * that carries the bare address. A value that is not an address with a valid prefix length
   * (0-32, 0-128) is treated as {@link #IP} treats it; a network ("10.0.0.0/8") keeps its address
   * part too: the normalizer reads text, it does not judge what the IPAM meant.
   */
  CIDR_ADDRESS("cidr-address"),
  /** Drops a URI-like scheme prefix: container ids arrive as "containerd://abc..." or "abc...". */
  STRIP_SCHEME("strip-scheme"),
  /** A Soundex code: a coarse phonetic key, useful as a blocking key for people's names. */
  SOUNDEX("soundex"),
  /**
   * Placeholder values are absent: "unknown", "-", "n/a", "none", "null", "undefined" (any case)
   * and OpenTelemetry's default "unknown_service" / "unknown_service:java" name no entity, so
   * they never absorb every unnamed service into one.
   */
  PLACEHOLDER_ABSENT("placeholder-absent");

  private static final Pattern PLACEHOLDER = Pattern.compile(
      "(?i)unknown|-|n/a|none|null|nil|undefined|unknown_service(:.*)?");

  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

  private final String policyName;

  Normalizer(String policyName) {
    this.policyName = policyName;
  }

  /** The name used in the policy file. */
  public String policyName() {
    return policyName;
  }

  public static Optional<Normalizer> byPolicyName(String name) {
    for (Normalizer n : values()) {
      if (n.policyName.equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** Applies this step; empty when nothing is left. */
  public Optional<String> apply(String value) {
    String out = switch (this) {
      case TRIM -> value.strip();
      case LOWER -> value.toLowerCase(Locale.ROOT);
      case UPPER -> value.toUpperCase(Locale.ROOT);
      case COLLAPSE_SPACES -> BLANKS.matcher(value.strip()).replaceAll(" ");
      case DIGITS -> value.replaceAll("[^0-9]", "");
      case ALNUM -> value.replaceAll("[^\\p{L}\\p{Nd}]", "");
      case FQDN -> stripDot(value.strip().toLowerCase(Locale.ROOT));
      case SHORT_HOSTNAME -> shortHostname(value);
      case IP -> IpText.canonical(value.strip()).orElse(value.strip());
      case CIDR_ADDRESS -> cidrAddress(value.strip());
      case STRIP_SCHEME -> SCHEME.matcher(value.strip()).replaceFirst("");
      case SOUNDEX -> soundex(value);
      case PLACEHOLDER_ABSENT -> PLACEHOLDER.matcher(value.strip()).matches() ? "" : value;
    };
    return out.isEmpty() ? Optional.empty() : Optional.of(out);
  }

  private static final Pattern CIDR = Pattern.compile("([0-9A-Fa-f:.]+)/(\\d{1,3})");

  private static String cidrAddress(String s) {
    java.util.regex.Matcher m = CIDR.matcher(s);
    if (m.matches()) {
      Optional<String> address = IpText.canonical(m.group(1));
      int bits = Integer.parseInt(m.group(2));
      if (address.isPresent() && bits <= (address.get().contains(":") ? 128 : 32)) {
        return address.get();
      }
    }
    return IpText.canonical(s).orElse(s);
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String shortHostname(String value) {
    String s = stripDot(value.strip().toLowerCase(Locale.ROOT));
    if (IpText.canonical(s).isPresent()) {
      return s;
    }
    int dot = s.indexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }

  /** American Soundex (letter, then three digits); non-letters are ignored. */
  static String soundex(String value) {
    String s = value.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "");
    if (s.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder().append(s.charAt(0));
    char last = code(s.charAt(0));
    for (int i = 1; i < s.length() && out.length() < 4; i++) {
      char c = s.charAt(i);
      char d = code(c);
      if (d != '0' && d != last) {
        out.append(d);
      }
      // H and W do not separate letters with the same code; vowels do.
      if (c != 'H' && c != 'W') {
        last = d;
      }
    }
    while (out.length() < 4) {
      out.append('0');
    }
    return out.toString();
  }

  private static char code(char c) {
    return switch (c) {
      case 'B', 'F', 'P', 'V' -> '1';
      case 'C', 'G', 'J', 'K', 'Q', 'S', 'X', 'Z' -> '2';
      case 'D', 'T' -> '3';
      case 'L' -> '4';
      case 'M', 'N' -> '5';
      case 'R' -> '6';
      default -> '0';
    };
  }
}
