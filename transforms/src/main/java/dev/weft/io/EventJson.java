package dev.weft.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.SpanPart;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON rendering of an {@link Event}, one object per line in {@code events-*.jsonl}. Field order
 * is fixed and maps are sorted, so the same event always renders to the same bytes; absent values
 * are omitted, never written as empty strings. {@link #fromJson} reads a line back into the same
 * event, so Weft's own output (and its spill files) can be replayed as a source ({@code
 * weft-events}).
 */
public final class EventJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private EventJson() {}

  public static String toJson(Event e) {
    return write(toNode(e));
  }

  /**
   * The event a line of {@code events-*.jsonl} holds: the exact inverse of {@link #toJson}.
   *
   * @throws InvalidEventJson naming the field, when the line is not such an event
   */
  public static Event fromJson(String json) {
    return EventJsonReader.fromJson(json);
  }

  /** The inverse of {@link #toNode}; see {@link EventJsonReader}. */
  public static Event fromNode(com.fasterxml.jackson.databind.JsonNode node) {
    return EventJsonReader.fromNode(node);
  }

  public static ObjectNode toNode(Event e) {
    ObjectNode n = F.objectNode();
    n.put("eventId", e.eventId());
    n.put("idKind", e.idKind().name());
    n.put("kind", e.kind().name());
    e.rawKind().ifPresent(v -> n.put("rawKind", v));
    n.put("eventTime", e.eventTime().toString());
    n.put("timeQuality", e.timeQuality().name());
    n.put("observedTime", e.observedTime().toString());
    n.set("origin", origin(e.origin()));
    n.set("signals", map(e.signals()));
    n.set("attributes", map(e.attributes()));
    e.span().ifPresent(s -> n.set("span", span(s)));
    e.log().ifPresent(l -> n.set("log", log(l)));
    e.config().ifPresent(c -> n.set("config", config(c)));
    return n;
  }

  public static ObjectNode origin(Origin o) {
    ObjectNode n = F.objectNode();
    n.put("format", o.format());
    n.put("resource", o.resource());
    o.line().ifPresent(v -> n.put("line", v));
    o.byteOffset().ifPresent(v -> n.put("byteOffset", v));
    o.partition().ifPresent(v -> n.put("partition", v));
    o.offset().ifPresent(v -> n.put("offset", v));
    o.pointer().ifPresent(v -> n.put("pointer", v));
    return n;
  }

  private static ObjectNode span(SpanPart s) {
    ObjectNode n = F.objectNode();
    n.put("traceId", s.traceId());
    n.put("spanId", s.spanId());
    put(n, "parentSpanId", s.parentSpanId());
    put(n, "name", s.name());
    n.put("kind", s.kind().name());
    put(n, "rawKind", s.rawKind());
    s.durationMicros().ifPresent(v -> n.put("durationMicros", v));
    n.put("status", s.status().name());
    put(n, "rawStatus", s.rawStatus());
    put(n, "statusMessage", s.statusMessage());
    if (s.shared()) {
      n.put("shared", true);
    }
    // The model decides how the graph links calls (Zipkin's shared span ids); a replayed span
    // must keep it.
    n.put("model", s.model().name());
    return n;
  }

  private static ObjectNode log(LogPart l) {
    ObjectNode n = F.objectNode();
    n.put("severity", l.severity().name());
    l.severityNumber().ifPresent(v -> n.put("severityNumber", v));
    put(n, "severityText", l.severityText());
    put(n, "body", l.body());
    put(n, "traceId", l.traceId());
    put(n, "spanId", l.spanId());
    return n;
  }

  private static ObjectNode config(ConfigPart c) {
    ObjectNode n = F.objectNode();
    n.put("objectKind", c.objectKind());
    put(n, "apiVersion", c.apiVersion());
    n.put("operation", c.operation().name());
    put(n, "rawOperation", c.rawOperation());
    put(n, "version", c.version());
    n.put("name", c.name());
    put(n, "namespace", c.namespace());
    put(n, "uid", c.uid());
    n.set("labels", map(c.labels()));
    if (!c.selector().isEmpty()) {
      n.set("selector", map(c.selector()));
    }
    var refs = n.putArray("references");
    for (Reference r : c.references()) {
      ObjectNode rn = refs.addObject();
      rn.put("relation", r.relation());
      rn.put("targetKind", r.targetKind());
      rn.put("targetName", r.targetName());
      put(rn, "targetNamespace", r.targetNamespace());
      put(rn, "targetUid", r.targetUid());
    }
    return n;
  }

  static ObjectNode map(Map<String, String> m) {
    ObjectNode n = F.objectNode();
    m.forEach(n::put);
    return n;
  }

  static void put(ObjectNode n, String field, Optional<String> value) {
    value.ifPresent(v -> n.put(field, v));
  }

  static String write(ObjectNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
