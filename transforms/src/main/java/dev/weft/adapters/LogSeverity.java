package dev.weft.adapters;

import dev.weft.model.LogPart;
import dev.weft.model.Severity;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the severity words of log formats onto OpenTelemetry's SeverityNumber scale (TRACE 1..4,
 * DEBUG 5..8, INFO 9..12, WARN 13..16, ERROR 17..20, FATAL 21..24), so a syslog "notice", a
 * log4j "WARN" and a pino 40 land on the same scale. The raw word is always kept as
 * {@code severityText}; a word this table does not know is {@link Severity#UNKNOWN} with no number.
 *
 * <p>The syslog severities 0..7 use the same words: emerg 24 (FATAL4), alert 23 (FATAL3), crit 22
 * (FATAL2), err 17 (ERROR), warning 13 (WARN), notice 10 (INFO2), info 9 (INFO), debug 5
 * (DEBUG). Notice sits just above info because syslog says "normal but significant".
 */
final class LogSeverity {
  private static final Map<String, Integer> NUMBERS = new HashMap<>();
  private static final String[] SYSLOG_WORDS =
      {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

  static {
    put(1, "trace", "finest", "finer", "t", "trc");
    put(5, "debug", "fine", "dbg", "verbose", "d", "config");
    put(9, "info", "information", "informational", "i", "inf");
    put(10, "notice", "n");
    put(13, "warn", "warning", "w", "wrn");
    put(17, "error", "err", "severe", "e", "eror");
    put(21, "fatal", "f", "ftl");
    put(22, "crit", "critical", "c");
    put(23, "alert", "a");
    put(24, "emerg", "emergency", "panic");
  }

  private static void put(int number, String... words) {
    for (String w : words) {
      NUMBERS.put(w, number);
    }
  }

  private LogSeverity() {}

  /** The LogPart for a severity word; null or blank means the source stated no severity. */
  static LogPart part(String word, String body, String traceId, String spanId) {
    if (word == null || word.isBlank()) {
      return new LogPart(Severity.UNSPECIFIED, Optional.empty(), Optional.empty(),
          Optional.ofNullable(body), Optional.ofNullable(traceId), Optional.ofNullable(spanId));
    }
    Integer n = NUMBERS.get(word.trim().toLowerCase(Locale.ROOT));
    return new LogPart(n == null ? Severity.UNKNOWN : Severity.fromOtelNumber(n),
        Optional.ofNullable(n), Optional.of(word), Optional.ofNullable(body),
        Optional.ofNullable(traceId), Optional.ofNullable(spanId));
  }

  /** The OTel number of a severity word, or null when the word is unknown. */
  static Integer numberOf(String word) {
    return NUMBERS.get(word.trim().toLowerCase(Locale.ROOT));
  }

  /** The RFC 5424 keyword of syslog severity 0..7. */
  static String syslogWord(int severity) {
    return SYSLOG_WORDS[severity];
  }

  /**
   * A numeric level: pino / bunyan levels (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60
   * fatal) win over OpenTelemetry numbers because they are what JSON loggers write; other values
   * in 1..24 are read as OTel SeverityNumbers; anything else is UNKNOWN.
   */
  static Integer numberOfLevel(long level) {
    if (level >= 10 && level <= 60 && level % 10 == 0) {
      return new int[] {1, 5, 9, 13, 17, 21}[(int) (level / 10) - 1];
    }
    return level >= 1 && level <= 24 ? (int) level : null;
  }
}
