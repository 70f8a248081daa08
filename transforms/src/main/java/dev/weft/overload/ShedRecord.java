package dev.weft.overload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.model.Event;
import java.time.Instant;

/** One line of the {@code shed} output: which event was dropped by the overload policy, and why. */
final class ShedRecord {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ShedRecord() {}

  static String of(Event e, String emitter, long windowStart, long budget) {
    ObjectNode n = JSON.createObjectNode();
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
}
