package dev.weft.privacy;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses and IP addresses found by their shape, and their canonical text for hashing:
 * an address is lower-cased and an IP written one way ({@code 010.0.0.1} as {@code 10.0.0.1},
 * {@code ::1} as {@code 0:0:0:0:0:0:0:1}), so that spellings of one value hash alike and still
 * join. Parsed from text alone; nothing here resolves a name.
 */
final class PersonalValues {
  /** A domain must end in a letter TLD, so {@code react@18.2.0} or {@code image@sha256} are not e-mails. */
  static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+\\-])[A-Za-z0-9._%+\\-]+@"
      + "[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{2,}(?![A-Za-z0-9\\-])");
  static final Pattern IPV4 = Pattern.compile("(?<![0-9A-Za-z.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})"
      + "\\.(\\d{1,3})(?![0-9A-Za-z]|\\.\\d)");
  static final Pattern IPV6 = Pattern.compile("(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}"
      + "(?:(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{1,4})?(?![0-9A-Za-z:.])");

  private PersonalValues() {}

  /** The canonical text of a whole value: an e-mail or IP as above, anything else stripped. */
  static String canonical(String value) {
    String v = value.strip();
    if (EMAIL.matcher(v).matches()) {
      return v.toLowerCase(Locale.ROOT);
    }
    return ip(v).orElse(v);
  }

  /** The canonical text of {@code s} when it is an IPv4 or IPv6 literal. */
  static Optional<String> ip(String s) {
    Matcher m = IPV4.matcher(s);
    if (m.matches()) {
      return ipv4(m);
    }
    return s.indexOf(':') >= 0 && IPV6.matcher(s).matches() ? ipv6(s) : Optional.empty();
  }

  static Optional<String> ipv4(Matcher m) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return Optional.empty();
      }
      out.append(i > 1 ? "." : "").append(octet);
    }
    return Optional.of(out.toString());
  }

  /** Eight groups in lower-case hex without leading zeros, or empty when not an IPv6 literal. */
  static Optional<String> ipv6(String s) {
    String text = s.toLowerCase(Locale.ROOT);
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return Optional.empty();
    }
    String[] head = groups(gap >= 0 ? text.substring(0, gap) : text);
    String[] tail = gap >= 0 ? groups(text.substring(gap + 2)) : new String[0];
    if (head == null || tail == null) {
      return Optional.empty();
    }
    int count = head.length + tail.length;
    if (gap < 0 ? count != 8 : count > 7) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String g = i < head.length ? head[i] : i >= 8 - tail.length ? tail[i - (8 - tail.length)] : "0";
      out.append(i > 0 ? ":" : "").append(Integer.toHexString(Integer.parseInt(g, 16)));
    }
    return Optional.of(out.toString());
  }

  /** Hex groups of one side of {@code ::}; a trailing dotted IPv4 counts as two groups. */
  private static String[] groups(String side) {
    if (side.isEmpty()) {
      return new String[0];
    }
    String[] parts = side.split(":", -1);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (i == parts.length - 1 && p.indexOf('.') >= 0) {
        Matcher m = IPV4.matcher(p);
        Optional<String> v4 = m.matches() ? ipv4(m) : Optional.empty();
        if (v4.isEmpty()) {
          return null;
        }
        String[] o = v4.get().split("\\.");
        out.add(Integer.toHexString(Integer.parseInt(o[0]) << 8 | Integer.parseInt(o[1])));
        out.add(Integer.toHexString(Integer.parseInt(o[2]) << 8 | Integer.parseInt(o[3])));
      } else if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return null;
      } else {
        out.add(p);
      }
    }
    return out.toArray(new String[0]);
  }
}
