package dev.weft.adapters;

import dev.weft.model.FailureKind;
import dev.weft.model.TimeQuality;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Reads the times JSON loggers write: ISO-8601 text and epoch numbers.
 *
 * <p>Epoch numbers (JSON numbers or all-digit strings) are read by magnitude of the absolute value:
 * below 1e11 seconds (fractions allowed; up to year 5138), below 1e14 milliseconds, below 1e17
 * microseconds, else nanoseconds. The one ambiguity this leaves: milliseconds before 1973-03-03
 * read as seconds.
 *
 * <p>ISO-8601 text: date-time with {@code T} or a space, fraction with {@code .} or {@code ,},
 * offset as {@code Z}, {@code +hh:mm} or {@code +hhmm}, optionally a {@code [Region/Zone]}; a
 * date alone means midnight. Text without an offset or zone is read as UTC and flagged DERIVED,
 * since the zone is an assumption and not the source's word.
 */
final class LogTimes {
  private static final BigDecimal E11 = new BigDecimal("1e11");
  private static final BigDecimal E14 = new BigDecimal("1e14");
  private static final BigDecimal E17 = new BigDecimal("1e17");

  private LogTimes() {}

  record Time(Instant instant, TimeQuality quality) {}

  static Time epoch(long v) {
    long abs = Math.abs(v);
    long perSecond = abs < 100_000_000_000L ? 1 : abs < 100_000_000_000_000L ? 1_000
        : abs < 100_000_000_000_000_000L ? 1_000_000 : 1_000_000_000;
    long secs = Math.floorDiv(v, perSecond);
    long nanos = Math.floorMod(v, perSecond) * (1_000_000_000L / perSecond);
    return new Time(Instant.ofEpochSecond(secs, nanos), TimeQuality.SOURCE);
  }

  static Time epoch(BigDecimal v) throws RecordRejected {
    BigDecimal abs = v.abs();
    int shift = abs.compareTo(E11) < 0 ? 0 : abs.compareTo(E14) < 0 ? 3
        : abs.compareTo(E17) < 0 ? 6 : 9;
    BigDecimal seconds = v.movePointLeft(shift);
    try {
      BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
      long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.FLOOR)
          .longValueExact();
      return new Time(Instant.ofEpochSecond(whole.longValueExact(), nanos), TimeQuality.SOURCE);
    } catch (ArithmeticException | DateTimeException e) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, "epoch time " + v.toPlainString()
          + " is out of range");
    }
  }

  /** Text: all digits (with an optional sign and fraction) is an epoch number, else ISO-8601. */
  static Time text(String raw) throws RecordRejected {
    String s = raw.trim();
    if (isNumber(s)) {
      return s.indexOf('.') < 0 && s.length() <= 18 ? epoch(Long.parseLong(s))
          : epoch(new BigDecimal(s));
    }
    String iso = normalise(s);
    try {
      if (iso.length() == 10) {
        return new Time(LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC),
            TimeQuality.DERIVED);
      }
      TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(iso);
      if (t.isSupported(ChronoField.OFFSET_SECONDS) || t.query(java.time.temporal.TemporalQueries
          .zone()) != null) {
        return new Time(Instant.from(t), TimeQuality.SOURCE);
      }
      return new Time(LocalDateTime.from(t).toInstant(ZoneOffset.UTC), TimeQuality.DERIVED);
    } catch (DateTimeException e) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, "time '" + raw + "' is neither an"
          + " ISO-8601 date-time nor an epoch number (" + e.getMessage() + ")");
    }
  }

  private static boolean isNumber(String s) {
    int i = s.startsWith("-") ? 1 : 0;
    int digits = 0;
    int dots = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && dots == 0) {
        dots++;
      } else {
        return false;
      }
    }
    return digits > 0;
  }

  /** "2015-07-29 17:41:44,747+0200" becomes "2015-07-29T17:41:44.747+02:00". */
  private static String normalise(String s) {
    if (s.length() <= 10) {
      return s;
    }
    char[] c = s.toCharArray();
    if (c[10] == ' ') {
      c[10] = 'T';
    }
    for (int i = 19; i < c.length && i < 21; i++) {
      if (c[i] == ',') {
        c[i] = '.';
      }
    }
    String out = new String(c);
    int n = out.length();
    if (n > 16 && (out.charAt(n - 5) == '+' || out.charAt(n - 5) == '-')
        && allDigits(out, n - 4, n)) {
      out = out.substring(0, n - 2) + ":" + out.substring(n - 2);
    }
    return out;
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
