package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The node records of a graph topic, folded as they are read: per node and window, every pane
 * (revision, accumulated {@code events}, the record's broker timestamp). A predicate for {@link
 * dev.weft.harness.KafkaTopics#readUntil}: true once the latest revisions count {@code expected}
 * events in all, so reading stops when the graph has caught up with what was produced.
 */
final class GraphPanes implements Predicate<List<ConsumerRecord<byte[], byte[]>>> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One graph record of a node window. */
  record Pane(long revision, long events, long brokerMillis, String timing) {}

  private final long expected;
  private final Map<String, List<Pane>> byNodeWindow = new TreeMap<>();
  private final Map<String, Pane> latest = new TreeMap<>();
  private int folded;
  private long total;

  GraphPanes(long expected) {
    this.expected = expected;
  }

  @Override
  public boolean test(List<ConsumerRecord<byte[], byte[]>> read) {
    // readUntil hands the whole list each time: fold only what is new.
    for (ConsumerRecord<byte[], byte[]> r : read.subList(folded, read.size())) {
      fold(r);
    }
    folded = read.size();
    return total == expected;
  }

  private void fold(ConsumerRecord<byte[], byte[]> r) {
    JsonNode n;
    try {
      n = JSON.readTree(r.value());
    } catch (IOException e) {
      throw new UncheckedIOException("graph record at offset " + r.offset(), e);
    }
    if (!n.path("upsertKey").asText().startsWith("node|")) {
      return;
    }
    String key = SentEvents.nodeWindow(n.path("id").asText(),
        Instant.parse(n.path("windowStart").asText()).toEpochMilli());
    Pane p = new Pane(n.path("revision").asLong(), n.path("events").asLong(), r.timestamp(),
        n.path("timing").asText());
    byNodeWindow.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
    Pane before = latest.get(key);
    if (before == null || p.revision() > before.revision()) {
      latest.put(key, p);
      total += p.events() - (before == null ? 0 : before.events());
    }
  }

  /** Events in the latest revision of each node window that counts any: the current graph. */
  Map<String, Long> latestCounts() {
    Map<String, Long> counts = new TreeMap<>();
    latest.forEach((k, p) -> {
      if (p.events() != 0) {
        counts.put(k, p.events());
      }
    });
    return counts;
  }

  long total() {
    return total;
  }

  /** What a latency observation is handed: the event's send time and its latency, both in ms. */
  interface LatencySink {
    /** {@code timing}: the pane timing (EARLY, ON_TIME, LATE) of the record that counted it. */
    void accept(long sentMillis, long latencyMillis, String timing);
  }

  /**
   * The event-to-graph latency of every sent event of the node windows {@code include} accepts:
   * for the i-th event (in send order) of a node window, the broker timestamp of the first
   * revision of that window counting at least i events, minus the event's send time. Events no
   * revision counted yet are left out (the caller compares counts).
   */
  void latencies(SentEvents sent, Predicate<String> include, LatencySink sink) {
    for (Map.Entry<String, List<Pane>> e : byNodeWindow.entrySet()) {
      if (!include.test(e.getKey())) {
        continue;
      }
      List<Long> times = sent.times(e.getKey());
      List<Pane> panes = new ArrayList<>(e.getValue());
      panes.sort(Comparator.comparingLong(Pane::revision));
      int reached = 0;
      for (Pane p : panes) {
        int upTo = (int) Math.min(p.events(), times.size());
        for (int i = reached; i < upTo; i++) {
          sink.accept(times.get(i), p.brokerMillis() - times.get(i), p.timing());
        }
        reached = Math.max(reached, upTo);
      }
    }
  }

  /** Events of the node windows {@code include} accepts that the graph counted by {@code millis}. */
  long countedBy(long millis, Predicate<String> include) {
    long sum = 0;
    for (Map.Entry<String, List<Pane>> e : byNodeWindow.entrySet()) {
      if (include.test(e.getKey())) {
        sum += e.getValue().stream().filter(p -> p.brokerMillis() <= millis)
            .mapToLong(Pane::events).max().orElse(0);
      }
    }
    return sum;
  }

  /**
   * The broker time at which every node window {@code include} accepts first counted all its sent
   * events ({@code Long.MAX_VALUE} if one never did).
   */
  long caughtUpAt(SentEvents sent, Predicate<String> include) {
    long at = Long.MIN_VALUE;
    for (Map.Entry<String, Long> want : sent.counts().entrySet()) {
      if (!include.test(want.getKey())) {
        continue;
      }
      long first = byNodeWindow.getOrDefault(want.getKey(), List.of()).stream()
          .filter(p -> p.events() >= want.getValue()).mapToLong(Pane::brokerMillis).min()
          .orElse(Long.MAX_VALUE);
      at = Math.max(at, first);
    }
    return at;
  }
}
