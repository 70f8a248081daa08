package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads OTLP/JSON {@code ExportLogsServiceRequest} documents (format {@code otlp-logs}): one event
 * of kind LOG per log record, events ({@code eventName}) included.
 *
 * <p><b>Event id.</b> CONTENT_HASH {@code EventIds.contentHash("otlp-log", ...)} over the fields
 * that define a log record: {@code timeUnixNano} (or {@code observedTimeUnixNano} when the record
 * has no time), severity number and text, the rendered body, trace and span id, event name, scope
 * name and version, the log attributes and the resource attributes, each in key order. A log
 * record has no id of its own in OTLP; two deliveries of the same record hash alike, and two
 * records identical in all of these fields are indistinguishable and count as one.
 *
 * <p><b>Time.</b> {@code timeUnixNano} (SOURCE), else {@code observedTimeUnixNano} (DERIVED: the
 * collector's clock, not the event's), else the record's observed time (FALLBACK).
 *
 * <p><b>Fields.</b> Resource attributes are identity signals; log attributes are attributes, the
 * peer ones ({@link TraceFields#PEER_KEYS}) also signals; scope name and version as {@code
 * otel.scope.name}/{@code otel.scope.version}; {@code eventName} as attribute {@code event.name}.
 * The body is the string value, or other AnyValues rendered (kvlists and arrays as compact JSON).
 * Severity comes from {@code severityNumber} (number or {@code SEVERITY_NUMBER_*} name), or from
 * {@code severityText} when the number is unset. A trace or span id of all zeros means "no trace
 * context". A bad record is one failure pointing at it; the others still become events.
 */
public final class OtlpLogsAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;
  public static final String FORMAT = "otlp-logs";
  private static final String ID_NAMESPACE = "otlp-log";

  public OtlpLogsAdapter() {}

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
    return TraceDocuments.parse(raw, "an OTLP/JSON ExportLogsServiceRequest",
        (root, origin, result) -> parseRequest(root, origin, observed, result));
  }

  private static void parseRequest(JsonNode root, Origin origin, Instant observed,
      AdapterResult result) {
    // The resource's hash input is computed once per resource, not once per record.
    Map<Map<String, String>, String[]> resourceParts = new java.util.IdentityHashMap<>();
    OtlpRequests.walk(root, "", origin, FORMAT, OtlpRequests.LOGS, result,
        (log, resource, scope, at) -> log(log, resource,
            resourceParts.computeIfAbsent(resource, r -> flatten("resource", r)), scope, at,
            observed));
  }

  private static Event log(JsonNode r, Map<String, String> resource, String[] resourceParts,
      OtlpRequests.Scope scope, Origin origin, Instant observed) throws RecordRejected {
    if (!r.isObject()) {
      throw TraceFields.wrongType("the log record", r, "a LogRecord object");
    }
    long time = TraceFields.unsignedNanos(TraceFields.field(r, "timeUnixNano", "time_unix_nano"),
        "timeUnixNano");
    long observedNanos = TraceFields.unsignedNanos(
        TraceFields.field(r, "observedTimeUnixNano", "observed_time_unix_nano"),
        "observedTimeUnixNano");
    Integer number = severityNumber(TraceFields.field(r, "severityNumber", "severity_number"));
    String text = TraceFields.optText(TraceFields.field(r, "severityText", "severity_text"),
        "severityText");
    String body = TraceFields.anyValue(TraceFields.field(r, "body"), "body");
    String traceId = TraceFields.otlpId(TraceFields.field(r, "traceId", "trace_id"), 32,
        "traceId", false, true);
    String spanId = TraceFields.otlpId(TraceFields.field(r, "spanId", "span_id"), 16, "spanId",
        false, true);
    String eventName = TraceFields.optText(TraceFields.field(r, "eventName", "event_name"),
        "eventName");
    Map<String, String> attrs = new TreeMap<>();
    TraceFields.keyValues(TraceFields.field(r, "attributes"), "attribute", attrs::put);

    Event.Builder b = Event.builder()
        .origin(origin)
        .observedTime(observed)
        .signals(resource)
        .attributes(scope.attributes())
        .attribute(TraceFields.SCOPE_NAME, scope.name())
        .attribute(TraceFields.SCOPE_VERSION, scope.version())
        .attribute("event.name", eventName)
        .attributes(attrs);
    for (Map.Entry<String, String> a : attrs.entrySet()) {
      if (TraceFields.PEER_KEYS.contains(a.getKey())) {
        b.signal(a.getKey(), a.getValue());
      }
    }
    if (time != 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfNanos(time), "timeUnixNano"),
          TimeQuality.SOURCE);
    } else if (observedNanos != 0) {
      b.eventTime(PlausibleTime.check(TraceFields.instantOfNanos(observedNanos),
          "observedTimeUnixNano"), TimeQuality.DERIVED);
    } else {
      b.eventTime(observed, TimeQuality.FALLBACK);
    }

    List<String> parts = new ArrayList<>(16 + resourceParts.length + 2 * attrs.size());
    parts.add(time != 0 ? Long.toUnsignedString(time) : "observed:"
        + Long.toUnsignedString(observedNanos));
    parts.add(number == null ? null : number.toString());
    parts.add(text);
    parts.add(body);
    parts.add(traceId);
    parts.add(spanId);
    parts.add(eventName);
    parts.add(scope.name());
    parts.add(scope.version());
    parts.addAll(List.of(resourceParts));
    parts.add("attributes");
    parts.add(Integer.toString(attrs.size()));
    for (Map.Entry<String, String> a : attrs.entrySet()) {
      parts.add(a.getKey());
      parts.add(a.getValue());
    }
    b.eventId(EventIds.contentHash(ID_NAMESPACE, parts.toArray(new String[0])),
        IdKind.CONTENT_HASH);

    b.log(new LogPart(severity(number, text), Optional.ofNullable(number),
        Optional.ofNullable(text), Optional.ofNullable(body), Optional.ofNullable(traceId),
        Optional.ofNullable(spanId)));
    return b.build();
  }

  /** A section of the hashed fields: its name, its size, then key and value in key order. */
  private static String[] flatten(String section, Map<String, String> sorted) {
    String[] out = new String[2 + 2 * sorted.size()];
    out[0] = section;
    out[1] = Integer.toString(sorted.size());
    int i = 2;
    for (Map.Entry<String, String> e : new TreeMap<>(sorted).entrySet()) {
      out[i++] = e.getKey();
      out[i++] = e.getValue();
    }
    return out;
  }

  /** The SeverityNumber as given (number or SEVERITY_NUMBER_* name); null when unset. */
  static Integer severityNumber(JsonNode v) throws RecordRejected {
    if (v == null) {
      return null;
    }
    if (v.isIntegralNumber()) {
      if (!v.canConvertToInt()) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "severityNumber " + v.asText()
            + " is out of range");
      }
      return v.intValue() == 0 ? null : v.intValue();
    }
    if (v.isTextual()) {
      String s = v.textValue();
      String name = s.startsWith("SEVERITY_NUMBER_") ? s.substring(16) : s;
      int step = 0;
      char last = name.isEmpty() ? ' ' : name.charAt(name.length() - 1);
      if (last >= '2' && last <= '4') {
        step = last - '1';
        name = name.substring(0, name.length() - 1);
      }
      int base;
      switch (name) {
        case "UNSPECIFIED": return null;
        case "TRACE": base = 1; break;
        case "DEBUG": base = 5; break;
        case "INFO": base = 9; break;
        case "WARN": base = 13; break;
        case "ERROR": base = 17; break;
        case "FATAL": base = 21; break;
        default:
          throw new RecordRejected(FailureKind.INVALID_VALUE, "severityNumber \""
              + TraceFields.clip(s) + "\" is not a SeverityNumber name");
      }
      return base + step;
    }
    throw TraceFields.wrongType("severityNumber", v, "a SeverityNumber number or name");
  }

  /** From the number when set, else from common severity words in the text. */
  static Severity severity(Integer number, String text) {
    if (number != null) {
      return Severity.fromOtelNumber(number);
    }
    if (text == null) {
      return Severity.UNSPECIFIED;
    }
    switch (text.toLowerCase(Locale.ROOT)) {
      case "trace": return Severity.TRACE;
      case "debug": return Severity.DEBUG;
      case "info": case "information": case "informational": case "notice":
        return Severity.INFO;
      case "warn": case "warning": return Severity.WARN;
      case "error": case "err": return Severity.ERROR;
      case "fatal": case "critical": case "crit": case "alert": case "emergency":
        return Severity.FATAL;
      default: return Severity.UNKNOWN;
    }
  }
}
