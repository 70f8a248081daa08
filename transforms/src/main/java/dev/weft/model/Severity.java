package dev.weft.model;

/**
 * Log severity on OpenTelemetry's scale (TRACE 1-4 .. FATAL 21-24). {@link #UNKNOWN} keeps the raw
 * text in {@link LogPart#severityText()}.
 */
public enum Severity {
  UNSPECIFIED,
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL,
  UNKNOWN;

  /** Maps an OpenTelemetry SeverityNumber (0..24) to its range; anything else is UNKNOWN. */
  public static Severity fromOtelNumber(int n) {
    if (n == 0) {
      return UNSPECIFIED;
    }
    if (n < 1 || n > 24) {
      return UNKNOWN;
    }
    return values()[1 + (n - 1) / 4];
  }
}
