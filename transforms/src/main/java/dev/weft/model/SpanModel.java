package dev.weft.model;

/**
 * Which tracing model a span was reported in, so the graph links its calls as that model's own
 * reference tool does. The adapter knows its source; the graph only asks for the model.
 *
 * <ul>
 *   <li>{@link #OTEL}: OpenTelemetry-shaped spans (OTLP, Jaeger) — a client and its server are two
 *       spans, the server's parent id is the client's span id. Calls are what the OpenTelemetry
 *       collector's servicegraph connector emits.
 *   <li>{@link #ZIPKIN}: Zipkin v2 spans — a client and its server may share one span id (B3), a
 *       span may arrive in fragments. Calls are what Zipkin's {@code DependencyLinker} links.
 * </ul>
 */
public enum SpanModel {
  OTEL,
  ZIPKIN
}
