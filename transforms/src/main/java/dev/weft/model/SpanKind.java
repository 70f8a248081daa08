package dev.weft.model;

/** OpenTelemetry span kinds; {@link #UNKNOWN} keeps the raw value in {@link SpanPart#rawKind()}. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER,
  UNKNOWN
}
