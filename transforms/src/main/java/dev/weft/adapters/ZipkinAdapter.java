package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanModel;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Zipkin v2 JSON (format {@code zipkin}): a span array as the Zipkin API and reporters send
 * it, or a single span object (one per line in NDJSON). One event of kind SPAN per span.
 *
 * <p><b>Event id.</b> {@link ZipkinSpanIds}: trace id, span id, the half (kind, shared flag), the
 * local endpoint and a hash of the span's content. One Zipkin span id may stand for a client
 * half, a server half (with or without the {@code shared} flag), servers on several hosts and
 * kind-less fragments: each is its own event, and only the same record again is a duplicate.
 * Fragments are merged per trace by the graph, as Zipkin merges them.
 *
 * <p><b>Ids.</b> Lower-case hex, left-padded with zeros to 16 or 32 digits as Zipkin normalises
 * them (a 16-digit trace id stays 16 digits). A parent id of all zeros or equal to the span's own id
 * is no parent.
 *
 * <p><b>Time.</b> {@code timestamp} micros (SOURCE); without it the first annotation's timestamp
 * (DERIVED), else the record's observed time (FALLBACK). {@code duration} micros as given.
 *
 * <p><b>Fields.</b> localEndpoint: {@code serviceName} signal {@code service.name}, ipv4 (else ipv6)
 * signal {@code host.ip}, port attribute {@code network.local.port}. remoteEndpoint: {@code
 * serviceName} signal {@code peer.service}, ipv4/ipv6 signal {@code network.peer.address}, port
 * attribute {@code network.peer.port}. Tags are attributes (peer keys also signals); tag {@code
 * error} makes the status ERROR, its value the status message, and is not repeated as an attribute.
 * Annotations are counted ({@code span.events.count}) and their values kept as a JSON array
 * ({@code span.events}); {@code debug: true} is attribute {@code zipkin.debug}. A span without a
 * local service name is fine: it just has no {@code service.name} signal.
 */
public final class ZipkinAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;
  public static final String FORMAT = "zipkin";

  public ZipkinAdapter() {}

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
    return TraceDocuments.parse(raw, "a Zipkin v2 span array",
        (root, origin, result) -> parseDocument(root, origin, observed, result));
  }

  private static void parseDocument(JsonNode root, Origin origin, Instant observed,
      AdapterResult result) {
    if (root.isObject()) {
      String other = OtlpRequests.otherFormat(root, FORMAT);
      if (other != null) {
        result.fail(ParseFailure.of(FailureKind.UNSUPPORTED, other, origin));
        return;
      }
      // One span per document: NDJSON lines, or a single span posted alone.
      oneSpan(root, "", origin, observed, result);
      return;
    }
    if (!root.isArray()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "the document is "
          + TraceFields.typeOf(root) + ", expected a Zipkin v2 span array or a span object",
          origin));
      return;
    }
    for (int i = 0; i < root.size(); i++) {
      oneSpan(root.get(i), "/" + i, origin, observed, result);
    }
  }

  private static void oneSpan(JsonNode span, String pointer, Origin origin, Instant observed,
      AdapterResult result) {
    Origin at = pointer.isEmpty() ? origin : origin.at(pointer);
    try {
      result.add(span(span, at, observed));
    } catch (RecordRejected e) {
      result.fail(OtlpRequests.recordFailure(e, "Zipkin span",
          pointer, span, origin));
    }
  }

  private static Event span(JsonNode s, Origin origin, Instant observed) throws RecordRejected {
    if (!s.isObject()) {
      throw TraceFields.wrongType("the span", s, "a Zipkin v2 span object");
    }
    if (s.has("binaryAnnotations")) {
      throw new RecordRejected(FailureKind.UNSUPPORTED, "this is a Zipkin v1 span "
          + "(\"binaryAnnotations\"); only Zipkin v2 JSON (/api/v2/spans) is read");
    }
    String traceId = TraceFields.paddedId(TraceFields.field(s, "traceId"), 32, "traceId", true,
        false);
    String spanId = TraceFields.paddedId(TraceFields.field(s, "id"), 16, "id", true, false);
    String parent = TraceFields.paddedId(TraceFields.field(s, "parentId"), 16, "parentId", false,
        true);
    if (spanId.equals(parent)) {
      parent = null;
    }
    String name = TraceFields.optText(TraceFields.field(s, "name"), "name");
    JsonNode kindNode = TraceFields.field(s, "kind");
    SpanKind kind = kind(kindNode);
    boolean shared = flag(TraceFields.field(s, "shared"), "shared");
    long timestamp = TraceFields.micros(TraceFields.field(s, "timestamp"), "timestamp");
    long duration = TraceFields.micros(TraceFields.field(s, "duration"), "duration");

    Event.Builder b = Event.builder()
        .eventId(ZipkinSpanIds.of(s, traceId, spanId, kind, shared), IdKind.SOURCE_ID)
        .origin(origin)
        .observedTime(observed);
    endpoint(TraceFields.field(s, "localEndpoint"), "localEndpoint", b, "service.name",
        "host.ip", "network.local.port");
    endpoint(TraceFields.field(s, "remoteEndpoint"), "remoteEndpoint", b, "peer.service",
        "network.peer.address", "network.peer.port");
    if (flag(TraceFields.field(s, "debug"), "debug")) {
      b.attribute("zipkin.debug", "true");
    }

    StatusCode status = StatusCode.UNSET;
    String statusMessage = null;
    JsonNode tags = TraceFields.field(s, "tags");
    if (tags != null) {
      if (!tags.isObject()) {
        throw TraceFields.wrongType("tags", tags, "an object of string values");
      }
      Iterator<Map.Entry<String, JsonNode>> it = tags.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> tag = it.next();
        String key = tag.getKey();
        String value = TraceFields.scalarText(tag.getValue(), "tag \"" + TraceFields.clip(key)
            + "\"");
        if ("error".equals(key)) {
          // Zipkin marks a failed span by the presence of this tag, whatever its value.
          status = StatusCode.ERROR;
          statusMessage = value == null || value.isEmpty() ? null : value;
          continue;
        }
        b.attribute(key, value);
        if (TraceFields.PEER_KEYS.contains(key)) {
          b.signal(key, value);
        }
      }
    }

    long firstAnnotation = annotations(TraceFields.field(s, "annotations"), b);
    if (timestamp > 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfMicros(timestamp), "timestamp"),
          TimeQuality.SOURCE);
    } else if (firstAnnotation > 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfMicros(firstAnnotation),
          "annotations[0].timestamp"), TimeQuality.DERIVED);
    } else {
      b.eventTime(observed, TimeQuality.FALLBACK);
    }
    b.span(new SpanPart(traceId, spanId, Optional.ofNullable(parent), Optional.ofNullable(name),
        kind, kind == SpanKind.UNKNOWN ? Optional.of(kindNode.asText()) : Optional.empty(),
        duration > 0 ? Optional.of(duration) : Optional.empty(), status, Optional.empty(),
        Optional.ofNullable(statusMessage), shared && kind != SpanKind.CLIENT, SpanModel.ZIPKIN));
    return b.build();
  }

  private static void endpoint(JsonNode e, String label, Event.Builder b, String serviceSignal,
      String addressSignal, String portAttribute) throws RecordRejected {
    if (e == null) {
      return;
    }
    if (!e.isObject()) {
      throw TraceFields.wrongType(label, e, "an endpoint object");
    }
    b.signal(serviceSignal, TraceFields.optText(TraceFields.field(e, "serviceName"),
        label + ".serviceName"));
    String ip = TraceFields.optText(TraceFields.field(e, "ipv4"), label + ".ipv4");
    String ipv6 = TraceFields.optText(TraceFields.field(e, "ipv6"), label + ".ipv6");
    if (ip == null) {
      ip = ipv6;
    } else if (ipv6 != null) {
      // Both addresses: Zipkin tells endpoints apart by each, so the second is kept as well.
      b.attribute(addressSignal + ".ipv6", ipv6);
    }
    b.signal(addressSignal, ip);
    JsonNode port = TraceFields.field(e, "port");
    if (port != null) {
      if (!port.isIntegralNumber() || port.asLong() < 0 || port.asLong() > 65535) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + ".port " + port
            + " is not a port number (0-65535)");
      }
      if (port.asInt() != 0) {
        b.attribute(portAttribute, Integer.toString(port.asInt()));
      }
    }
  }

  /** Counts annotations, keeps their values; returns the first annotation's micros or -1. */
  private static long annotations(JsonNode list, Event.Builder b) throws RecordRejected {
    if (list == null) {
      return -1;
    }
    if (!list.isArray()) {
      throw TraceFields.wrongType("annotations", list, "an array");
    }
    if (list.size() == 0) {
      return -1;
    }
    long first = -1;
    StringBuilder values = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      if (!a.isObject()) {
        throw TraceFields.wrongType("annotations[" + i + "]", a, "an annotation object");
      }
      long ts = TraceFields.micros(TraceFields.field(a, "timestamp"),
          "annotations[" + i + "].timestamp");
      if (ts > 0 && (first < 0 || ts < first)) {
        first = ts;
      }
      String value = TraceFields.optText(TraceFields.field(a, "value"),
          "annotations[" + i + "].value");
      if (i > 0) {
        values.append(',');
      }
      TraceFields.quote(values, value == null ? "" : value);
      TraceFields.checkSize("the annotation values", values);
    }
    b.attribute(TraceFields.EVENTS_COUNT, Integer.toString(list.size()));
    b.attribute(TraceFields.EVENT_NAMES, values.append(']').toString());
    return first;
  }

  private static boolean flag(JsonNode v, String label) throws RecordRejected {
    if (v == null) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    throw TraceFields.wrongType(label, v, "a boolean");
  }

  private static SpanKind kind(JsonNode v) throws RecordRejected {
    if (v == null) {
      return SpanKind.UNSPECIFIED;
    }
    if (!v.isTextual()) {
      throw TraceFields.wrongType("kind", v, "one of CLIENT, SERVER, PRODUCER, CONSUMER");
    }
    switch (v.textValue()) {
      case "CLIENT": return SpanKind.CLIENT;
      case "SERVER": return SpanKind.SERVER;
      case "PRODUCER": return SpanKind.PRODUCER;
      case "CONSUMER": return SpanKind.CONSUMER;
      case "": return SpanKind.UNSPECIFIED;
      default: return SpanKind.UNKNOWN;
    }
  }
}
