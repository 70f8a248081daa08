package dev.weft.model;

import java.time.Instant;

/**
 * The pane a graph record came from: its event-time window {@code [windowStart, windowEnd)}, pane
 * timing, pane index, whether it is the final pane, and a revision that grows with every pane of
 * the same upsert key. A consumer that upserts by key and keeps the highest revision ends with the
 * correct graph whatever the order in which revisions arrive.
 */
public record GraphPane(
    Instant windowStart,
    Instant windowEnd,
    PaneTiming timing,
    long index,
    boolean isFinal,
    long revision) {

  public GraphPane {
    Checks.notNull(windowStart, "windowStart");
    Checks.notNull(windowEnd, "windowEnd");
    Checks.notNull(timing, "timing");
  }
}
