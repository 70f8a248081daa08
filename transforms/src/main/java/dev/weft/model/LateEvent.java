package dev.weft.model;

import java.time.Instant;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * An event that arrived too late to be placed: it lies behind the released event-time frontier of
 * its key by more than the allowed lateness. It is routed here, counted, and kept out of the graph,
 * never dropped silently. {@code stage} names the transform that routed it.
 */
@DefaultCoder(LateEventCoder.class)
public record LateEvent(
    String eventId,
    String format,
    String key,
    Instant eventTime,
    Instant frontier,
    long lateByMillis,
    long allowedLatenessMillis,
    String stage,
    String reason) {

  public LateEvent {
    Checks.nonEmpty(eventId, "eventId");
    Checks.notNull(format, "format");
    Checks.nonEmpty(key, "key");
    Checks.notNull(eventTime, "eventTime");
    Checks.notNull(frontier, "frontier");
    Checks.nonEmpty(stage, "stage");
    Checks.nonEmpty(reason, "reason");
  }

  /** One line of {@code late-*.jsonl}, fixed field order. */
  public String toJson() {
    return GraphJson.late(this);
  }
}
