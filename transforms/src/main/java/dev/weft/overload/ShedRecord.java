package dev.weft.overload;

import dev.weft.model.Event;
import dev.weft.model.OutputJson;
import java.time.Instant;

/** One line of the {@code shed} output: which event was dropped by the overload policy, and why. */
final class ShedRecord {
  private ShedRecord() {}

  static String of(Event e, String emitter, long windowStart, long budget) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("eventId", e.eventId());
      OutputJson.instant(g, "eventTime", e.eventTime());
      g.writeStringField("emitter", emitter);
      OutputJson.instant(g, "windowStart", Instant.ofEpochMilli(windowStart));
      g.writeStringField("reason",
          "over the overload budget of " + budget + " events per emitter per window");
      g.writeStringField("format", e.origin().format());
      g.writeStringField("resource", e.origin().resource());
      OutputJson.optLong(g, "line", e.origin().line());
      g.writeEndObject();
    });
  }
}
