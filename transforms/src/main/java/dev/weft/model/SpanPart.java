package dev.weft.model;

import java.util.Optional;

/**
 * The span-specific part of an event. Ids are lower-case hex. {@code shared} marks a Zipkin span
 * whose id is shared with its client half (the server side of one RPC): the two halves are two
 * events, never duplicates.
 */
public record SpanPart(
    String traceId,
    String spanId,
    Optional<String> parentSpanId,
    Optional<String> name,
    SpanKind kind,
    Optional<String> rawKind,
    Optional<Long> durationMicros,
    StatusCode status,
    Optional<String> rawStatus,
    Optional<String> statusMessage,
    boolean shared,
    SpanModel model) {

  /** An OpenTelemetry-model span (OTLP, Jaeger). */
  public SpanPart(String traceId, String spanId, Optional<String> parentSpanId,
      Optional<String> name, SpanKind kind, Optional<String> rawKind,
      Optional<Long> durationMicros, StatusCode status, Optional<String> rawStatus,
      Optional<String> statusMessage, boolean shared) {
    this(traceId, spanId, parentSpanId, name, kind, rawKind, durationMicros, status, rawStatus,
        statusMessage, shared, SpanModel.OTEL);
  }

  public SpanPart {
    Checks.nonEmpty(traceId, "traceId");
    Checks.nonEmpty(spanId, "spanId");
    Checks.notNull(parentSpanId, "parentSpanId");
    Checks.notNull(name, "name");
    Checks.notNull(kind, "kind");
    Checks.notNull(rawKind, "rawKind");
    Checks.notNull(durationMicros, "durationMicros");
    Checks.notNull(status, "status");
    Checks.notNull(rawStatus, "rawStatus");
    Checks.notNull(statusMessage, "statusMessage");
    Checks.notNull(model, "model");
  }

  public boolean isError() {
    return status == StatusCode.ERROR;
  }
}
