package dev.weft.identity;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Canonical text of IP address literals, parsed by hand so that nothing ever resolves a name
 * (InetAddress.getByName would query DNS for anything that is not a literal).
 */
public final class IpText {
  private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern V4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
  private static final Pattern V6_BRACKETS = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::\\d{1,5})?");

  private IpText() {}

  /** The canonical form of {@code s} when it is an IP literal (optionally with a port). */
  public static Optional<String> canonical(String s) {
    Matcher port = V4_PORT.matcher(s);
    if (port.matches()) {
      s = port.group(1);
    }
    Matcher brackets = V6_BRACKETS.matcher(s);
    if (brackets.matches()) {
      s = brackets.group(1);
    }
    Optional<String> v4 = v4(s);
    if (v4.isPresent()) {
      return v4;
    }
    return s.indexOf(':') >= 0 ? v6(s) : Optional.empty();
  }

  private static Optional<String> v4(String s) {
    Matcher m = V4.matcher(s);
    if (!m.matches()) {
      return Optional.empty();
    }
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

  private static Optional<String> v6(String s) {
    String text = s.toLowerCase(Locale.ROOT);
    int zone = text.indexOf('%');
    if (zone >= 0) {
      text = text.substring(0, zone);
    }
    int[] groups = new int[8];
    String tail4 = null;
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.', lastColon) > 0) {
      tail4 = text.substring(lastColon + 1);
      if (v4(tail4).isEmpty()) {
        return Optional.empty();
      }
      text = text.substring(0, lastColon + 1) + "0:0";
    }
    int dbl = text.indexOf("::");
    if (dbl != text.lastIndexOf("::") && dbl >= 0) {
      return Optional.empty();
    }
    String[] head = dbl >= 0 ? split(text.substring(0, dbl)) : split(text);
    String[] tail = dbl >= 0 ? split(text.substring(dbl + 2)) : new String[0];
    int n = head.length + tail.length;
    if ((dbl < 0 && n != 8) || (dbl >= 0 && n > 7)) {
      return Optional.empty();
    }
    try {
      for (int i = 0; i < head.length; i++) {
        groups[i] = group(head[i]);
      }
      for (int i = 0; i < tail.length; i++) {
        groups[8 - tail.length + i] = group(tail[i]);
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (tail4 != null) {
      String[] o = v4(tail4).get().split("\\.");
      groups[6] = Integer.parseInt(o[0]) << 8 | Integer.parseInt(o[1]);
      groups[7] = Integer.parseInt(o[2]) << 8 | Integer.parseInt(o[3]);
    }
    // An IPv4-mapped address (::ffff:a.b.c.d) names the IPv4 host: same canonical text.
    if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
        && groups[5] == 0xffff) {
      return Optional.of((groups[6] >> 8) + "." + (groups[6] & 255) + "." + (groups[7] >> 8) + "."
          + (groups[7] & 255));
    }
    return Optional.of(rfc5952(groups));
  }

  private static String[] split(String s) {
    return s.isEmpty() ? new String[0] : s.split(":", -1);
  }

  private static int group(String g) {
    if (g.isEmpty() || g.length() > 4) {
      throw new NumberFormatException(g);
    }
    return Integer.parseInt(g, 16);
  }

  /** RFC 5952: lower-case hex, no leading zeros, the longest run (>= 2) of zero groups as "::". */
  private static String rfc5952(int[] g) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[i]));
    }
    return out.toString();
  }
}
