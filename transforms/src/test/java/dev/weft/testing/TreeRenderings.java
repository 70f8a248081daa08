package dev.weft.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.model.Binding;
import dev.weft.model.ConfigPart;
import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.SpanPart;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An independent rendering of Weft's per-record outputs through Jackson's tree model, built field
 * by field from the records: the renderers Weft used before every output moved to the streaming
 * generator ({@code OutputJson}), kept verbatim as the oracle of {@code OutputJsonEquivalenceTest}
 * and of the rendering benchmark. Weft's output must stay these bytes: field order, number
 * formatting, escaping, absent values omitted, nested objects.
 */
public final class TreeRenderings {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private TreeRenderings() {}

  /** A line of {@code events-*.jsonl}. */
  public static String event(Event e) {
    return write(eventNode(e));
  }

  public static ObjectNode eventNode(Event e) {
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

  /** A line of {@code deadletters-*.jsonl}. */
  public static String deadLetter(DeadLetter d) {
    ObjectNode n = F.objectNode();
    n.put("adapter", d.adapter());
    n.put("errorClass", d.errorClass().name());
    n.put("reason", d.reason());
    n.set("origin", origin(d.origin()));
    n.put("where", d.origin().describe());
    n.put("observedTime", d.observedTime().toString());
    n.put("rawSize", d.rawSize());
    n.put("truncated", d.truncated());
    n.put("payloadEncoding", d.payloadEncoding());
    n.put("payload", d.payload());
    return write(n);
  }

  /** A line of {@code bindings-*.jsonl}. */
  public static String binding(Binding b) {
    ObjectNode n = F.objectNode();
    n.put("eventId", b.eventId());
    n.put("eventTime", b.eventTime().toString());
    n.put("entityType", b.entityType());
    n.put("entityId", b.entityId());
    n.put("decision", b.decision().name());
    b.rule().ifPresent(r -> n.put("rule", r));
    ObjectNode signals = n.putObject("signals");
    b.signals().forEach(signals::put);
    n.put("confidence", b.confidence());
    if (!b.candidates().isEmpty()) {
      ArrayNode c = n.putArray("candidates");
      b.candidates().forEach(c::add);
    }
    b.reason().ifPresent(r -> n.put("reason", r));
    n.put("revision", b.revision());
    return write(n);
  }

  /** A line of {@code shed-*.jsonl}. */
  public static String shed(Event e, String emitter, long windowStart, long budget) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("eventId", e.eventId());
    n.put("eventTime", e.eventTime().toString());
    n.put("emitter", emitter);
    n.put("windowStart", Instant.ofEpochMilli(windowStart).toString());
    n.put("reason", "over the overload budget of " + budget + " events per emitter per window");
    n.put("format", e.origin().format());
    n.put("resource", e.origin().resource());
    e.origin().line().ifPresent(l -> n.put("line", l));
    return n.toString();
  }

  private static ObjectNode origin(Origin o) {
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

  private static ObjectNode map(Map<String, String> m) {
    ObjectNode n = F.objectNode();
    m.forEach(n::put);
    return n;
  }

  private static void put(ObjectNode n, String field, Optional<String> value) {
    value.ifPresent(v -> n.put(field, v));
  }

  private static String write(ObjectNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
