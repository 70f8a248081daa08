package dev.weft.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a benchmark produced, per graph node and event-time window, in send order: the i-th event
 * of a node's window is the one the graph must count before it shows {@code events >= i}. Event
 * time, the record's Kafka timestamp and the wall time of sending are one value per event.
 */
final class SentEvents {
  private final long windowMillis;
  private final Map<String, List<Long>> byNodeWindow = new TreeMap<>();
  private long count;

  SentEvents(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** The key a graph node record of {@code nodeId} has for the window holding {@code millis}. */
  static String nodeWindow(String nodeId, long windowStartMillis) {
    return nodeId + "|" + windowStartMillis;
  }

  void add(String nodeId, long millis) {
    byNodeWindow.computeIfAbsent(nodeWindow(nodeId, millis - Math.floorMod(millis, windowMillis)),
        k -> new ArrayList<>()).add(millis);
    count++;
  }

  long count() {
    return count;
  }

  /** Send times of one node window's events, in send order (empty when none). */
  List<Long> times(String nodeWindow) {
    return byNodeWindow.getOrDefault(nodeWindow, List.of());
  }

  /** Events per node window: what the graph's latest revisions must hold. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    byNodeWindow.forEach((k, v) -> counts.put(k, (long) v.size()));
    return counts;
  }
}
