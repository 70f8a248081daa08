package dev.weft.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Renders graph records as one-line JSON with a fixed field order and ISO-8601 instants, so equal
 * records are equal bytes (what lets a run's outputs be diffed and replays be compared). Absent
 * optionals are omitted rather than written as null.
 */
final class GraphJson {
  private static final JsonFactory JSON = new JsonFactory();

  private GraphJson() {}

  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  static String render(Body body) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("rendering JSON into a string cannot fail", e);
    }
    return w.toString();
  }

  static String node(GraphNode n, boolean withPane) {
    return render(g -> {
      g.writeStartObject();
      if (withPane) {
        g.writeStringField("upsertKey", n.upsertKey());
      }
      g.writeStringField("id", n.id());
      g.writeStringField("type", n.type());
      if (withPane) {
        pane(g, n.pane());
      }
      g.writeBooleanField("inferred", n.inferred());
      g.writeNumberField("events", n.events());
      instant(g, "firstSeen", n.firstSeen());
      instant(g, "lastSeen", n.lastSeen());
      instant(g, "lastWrite", n.lastWrite());
      instant(g, "validTo", n.validTo());
      g.writeObjectFieldStart("logsBySeverity");
      for (Map.Entry<String, Long> e : n.logsBySeverity().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> e : n.attributes().entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  static String edge(GraphEdge e, boolean withPane) {
    return render(g -> {
      g.writeStartObject();
      if (withPane) {
        g.writeStringField("upsertKey", e.upsertKey());
      }
      g.writeStringField("from", e.from());
      g.writeStringField("relation", e.relation());
      g.writeStringField("to", e.to());
      g.writeStringField("kind", e.kind().name());
      if (withPane) {
        pane(g, e.pane());
      }
      if (e.kind() == EdgeKind.CALL) {
        g.writeNumberField("count", e.count());
        g.writeNumberField("errors", e.errors());
        optLong(g, "p50Micros", e.p50Micros());
        optLong(g, "p90Micros", e.p90Micros());
        optLong(g, "p99Micros", e.p99Micros());
      } else {
        instant(g, "validFrom", e.validFrom());
        instant(g, "lastObserved", e.lastObserved());
        instant(g, "validTo", e.validTo());
      }
      g.writeEndObject();
    });
  }

  static String late(LateEvent l) {
    return render(g -> {
      g.writeStartObject();
      g.writeStringField("eventId", l.eventId());
      g.writeStringField("format", l.format());
      g.writeStringField("key", l.key());
      g.writeStringField("eventTime", l.eventTime().toString());
      g.writeStringField("frontier", l.frontier().toString());
      g.writeNumberField("lateByMillis", l.lateByMillis());
      g.writeNumberField("allowedLatenessMillis", l.allowedLatenessMillis());
      g.writeStringField("stage", l.stage());
      g.writeStringField("reason", l.reason());
      g.writeEndObject();
    });
  }

  private static void pane(JsonGenerator g, GraphPane p) throws IOException {
    g.writeStringField("windowStart", p.windowStart().toString());
    g.writeStringField("windowEnd", p.windowEnd().toString());
    g.writeStringField("timing", p.timing().name());
    g.writeNumberField("paneIndex", p.index());
    g.writeBooleanField("final", p.isFinal());
    g.writeNumberField("revision", p.revision());
  }

  private static void instant(JsonGenerator g, String name, Optional<Instant> t)
      throws IOException {
    if (t.isPresent()) {
      g.writeStringField(name, t.get().toString());
    }
  }

  private static void optLong(JsonGenerator g, String name, Optional<Long> v) throws IOException {
    if (v.isPresent()) {
      g.writeNumberField(name, v.get());
    }
  }
}
