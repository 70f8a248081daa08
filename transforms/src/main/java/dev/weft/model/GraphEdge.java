package dev.weft.model;

import java.time.Instant;
import java.util.Optional;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One edge of the graph in one event-time window, as of one pane.
 *
 * <p>CALL edges ({@code relation = "calls"}) carry the number of calls, the number that failed and
 * latency percentiles in microseconds from a t-digest (approximate; counts are exact). STRUCTURAL
 * edges ({@code runs-on}, {@code part-of}, {@code uses}, {@code selects}, {@code routes-to}) carry a
 * validity interval in event time: from the earliest state that stated the relation to the deletion
 * of either end ({@code validTo} empty while it still holds); {@code lastObserved} is the latest
 * event time at which a state stated it (a deletion after it ends the edge).
 */
@DefaultCoder(GraphEdgeCoder.class)
public record GraphEdge(
    String from,
    String relation,
    String to,
    EdgeKind kind,
    GraphPane pane,
    long count,
    long errors,
    Optional<Long> p50Micros,
    Optional<Long> p90Micros,
    Optional<Long> p99Micros,
    Optional<Instant> validFrom,
    Optional<Instant> lastObserved,
    Optional<Instant> validTo) {

  public GraphEdge {
    Checks.nonEmpty(from, "from");
    Checks.nonEmpty(relation, "relation");
    Checks.nonEmpty(to, "to");
    Checks.notNull(kind, "kind");
    Checks.notNull(pane, "pane");
    Checks.notNull(p50Micros, "p50Micros");
    Checks.notNull(p90Micros, "p90Micros");
    Checks.notNull(p99Micros, "p99Micros");
    Checks.notNull(validFrom, "validFrom");
    Checks.notNull(lastObserved, "lastObserved");
    Checks.notNull(validTo, "validTo");
  }

  /** The edge regardless of window: {@code relation|from|to}. */
  public String edgeKey() {
    return relation + "|" + from + "|" + to;
  }

  /** One record per edge and window; the highest revision of a key is the current one. */
  public String upsertKey() {
    return "edge|" + edgeKey() + "|" + pane.windowStart();
  }

  /** One line of {@code edges-*.jsonl}: fixed field order, so equal records render equal bytes. */
  public String toJson() {
    return GraphJson.edge(this, true);
  }
}
