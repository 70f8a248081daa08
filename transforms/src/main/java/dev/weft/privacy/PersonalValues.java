package dev.weft.privacy;

import dev.weft.identity.IpText;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * E-mail addresses and IP addresses found by their shape, and their canonical text for hashing:
 * an address is lower-cased and an IP written one way ({@code 010.0.0.1} as {@code 10.0.0.1},
 * {@code fe80:0:0:0:0:0:0:1} as {@code fe80::1}), so that spellings of one value hash alike and
 * still join. Parsed from text alone; nothing here resolves a name.
 */
final class PersonalValues {
  /** A domain ends in a letter TLD: {@code react@18.2.0} or {@code image@sha256} are not e-mails. */
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

  /**
   * The canonical text of {@code s} when it is an IPv4 or IPv6 literal (as the identity
   * normalizer {@code ip} writes it: RFC 5952, an IPv4-mapped address as its IPv4 host).
   */
  static Optional<String> ip(String s) {
    boolean shaped = IPV4.matcher(s).matches()
        || (s.indexOf(':') >= 0 && IPV6.matcher(s).matches());
    return shaped ? IpText.canonical(s) : Optional.empty();
  }
}
