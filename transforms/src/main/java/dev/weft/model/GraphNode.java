package dev.weft.model;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One entity of the graph in one event-time window, as of one pane. {@code attributes} are the
 * entity's attributes by last-writer-wins in event time (configuration state wins over signals seen
 * on spans and logs); {@code events} counts the events about it in the window (retractions
 * subtracted); {@code logsBySeverity} counts its log events by severity; {@code lastWrite} is the
 * event time of the configuration write that won in this window (absent when the window has none);
 * {@code validTo} is set when that write deleted the entity. A node that is only mentioned (a reference
 * target, a peer inferred from a span) has {@code events == 0} and no first/last seen.
 */
@DefaultCoder(GraphNodeCoder.class)
public record GraphNode(
    String id,
    String type,
    GraphPane pane,
    SortedMap<String, String> attributes,
    long events,
    Optional<Instant> firstSeen,
    Optional<Instant> lastSeen,
    SortedMap<String, Long> logsBySeverity,
    Optional<Instant> lastWrite,
    Optional<Instant> validTo) {

  public GraphNode {
    Checks.nonEmpty(id, "id");
    Checks.nonEmpty(type, "type");
    Checks.notNull(pane, "pane");
    attributes = Checks.sortedCopy(attributes, "attributes");
    Checks.notNull(firstSeen, "firstSeen");
    Checks.notNull(lastSeen, "lastSeen");
    logsBySeverity = java.util.Collections.unmodifiableSortedMap(
        new java.util.TreeMap<>(Checks.notNull(logsBySeverity, "logsBySeverity")));
    Checks.notNull(lastWrite, "lastWrite");
    Checks.notNull(validTo, "validTo");
  }

  /** One record per node and window; the highest revision of a key is the current one. */
  public String upsertKey() {
    return "node|" + id + "|" + pane.windowStart();
  }

  /** True when no event is about this node: it is known only from references or span peers. */
  public boolean inferred() {
    return events == 0 && firstSeen.isEmpty();
  }

  /** One line of {@code nodes-*.jsonl}: fixed field order, so equal records render equal bytes. */
  public String toJson() {
    return GraphJson.node(this, true);
  }
}
