package dev.weft.io;

import static dev.weft.model.OutputJson.instant;
import static dev.weft.model.OutputJson.optInt;
import static dev.weft.model.OutputJson.optLong;
import static dev.weft.model.OutputJson.optString;
import static dev.weft.model.OutputJson.stringMap;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.OutputJson;
import dev.weft.model.Reference;
import dev.weft.model.SpanPart;
import java.io.IOException;

/**
 * The JSON rendering of an {@link Event}, one object per line in {@code events-*.jsonl}. Field order
 * is fixed and maps are sorted, so the same event always renders to the same bytes; absent values
 * are omitted, never written as empty strings. Rendered in one pass with Jackson's streaming
 * generator ({@link OutputJson}): this is the largest output of a run. {@link #fromJson} reads a
 * line back into the same event, so Weft's own output (and its spill files) can be replayed as a
 * source ({@code weft-events}).
 */
public final class EventJson {
  private EventJson() {}

  public static String toJson(Event e) {
    return OutputJson.render(g -> write(g, e));
  }

  /**
   * The event a line of {@code events-*.jsonl} holds: the exact inverse of {@link #toJson}.
   *
   * @throws InvalidEventJson naming the field, when the line is not such an event
   */
  public static Event fromJson(String json) {
    return EventJsonReader.fromJson(json);
  }

  /** The event a parsed line of {@code events-*.jsonl} holds; see {@link EventJsonReader}. */
  public static Event fromNode(com.fasterxml.jackson.databind.JsonNode node) {
    return EventJsonReader.fromNode(node);
  }

  private static void write(JsonGenerator g, Event e) throws IOException {
    g.writeStartObject();
    g.writeStringField("eventId", e.eventId());
    g.writeStringField("idKind", e.idKind().name());
    g.writeStringField("kind", e.kind().name());
    optString(g, "rawKind", e.rawKind());
    instant(g, "eventTime", e.eventTime());
    g.writeStringField("timeQuality", e.timeQuality().name());
    instant(g, "observedTime", e.observedTime());
    g.writeFieldName("origin");
    origin(g, e.origin());
    stringMap(g, "signals", e.signals());
    stringMap(g, "attributes", e.attributes());
    if (e.span().isPresent()) {
      span(g, e.span().get());
    }
    if (e.log().isPresent()) {
      log(g, e.log().get());
    }
    if (e.config().isPresent()) {
      config(g, e.config().get());
    }
    g.writeEndObject();
  }

  /** An origin as an object value (the field name is the caller's): events and dead letters. */
  static void origin(JsonGenerator g, Origin o) throws IOException {
    g.writeStartObject();
    g.writeStringField("format", o.format());
    g.writeStringField("resource", o.resource());
    optLong(g, "line", o.line());
    optLong(g, "byteOffset", o.byteOffset());
    optInt(g, "partition", o.partition());
    optLong(g, "offset", o.offset());
    optString(g, "pointer", o.pointer());
    g.writeEndObject();
  }

  private static void span(JsonGenerator g, SpanPart s) throws IOException {
    g.writeObjectFieldStart("span");
    g.writeStringField("traceId", s.traceId());
    g.writeStringField("spanId", s.spanId());
    optString(g, "parentSpanId", s.parentSpanId());
    optString(g, "name", s.name());
    g.writeStringField("kind", s.kind().name());
    optString(g, "rawKind", s.rawKind());
    optLong(g, "durationMicros", s.durationMicros());
    g.writeStringField("status", s.status().name());
    optString(g, "rawStatus", s.rawStatus());
    optString(g, "statusMessage", s.statusMessage());
    if (s.shared()) {
      g.writeBooleanField("shared", true);
    }
    // The model decides how the graph links calls (Zipkin's shared span ids); a replayed span
    // must keep it.
    g.writeStringField("model", s.model().name());
    g.writeEndObject();
  }

  private static void log(JsonGenerator g, LogPart l) throws IOException {
    g.writeObjectFieldStart("log");
    g.writeStringField("severity", l.severity().name());
    optInt(g, "severityNumber", l.severityNumber());
    optString(g, "severityText", l.severityText());
    optString(g, "body", l.body());
    optString(g, "traceId", l.traceId());
    optString(g, "spanId", l.spanId());
    g.writeEndObject();
  }

  private static void config(JsonGenerator g, ConfigPart c) throws IOException {
    g.writeObjectFieldStart("config");
    g.writeStringField("objectKind", c.objectKind());
    optString(g, "apiVersion", c.apiVersion());
    g.writeStringField("operation", c.operation().name());
    optString(g, "rawOperation", c.rawOperation());
    optString(g, "version", c.version());
    g.writeStringField("name", c.name());
    optString(g, "namespace", c.namespace());
    optString(g, "uid", c.uid());
    stringMap(g, "labels", c.labels());
    if (!c.selector().isEmpty()) {
      stringMap(g, "selector", c.selector());
    }
    g.writeArrayFieldStart("references");
    for (Reference r : c.references()) {
      g.writeStartObject();
      g.writeStringField("relation", r.relation());
      g.writeStringField("targetKind", r.targetKind());
      g.writeStringField("targetName", r.targetName());
      optString(g, "targetNamespace", r.targetNamespace());
      optString(g, "targetUid", r.targetUid());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
