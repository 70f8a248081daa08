package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads OTLP/JSON {@code ExportTraceServiceRequest} documents (format {@code otlp-traces}): one
 * event of kind SPAN per span.
 *
 * <p><b>Event id.</b> SOURCE_ID {@code EventIds.sourceId("span", traceId, spanId)}, namespaced by
 * "span" rather than by format, so the same span delivered twice, or once through OTLP and once
 * through Jaeger, has one id and is deduplicated downstream. Ids are lower-case hex.
 *
 * <p><b>Time.</b> {@code eventTime} is {@code startTimeUnixNano} (SOURCE); a span without a start
 * time gets the record's observed time (FALLBACK). {@code durationMicros} is end minus start, absent
 * when the end is missing or before the start.
 *
 * <p><b>Signals and attributes.</b> Resource attributes are identity signals under their OTel
 * names ({@code service.name}, {@code host.name}, {@code k8s.pod.uid}, ...). Span attributes are
 * attributes; those naming the peer of a call ({@link TraceFields#PEER_KEYS}) are copied to signals
 * as well. Scope name and version become {@code otel.scope.name} / {@code otel.scope.version}, scope
 * attributes are attributes (a span attribute of the same key wins). Span events and links are
 * counted ({@code span.events.count}, {@code span.links.count}) and event names kept as a JSON array
 * ({@code span.events}); their own attributes are not kept.
 *
 * <p><b>Leniency.</b> lowerCamelCase and snake_case field names, the legacy {@code
 * instrumentationLibrarySpans}, enums as numbers or names, uint64 as strings or numbers, ids in hex
 * (either case) or protobuf's base64. A bad span is one {@link ParseFailure} whose origin points at
 * it ({@code /resourceSpans/0/scopeSpans/0/spans/3}); the other spans of the document still become
 * events. A bad resource or scope is one failure for everything under it.
 */
public final class OtlpTracesAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;
  public static final String FORMAT = "otlp-traces";

  public OtlpTracesAdapter() {}

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Framing fileFraming() {
    return Framing.DOCUMENT;
  }

  @Override
  public AdapterResult parse(RawRecord raw) {
    Instant observed = raw.observedTime();
    return TraceDocuments.parse(raw, "an OTLP/JSON ExportTraceServiceRequest",
        (root, origin, result) -> parseRequest(root, "", origin, observed, FORMAT, result));
  }

  /**
   * Reads one request found at {@code base} (a JSON pointer prefix, "" for the document root).
   * Also used by {@link JaegerAdapter} for Jaeger's OTLP-shaped exports.
   */
  static void parseRequest(JsonNode root, String base, Origin origin, Instant observed,
      String format, AdapterResult result) {
    OtlpRequests.walk(root, base, origin, format, OtlpRequests.TRACES, result,
        (span, resource, scope, at) -> span(span, resource, scope, at, observed));
  }

  private static Event span(JsonNode s, Map<String, String> resource, OtlpRequests.Scope scope,
      Origin origin, Instant observed) throws RecordRejected {
    if (!s.isObject()) {
      throw TraceFields.wrongType("the span", s, "a Span object");
    }
    // One pass over the span's fields; names in lowerCamelCase or snake_case.
    JsonNode traceNode = null;
    JsonNode spanNode = null;
    JsonNode parentNode = null;
    JsonNode nameNode = null;
    JsonNode startNode = null;
    JsonNode endNode = null;
    JsonNode kindNode = null;
    JsonNode st = null;
    JsonNode attributes = null;
    JsonNode events = null;
    JsonNode links = null;
    Iterator<Map.Entry<String, JsonNode>> fields = s.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue().isNull() ? null : f.getValue();
      switch (f.getKey()) {
        case "traceId": case "trace_id": traceNode = v; break;
        case "spanId": case "span_id": spanNode = v; break;
        case "parentSpanId": case "parent_span_id": parentNode = v; break;
        case "name": nameNode = v; break;
        case "startTimeUnixNano": case "start_time_unix_nano": startNode = v; break;
        case "endTimeUnixNano": case "end_time_unix_nano": endNode = v; break;
        case "kind": kindNode = v; break;
        case "status": st = v; break;
        case "attributes": attributes = v; break;
        case "events": events = v; break;
        case "links": links = v; break;
        default: break;
      }
    }
    String traceId = TraceFields.otlpId(traceNode, 32, "traceId", true, false);
    String spanId = TraceFields.otlpId(spanNode, 16, "spanId", true, false);
    String parent = TraceFields.otlpId(parentNode, 16, "parentSpanId", false, true);
    String name = TraceFields.optText(nameNode, "name");
    long start = TraceFields.unsignedNanos(startNode, "startTimeUnixNano");
    long end = TraceFields.unsignedNanos(endNode, "endTimeUnixNano");

    SpanKind kind = spanKind(kindNode);

    StatusCode status = StatusCode.UNSET;
    String rawStatus = null;
    String statusMessage = null;
    if (st != null) {
      if (!st.isObject()) {
        throw TraceFields.wrongType("status", st, "a Status object");
      }
      JsonNode code = TraceFields.field(st, "code");
      status = statusCode(code);
      if (status == StatusCode.UNKNOWN) {
        rawStatus = code.asText();
      }
      statusMessage = TraceFields.optText(TraceFields.field(st, "message"), "status.message");
    }

    Event.Builder b = Event.builder()
        .eventId(EventIds.sourceId("span", traceId, spanId), IdKind.SOURCE_ID)
        .origin(origin)
        .observedTime(observed)
        .signals(resource)
        .attributes(scope.attributes())
        .attribute(TraceFields.SCOPE_NAME, scope.name())
        .attribute(TraceFields.SCOPE_VERSION, scope.version());
    if (start != 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfNanos(start), "startTimeUnixNano"),
          TimeQuality.SOURCE);
    } else {
      b.eventTime(observed, TimeQuality.FALLBACK);
    }
    TraceFields.keyValues(attributes, "attribute", (k, v) -> {
      b.attribute(k, v);
      if (TraceFields.PEER_KEYS.contains(k)) {
        b.signal(k, v);
      }
    });
    spanEvents(events, b);
    if (links != null) {
      if (!links.isArray()) {
        throw TraceFields.wrongType("links", links, "an array");
      }
      if (links.size() > 0) {
        b.attribute(TraceFields.LINKS_COUNT, Integer.toString(links.size()));
      }
    }
    Long duration = start != 0 && end != 0 && Long.compareUnsigned(end, start) >= 0
        ? (end - start) / 1000L : null;
    b.span(new SpanPart(traceId, spanId, Optional.ofNullable(parent), Optional.ofNullable(name),
        kind, kind == SpanKind.UNKNOWN ? Optional.of(kindNode.asText()) : Optional.empty(),
        Optional.ofNullable(duration), status, Optional.ofNullable(rawStatus),
        Optional.ofNullable(statusMessage), false));
    b.kind(EventKind.SPAN);
    return b.build();
  }

  /** Counts span events and keeps their names; their attributes are not kept. */
  private static void spanEvents(JsonNode events, Event.Builder b) throws RecordRejected {
    if (events == null) {
      return;
    }
    if (!events.isArray()) {
      throw TraceFields.wrongType("events", events, "an array");
    }
    if (events.size() == 0) {
      return;
    }
    b.attribute(TraceFields.EVENTS_COUNT, Integer.toString(events.size()));
    StringBuilder names = null;
    for (int i = 0; i < events.size(); i++) {
      JsonNode ev = events.get(i);
      if (!ev.isObject()) {
        throw TraceFields.wrongType("events[" + i + "]", ev, "an Event object");
      }
      String name = TraceFields.optText(TraceFields.field(ev, "name"), "events[" + i + "].name");
      if (name != null) {
        names = names == null ? new StringBuilder("[") : names.append(',');
        TraceFields.quote(names, name);
        TraceFields.checkSize("the names of span events", names);
      }
    }
    if (names != null) {
      b.attribute(TraceFields.EVENT_NAMES, names.append(']').toString());
    }
  }

  static SpanKind spanKind(JsonNode v) throws RecordRejected {
    if (v == null) {
      return SpanKind.UNSPECIFIED;
    }
    if (v.isIntegralNumber()) {
      switch (v.canConvertToInt() ? v.intValue() : -1) {
        case 0: return SpanKind.UNSPECIFIED;
        case 1: return SpanKind.INTERNAL;
        case 2: return SpanKind.SERVER;
        case 3: return SpanKind.CLIENT;
        case 4: return SpanKind.PRODUCER;
        case 5: return SpanKind.CONSUMER;
        default: return SpanKind.UNKNOWN;
      }
    }
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "SPAN_KIND_UNSPECIFIED": return SpanKind.UNSPECIFIED;
        case "SPAN_KIND_INTERNAL": return SpanKind.INTERNAL;
        case "SPAN_KIND_SERVER": return SpanKind.SERVER;
        case "SPAN_KIND_CLIENT": return SpanKind.CLIENT;
        case "SPAN_KIND_PRODUCER": return SpanKind.PRODUCER;
        case "SPAN_KIND_CONSUMER": return SpanKind.CONSUMER;
        default: return SpanKind.UNKNOWN;
      }
    }
    throw TraceFields.wrongType("kind", v, "a SpanKind number or name");
  }

  static StatusCode statusCode(JsonNode v) throws RecordRejected {
    if (v == null) {
      return StatusCode.UNSET;
    }
    if (v.isIntegralNumber()) {
      switch (v.canConvertToInt() ? v.intValue() : -1) {
        case 0: return StatusCode.UNSET;
        case 1: return StatusCode.OK;
        case 2: return StatusCode.ERROR;
        default: return StatusCode.UNKNOWN;
      }
    }
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "STATUS_CODE_UNSET": return StatusCode.UNSET;
        case "STATUS_CODE_OK": return StatusCode.OK;
        case "STATUS_CODE_ERROR": return StatusCode.ERROR;
        default: return StatusCode.UNKNOWN;
      }
    }
    throw TraceFields.wrongType("status.code", v, "a StatusCode number or name");
  }
}
