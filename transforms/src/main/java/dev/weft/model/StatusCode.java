package dev.weft.model;

/** Span status; {@link #UNKNOWN} keeps the raw value in {@link SpanPart#rawStatus()}. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR,
  UNKNOWN
}
