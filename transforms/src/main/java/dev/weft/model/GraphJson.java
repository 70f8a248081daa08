package dev.weft.model;

import static dev.weft.model.OutputJson.instant;
import static dev.weft.model.OutputJson.longMap;
import static dev.weft.model.OutputJson.optInstant;
import static dev.weft.model.OutputJson.optLong;
import static dev.weft.model.OutputJson.render;
import static dev.weft.model.OutputJson.stringMap;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Renders graph records (and late records) as one-line JSON with a fixed field order and ISO-8601
 * instants, so equal records are equal bytes (what lets a run's outputs be diffed and replays be
 * compared). Absent optionals are omitted rather than written as null; see {@link OutputJson}.
 */
final class GraphJson {
  private GraphJson() {}

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
      optInstant(g, "firstSeen", n.firstSeen());
      optInstant(g, "lastSeen", n.lastSeen());
      optInstant(g, "lastWrite", n.lastWrite());
      optInstant(g, "validTo", n.validTo());
      longMap(g, "logsBySeverity", n.logsBySeverity());
      stringMap(g, "attributes", n.attributes());
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
        optInstant(g, "validFrom", e.validFrom());
        optInstant(g, "lastObserved", e.lastObserved());
        optInstant(g, "validTo", e.validTo());
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
      instant(g, "eventTime", l.eventTime());
      instant(g, "frontier", l.frontier());
      g.writeNumberField("lateByMillis", l.lateByMillis());
      g.writeNumberField("allowedLatenessMillis", l.allowedLatenessMillis());
      g.writeStringField("stage", l.stage());
      g.writeStringField("reason", l.reason());
      g.writeEndObject();
    });
  }

  private static void pane(JsonGenerator g, GraphPane p) throws IOException {
    instant(g, "windowStart", p.windowStart());
    instant(g, "windowEnd", p.windowEnd());
    g.writeStringField("timing", p.timing().name());
    g.writeNumberField("paneIndex", p.index());
    g.writeBooleanField("final", p.isFinal());
    g.writeNumberField("revision", p.revision());
  }
}
