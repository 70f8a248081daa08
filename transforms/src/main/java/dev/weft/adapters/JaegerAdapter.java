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
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads Jaeger JSON (format {@code jaeger}): one event of kind SPAN per span. Accepted shapes:
 * the query API response {@code {"data": [{"traceID", "spans", "processes"}]}}, a single trace
 * object, an array of traces, an array of spans or a single span with an inline {@code process}
 * (Jaeger's UI/export model; one per line in NDJSON), and OTLP/JSON ({@code resourceSpans}, or
 * Jaeger v2's api_v3 {@code {"result": {"resourceSpans": ...}}}), which is read exactly as {@link
 * OtlpTracesAdapter} reads it.
 *
 * <p><b>Event id.</b> SOURCE_ID {@code EventIds.sourceId("span", traceId, spanId)}, the scheme of
 * OTLP and Zipkin, so a span exported both ways deduplicates. Ids are lower-case hex, left-padded
 * to 16 or 32 digits (Jaeger prints ids without leading zeros).
 *
 * <p><b>Fields.</b> The parent is the first CHILD_OF reference, else the first FOLLOWS_FROM (or the
 * legacy {@code parentSpanID}); other references are counted as {@code span.links.count}. {@code
 * startTime} micros (or RFC 3339) is the event time (SOURCE), {@code duration} micros (or a protobuf
 * duration "0.000123s"). Tags are typed {@code {"key", "type", "value"}} (also api_v2's {@code
 * vType/vStr/...}) and rendered canonically; {@code span.kind} sets the kind, {@code error=true} or
 * {@code otel.status_code=ERROR} the ERROR status ({@code otel.status_description} its message);
 * other tags are attributes, the peer ones ({@link TraceFields#PEER_KEYS}) also signals. Span logs
 * are counted ({@code span.events.count}) with their {@code event} field kept ({@code span.events}).
 * The process: {@code serviceName} is signal {@code service.name}; process tags {@code hostname} ->
 * {@code host.name}, {@code ip} -> {@code host.ip}, {@code client-uuid} -> {@code
 * service.instance.id}, and tags already named as OTel resource attributes ({@code host.*}, {@code
 * k8s.*}, {@code container.*}, {@code service.*}, {@code cloud.*}, {@code deployment.*}) are
 * signals; other process tags are attributes. A span whose process cannot be found has no
 * service signal (not a failure).
 */
public final class JaegerAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;
  public static final String FORMAT = "jaeger";

  public JaegerAdapter() {}

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
    return TraceDocuments.parse(raw, "Jaeger JSON",
        (root, origin, result) -> parseDocument(root, origin, observed, result));
  }

  private static void parseDocument(JsonNode root, Origin origin, Instant observed,
      AdapterResult result) {
    if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        JsonNode item = root.get(i);
        if (item.isObject() && item.has("spans")) {
          trace(item, "/" + i, origin, observed, result);
        } else {
          oneSpan(item, "/" + i, Map.of(), origin, observed, result);
        }
      }
      return;
    }
    if (!root.isObject()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "the document is "
          + TraceFields.typeOf(root) + ", expected Jaeger JSON ({\"data\": [traces]}, a trace, "
          + "or spans)", origin));
      return;
    }
    if (OtlpRequests.keyOf(root, OtlpRequests.RESOURCE_SPANS) != null) {
      OtlpTracesAdapter.parseRequest(root, "", origin, observed, FORMAT, result);
      return;
    }
    JsonNode v3 = TraceFields.field(root, "result");
    if (v3 != null && v3.isObject()
        && OtlpRequests.keyOf(v3, OtlpRequests.RESOURCE_SPANS) != null) {
      OtlpTracesAdapter.parseRequest(v3, "/result", origin, observed, FORMAT, result);
      return;
    }
    if (root.has("data") || root.has("errors")) {
      queryResponse(root, origin, observed, result);
      return;
    }
    if (root.has("spans")) {
      trace(root, "", origin, observed, result);
      return;
    }
    if (root.has("spanID") || root.has("spanId")) {
      oneSpan(root, "", Map.of(), origin, observed, result);
      return;
    }
    if (root.isEmpty()) {
      return;
    }
    String why = OtlpRequests.otherFormat(root, FORMAT);
    result.fail(ParseFailure.of(FailureKind.UNSUPPORTED, why != null ? why
        : "not Jaeger JSON: expected \"data\", \"spans\" or a span with \"spanID\"; its "
            + "top-level fields are " + OtlpRequests.fieldNames(root), origin));
  }

  private static void queryResponse(JsonNode root, Origin origin, Instant observed,
      AdapterResult result) {
    JsonNode errors = TraceFields.field(root, "errors");
    if (errors != null && errors.isArray()) {
      for (int i = 0; i < errors.size(); i++) {
        // The query service reports failures in-band; each is worth a dead letter of its own.
        result.fail(ParseFailure.of(FailureKind.UNSUPPORTED, "the Jaeger query response reports "
            + "an error instead of spans: " + TraceFields.clip(errors.get(i).toString()),
            origin.at("/errors/" + i)));
      }
    }
    JsonNode data = TraceFields.field(root, "data");
    if (data == null) {
      return;
    }
    if (data.isObject()) {
      trace(data, "/data", origin, observed, result);
      return;
    }
    if (!data.isArray()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "/data is " + TraceFields.typeOf(data)
          + ", expected an array of traces", origin.at("/data")));
      return;
    }
    for (int i = 0; i < data.size(); i++) {
      trace(data.get(i), "/data/" + i, origin, observed, result);
    }
  }

  private static void trace(JsonNode t, String pointer, Origin origin, Instant observed,
      AdapterResult result) {
    Map<String, Object> processes;
    JsonNode spans;
    try {
      if (!t.isObject()) {
        throw TraceFields.wrongType("the trace", t, "a trace object with \"spans\"");
      }
      processes = processes(TraceFields.field(t, "processes"));
      spans = TraceFields.field(t, "spans");
      if (spans != null && !spans.isArray()) {
        throw TraceFields.wrongType("spans", spans, "an array of spans");
      }
    } catch (RecordRejected e) {
      result.fail(OtlpRequests.recordFailure(e, "Jaeger trace", pointer, t, origin));
      return;
    }
    if (spans == null) {
      // A trace without spans is empty, unless a field of another name holds them ("sp`ns"):
      // those spans would vanish without a trace, so the trace is one failure instead.
      for (java.util.Iterator<String> names = t.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("traceID") && !name.equals("processes") && !name.equals("warnings")) {
          result.fail(OtlpRequests.recordFailure(new RecordRejected(FailureKind.MISSING_FIELD,
              "no \"spans\" list but an unknown field \"" + TraceFields.clip(name)
                  + "\" (a damaged name?)"), "Jaeger trace", pointer, t, origin));
          return;
        }
      }
      return;
    }
    for (int k = 0; k < spans.size(); k++) {
      oneSpan(spans.get(k), pointer + "/spans/" + k, processes, origin, observed, result);
    }
  }

  /** processID -> Process, or -> the RecordRejected that a span referring to it fails with. */
  private static Map<String, Object> processes(JsonNode ps) throws RecordRejected {
    if (ps == null) {
      return Map.of();
    }
    if (!ps.isObject()) {
      throw TraceFields.wrongType("processes", ps, "an object of processID -> process");
    }
    Map<String, Object> out = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = ps.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        out.put(e.getKey(), process(e.getValue(), "processes." + e.getKey()));
      } catch (RecordRejected bad) {
        out.put(e.getKey(), bad);
      }
    }
    return out;
  }

  /** A process read once: its identity signals and its other tags. */
  private record Process(Map<String, String> signals, Map<String, String> attributes) {}

  private static Process process(JsonNode p, String label) throws RecordRejected {
    if (!p.isObject()) {
      throw TraceFields.wrongType(label, p, "a process object");
    }
    Map<String, String> signals = new TreeMap<>();
    Map<String, String> attributes = new TreeMap<>();
    String service = TraceFields.optText(TraceFields.field(p, "serviceName"),
        label + ".serviceName");
    if (service != null) {
      signals.put("service.name", service);
    }
    JsonNode tags = TraceFields.field(p, "tags");
    if (tags != null) {
      if (!tags.isArray()) {
        throw TraceFields.wrongType(label + ".tags", tags, "an array of tags");
      }
      for (int i = 0; i < tags.size(); i++) {
        JsonNode tag = tags.get(i);
        String key = tagKey(tag, label + ".tags[" + i + "]");
        String value = tagValue(tag, label + ".tags \"" + TraceFields.clip(key) + "\"");
        if (value == null) {
          continue;
        }
        String signal = processSignal(key);
        if (signal != null) {
          signals.put(signal, value);
        } else {
          attributes.put(key, value);
        }
      }
    }
    return new Process(signals, attributes);
  }

  /** The signal a process tag is, or null when it is a plain attribute. */
  private static String processSignal(String key) {
    switch (key) {
      case "hostname": return "host.name";
      case "ip": return "host.ip";
      case "client-uuid": return "service.instance.id";
      default:
        return key.startsWith("host.") || key.startsWith("k8s.") || key.startsWith("container.")
            || key.startsWith("service.") || key.startsWith("cloud.")
            || key.startsWith("deployment.") ? key : null;
    }
  }

  private static void oneSpan(JsonNode span, String pointer, Map<String, Object> processes,
      Origin origin, Instant observed, AdapterResult result) {
    try {
      result.add(span(span, processes, pointer.isEmpty() ? origin : origin.at(pointer),
          observed));
    } catch (RecordRejected e) {
      result.fail(OtlpRequests.recordFailure(e, "Jaeger span", pointer, span, origin));
    }
  }

  private static Event span(JsonNode s, Map<String, Object> processes, Origin origin,
      Instant observed) throws RecordRejected {
    if (!s.isObject()) {
      throw TraceFields.wrongType("the span", s, "a Jaeger span object");
    }
    String traceId = TraceFields.paddedId(TraceFields.field(s, "traceID", "traceId"), 32,
        "traceID", true, false);
    String spanId = TraceFields.paddedId(TraceFields.field(s, "spanID", "spanId"), 16, "spanID",
        true, false);
    String name = TraceFields.optText(TraceFields.field(s, "operationName"), "operationName");
    long start = startMicros(TraceFields.field(s, "startTime"));
    long duration = durationMicros(TraceFields.field(s, "duration"));

    Event.Builder b = Event.builder()
        .eventId(EventIds.sourceId("span", traceId, spanId), IdKind.SOURCE_ID)
        .origin(origin)
        .observedTime(observed);

    String parent = null;
    int links = 0;
    JsonNode refs = TraceFields.field(s, "references");
    if (refs != null) {
      if (!refs.isArray()) {
        throw TraceFields.wrongType("references", refs, "an array");
      }
      String followsFrom = null;
      for (int i = 0; i < refs.size(); i++) {
        JsonNode ref = refs.get(i);
        if (!ref.isObject()) {
          throw TraceFields.wrongType("references[" + i + "]", ref, "a reference object");
        }
        String refType = TraceFields.optText(TraceFields.field(ref, "refType"),
            "references[" + i + "].refType");
        String refSpan = TraceFields.paddedId(TraceFields.field(ref, "spanID", "spanId"), 16,
            "references[" + i + "].spanID", true, true);
        if (parent == null && "CHILD_OF".equals(refType)) {
          parent = refSpan;
        } else if (followsFrom == null && "FOLLOWS_FROM".equals(refType)) {
          followsFrom = refSpan;
        }
      }
      if (parent == null) {
        parent = followsFrom;
      }
      links = refs.size() - (parent == null ? 0 : 1);
    }
    if (parent == null) {
      parent = TraceFields.paddedId(TraceFields.field(s, "parentSpanID", "parentSpanId"), 16,
          "parentSpanID", false, true);
    }
    if (spanId.equals(parent)) {
      parent = null;
    }
    if (links > 0) {
      b.attribute(TraceFields.LINKS_COUNT, Integer.toString(links));
    }

    SpanKind kind = SpanKind.UNSPECIFIED;
    String rawKind = null;
    StatusCode status = StatusCode.UNSET;
    String statusMessage = null;
    JsonNode tags = TraceFields.field(s, "tags");
    if (tags != null) {
      if (!tags.isArray()) {
        throw TraceFields.wrongType("tags", tags, "an array of {\"key\", \"type\", \"value\"}");
      }
      for (int i = 0; i < tags.size(); i++) {
        JsonNode tag = tags.get(i);
        String key = tagKey(tag, "tags[" + i + "]");
        String value = tagValue(tag, "tag \"" + TraceFields.clip(key) + "\"");
        if (value == null) {
          continue;
        }
        switch (key) {
          case "span.kind":
            kind = kind(value);
            rawKind = kind == SpanKind.UNKNOWN ? value : null;
            break;
          case "error":
            if ("true".equalsIgnoreCase(value)) {
              status = StatusCode.ERROR;
            } else {
              b.attribute(key, value);
            }
            break;
          case "otel.status_code":
            if ("ERROR".equalsIgnoreCase(value)) {
              status = StatusCode.ERROR;
            } else if ("OK".equalsIgnoreCase(value) && status != StatusCode.ERROR) {
              status = StatusCode.OK;
            } else if (!"UNSET".equalsIgnoreCase(value)) {
              b.attribute(key, value);
            }
            break;
          case "otel.status_description":
            statusMessage = value;
            break;
          default:
            b.attribute(key, value);
            if (TraceFields.PEER_KEYS.contains(key)) {
              b.signal(key, value);
            }
        }
      }
    }
    spanLogs(TraceFields.field(s, "logs"), b);
    JsonNode warnings = TraceFields.field(s, "warnings");
    if (warnings != null && warnings.isArray() && warnings.size() > 0) {
      String w = warnings.toString();
      TraceFields.checkSize("warnings", w);
      b.attribute("jaeger.warnings", w);
    }

    Process process = process(s, processes);
    if (process != null) {
      b.signals(process.signals()).attributes(process.attributes());
    }
    if (start > 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfMicros(start), "startTime"),
          TimeQuality.SOURCE);
    } else {
      b.eventTime(observed, TimeQuality.FALLBACK);
    }
    b.span(new SpanPart(traceId, spanId, Optional.ofNullable(parent), Optional.ofNullable(name),
        kind, Optional.ofNullable(rawKind),
        duration >= 0 ? Optional.of(duration) : Optional.empty(), status, Optional.empty(),
        Optional.ofNullable(statusMessage), false));
    return b.build();
  }

  /** The span's inline process, else the trace's process by processID; null when neither. */
  private static Process process(JsonNode s, Map<String, Object> processes)
      throws RecordRejected {
    JsonNode inline = TraceFields.field(s, "process");
    if (inline != null) {
      return process(inline, "process");
    }
    String id = TraceFields.optText(TraceFields.field(s, "processID", "processId"), "processID");
    Object p = id == null ? null : processes.get(id);
    if (p instanceof RecordRejected bad) {
      throw new RecordRejected(bad.kind(), "its process \"" + id + "\" is invalid: "
          + bad.getMessage());
    }
    return (Process) p;
  }

  private static void spanLogs(JsonNode logs, Event.Builder b) throws RecordRejected {
    if (logs == null) {
      return;
    }
    if (!logs.isArray()) {
      throw TraceFields.wrongType("logs", logs, "an array");
    }
    if (logs.size() == 0) {
      return;
    }
    b.attribute(TraceFields.EVENTS_COUNT, Integer.toString(logs.size()));
    StringBuilder names = null;
    for (int i = 0; i < logs.size(); i++) {
      JsonNode log = logs.get(i);
      JsonNode fields = log.isObject() ? TraceFields.field(log, "fields") : null;
      if (fields == null || !fields.isArray()) {
        throw TraceFields.wrongType("logs[" + i + "]", log, "a log with an array of fields");
      }
      for (JsonNode f : fields) {
        if (f.isObject() && "event".equals(f.path("key").asText())) {
          String name = tagValue(f, "logs[" + i + "].event");
          if (name != null) {
            names = names == null ? new StringBuilder("[") : names.append(',');
            TraceFields.quote(names, name);
            TraceFields.checkSize("the names of span logs", names);
          }
        }
      }
    }
    if (names != null) {
      b.attribute(TraceFields.EVENT_NAMES, names.append(']').toString());
    }
  }

  private static String tagKey(JsonNode tag, String label) throws RecordRejected {
    if (!tag.isObject()) {
      throw TraceFields.wrongType(label, tag, "a {\"key\", \"type\", \"value\"} object");
    }
    String key = TraceFields.optText(TraceFields.field(tag, "key"), label + ".key");
    if (key == null) {
      throw new RecordRejected(FailureKind.MISSING_FIELD, label + " has no key");
    }
    return key;
  }

  /** A typed tag value in canonical text (as for OTLP AnyValues); null when it has none. */
  private static String tagValue(JsonNode tag, String label) throws RecordRejected {
    String type = TraceFields.optText(TraceFields.field(tag, "type", "vType"), label + ".type");
    JsonNode v = TraceFields.field(tag, "value");
    if (v == null) {
      // api_v2 JSON: one field per type.
      v = firstOf(tag, "vStr", "vBool", "vInt64", "vFloat64", "vBinary");
      if (v == null) {
        return null;
      }
    }
    switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
      case "bool":
        if (v.isBoolean()) {
          return v.booleanValue() ? "true" : "false";
        }
        if (v.isTextual() && ("true".equalsIgnoreCase(v.textValue())
            || "false".equalsIgnoreCase(v.textValue()))) {
          return v.textValue().toLowerCase(Locale.ROOT);
        }
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " is typed bool but its "
            + "value is " + TraceFields.clip(v.toString()));
      case "int64":
        return Long.toString(TraceFields.int64(v, label));
      case "float64":
        return Double.toString(TraceFields.float64(v, label));
      default:
        return TraceFields.scalarText(v, label);
    }
  }

  private static JsonNode firstOf(JsonNode obj, String... names) {
    for (String n : names) {
      JsonNode v = TraceFields.field(obj, n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static SpanKind kind(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "client": return SpanKind.CLIENT;
      case "server": return SpanKind.SERVER;
      case "producer": return SpanKind.PRODUCER;
      case "consumer": return SpanKind.CONSUMER;
      case "internal": return SpanKind.INTERNAL;
      case "unspecified": case "": return SpanKind.UNSPECIFIED;
      default: return SpanKind.UNKNOWN;
    }
  }

  /** startTime as micros since the epoch (number or digits), or RFC 3339 (api_v2); absent -1. */
  private static long startMicros(JsonNode v) throws RecordRejected {
    if (v != null && v.isTextual() && v.textValue().indexOf('T') > 0) {
      try {
        Instant t = OffsetDateTime.parse(v.textValue()).toInstant();
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L),
            t.getNano() / 1000);
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "startTime \""
            + TraceFields.clip(v.textValue()) + "\" is not an RFC 3339 time");
      }
    }
    return TraceFields.micros(v, "startTime");
  }

  /** duration as micros (number or digits) or a protobuf duration "1.5s"; absent -1. */
  private static long durationMicros(JsonNode v) throws RecordRejected {
    if (v != null && v.isTextual() && v.textValue().endsWith("s")) {
      String t = v.textValue();
      try {
        BigDecimal seconds = new BigDecimal(t.substring(0, t.length() - 1));
        if (seconds.signum() < 0) {
          throw new NumberFormatException();
        }
        return seconds.movePointRight(6).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "duration \"" + TraceFields.clip(t)
            + "\" is not a non-negative duration in seconds");
      }
    }
    return TraceFields.micros(v, "duration");
  }
}
