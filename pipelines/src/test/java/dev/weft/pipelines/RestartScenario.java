package dev.weft.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The input of the kill-and-restart test, phase by phase, and what each phase must have caused
 * on the sink topics before the next one is sent. Every event time is {@code base} plus a fixed
 * offset, so every run of a test class produces byte-identical input records in the same order,
 * at the same offsets.
 *
 * <p>Event times lie in the future (base is about an hour ahead): the Kafka source's watermark
 * then moves only with the record timestamps the test sends (an idle partition's watermark
 * follows the clock, which stays behind them), so when a window closes and whether an event is
 * late depends on the input alone, never on how long a JVM took to start. Each phase that must
 * close windows sends a "tick" to both topics, because the watermark is the minimum over them.
 *
 * <p>Malformed records double as progress markers: a dead letter is written as soon as its record
 * is read, keyed by its origin ({@code topic[partition]@offset}), so its appearance on the
 * dead-letter topic shows how far the job has read.
 */
final class RestartScenario {
  static final String POD_IP = "10.9.0.7";
  static final int BATCH = 3000;
  static final int BATCH_MALFORMED_EVERY = 20;
  static final int BATCH_DUPLICATE_EVERY = 30;

  /**
   * One record to produce: topic suffix ({@code logs} or {@code k8s}), time, value, and whether
   * it is malformed (so must end as a dead letter).
   */
  record Input(String topic, long timeMillis, byte[] value, boolean malformed) {
    Input(String topic, long timeMillis, byte[] value) {
      this(topic, timeMillis, value, false);
    }
  }

  /** What the sink topics must show: on {@code topic} (graph, dead, bindings), records satisfying. */
  record Condition(String description, String topic, Predicate<List<Sunk>> holds) {}

  /** A record read back from a sink topic. */
  record Sunk(long offset, String key, String value) {}

  /**
   * Inputs, then the conditions that say the job has processed them: besides {@code done}, every
   * malformed input has its dead letter. Each condition is about this phase's own records, so a
   * job restored from a checkpoint taken before the phase must write them again to meet it.
   */
  record Phase(String name, List<Input> inputs, List<Condition> done) {}

  private final long base;
  private final List<Phase> phases = new ArrayList<>();

  RestartScenario(long base) {
    this.base = base;
    build();
  }

  List<Phase> phases() {
    return phases;
  }

  Phase phase(String name) {
    return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  long base() {
    return base;
  }

  /** Dead letters the input holds: the independent count the dead-letter topic must reach. */
  static int expectedDeadLetters() {
    return 1 + BATCH / BATCH_MALFORMED_EVERY + 2;
  }

  /** Distinct valid ledger lines of the batch (duplicates and malformed lines excluded). */
  static int expectedLedgerEvents() {
    return BATCH - BATCH / BATCH_MALFORMED_EVERY;
  }

  static final String LEDGER = "node|service.instance~ledger/node-9|";
  static final String CHECKOUT = "node|service.instance~checkout/node-1|";
  static final String SENTINEL = "node|service.instance~sentinel/node-s|";
  static final String POD_A = "k8s.pod:shop/checkout-a";
  static final String POD_B = "k8s.pod:shop/checkout-b";

  String window(long offsetSeconds) {
    return Instant.ofEpochMilli(base + offsetSeconds * 1000).toString();
  }

  private void build() {
    // 0: pod A owns the IP; its own event binds it strongly. One malformed k8s record.
    List<Input> pod = new ArrayList<>();
    pod.add(k8s(1_000, pod("ADDED", "checkout-a", "u-a", 100, 1_000, "node-1", null)));
    pod.add(new Input("k8s", at(1_500), "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Po"
        .getBytes(UTF_8), true));
    phases.add(new Phase("pod", pod, List.of(bindingTo(POD_A, "BOUND", 1))));

    // 1: a batch of ledger lines over three windows, every 20th malformed, every 30th resent,
    //    five lines that name only the pod IP (bound to pod A by alias); then ticks close the
    //    three windows.
    List<Input> batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      long t = i * 10L;
      boolean malformed = i % BATCH_MALFORMED_EVERY == BATCH_MALFORMED_EVERY - 1;
      byte[] line = malformed
          ? ("{\"timestamp\": \"" + iso(t) + "\", \"level\": \"info\", \"message\": \"posted "
              + "entry " + i).getBytes(UTF_8)
          : log(t, i % 7 == 0 ? "warn" : "info", "ledger", "node-9", "posted entry " + i);
      batch.add(new Input("logs", at(t), line, malformed));
      if (i % BATCH_DUPLICATE_EVERY == 0) {
        batch.add(new Input("logs", at(t), line, malformed));
      }
      if (i % 600 == 500) {
        long pt = 5_000 + (i / 600) * 1_000L;
        batch.add(new Input("logs", at(pt), podLog(pt, "pod A log " + i)));
      }
    }
    batch.addAll(ticks(37_000));
    phases.add(new Phase("batch", batch, List.of(nodeWithEvents(LEDGER, window(20), e -> e > 0))));

    // 2 and 3: forty checkout lines in a window the watermark has not reached, in two halves,
    //    each half followed by a malformed marker line.
    for (int half = 0; half < 2; half++) {
      List<Input> open = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        long t = 40_000 + half * 200 + k * 400L;
        open.add(new Input("logs", at(t), log(t, "info", "checkout", "node-1",
            "handled request " + (half * 20 + k))));
      }
      open.add(new Input("logs", at(40_000), ("{\"timestamp\": \"" + iso(40_000)
          + "\", \"message\": \"marker " + half).getBytes(UTF_8), true));
      phases.add(new Phase("open-" + (half + 1), open, List.of()));
    }

    // 4: ticks close the checkout window: its ON_TIME pane counts 40 events.
    phases.add(new Phase("close", ticks(54_000), List.of(
        nodeWithEvents(CHECKOUT, window(40), e -> e == 40))));

    // 5: three late lines for the closed window (within the allowed lateness) and one resent:
    //    LATE panes correct it to 43.
    List<Input> late = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      long t = 45_100 + k * 100L;
      late.add(new Input("logs", at(t), log(t, "error", "checkout", "node-1", "late " + k)));
    }
    late.add(late.get(0));
    phases.add(new Phase("late", late, List.of(
        nodeWithEvents(CHECKOUT, window(40), e -> e == 43))));

    // 6: pod A is deleted and pod B takes its IP: the re-bind.
    phases.add(new Phase("rebind", List.of(
        k8s(60_000, pod("DELETED", "checkout-a", "u-a", 200, 1_000, "node-1", 60_000L)),
        k8s(61_000, pod("ADDED", "checkout-b", "u-b", 201, 61_000, "node-2", null))),
        List.of(bindingTo(POD_B, "BOUND", 1))));

    // 7: lines naming only the IP now belong to pod B; ticks close their windows.
    List<Input> after = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      long t = 62_000 + k * 900L;
      after.add(new Input("logs", at(t), podLog(t, "pod B log " + k)));
    }
    after.addAll(ticks(80_000));
    phases.add(new Phase("after-rebind", after, List.of(bindingTo(POD_B, "ALIASED", 10))));

    // 8: a sentinel in a later window, then ticks past it: when its node is written, every
    //    earlier window has fired.
    List<Input> flush = new ArrayList<>();
    flush.add(new Input("logs", at(85_000), log(85_000, "info", "sentinel", "node-s", "end")));
    flush.addAll(ticks(100_000));
    phases.add(new Phase("flush", flush, List.of(
        nodeWithEvents(SENTINEL, window(80), e -> e == 1))));
  }

  private long at(long offsetMillis) {
    return base + offsetMillis;
  }

  private String iso(long offsetMillis) {
    return Instant.ofEpochMilli(base + offsetMillis).toString();
  }

  private byte[] log(long t, String level, String service, String host, String message) {
    return ("{\"timestamp\": \"" + iso(t) + "\", \"level\": \"" + level + "\", \"service\": \""
        + service + "\", \"host\": \"" + host + "\", \"message\": \"" + message + "\"}")
        .getBytes(UTF_8);
  }

  private byte[] podLog(long t, String message) {
    return ("{\"timestamp\": \"" + iso(t) + "\", \"level\": \"info\", \"pod_ip\": \"" + POD_IP
        + "\", \"message\": \"" + message + "\"}").getBytes(UTF_8);
  }

  private Input k8s(long t, byte[] value) {
    return new Input("k8s", at(t), value);
  }

  private byte[] pod(String type, String name, String uid, int version, long created,
      String node, Long deleted) {
    return ("{\"type\": \"" + type + "\", \"object\": {\"apiVersion\": \"v1\", \"kind\": \"Pod\", "
        + "\"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"shop\", \"uid\": \"" + uid
        + "\", \"resourceVersion\": \"" + version + "\", \"creationTimestamp\": \"" + iso(created)
        + "\"" + (deleted == null ? "" : ", \"deletionTimestamp\": \"" + iso(deleted) + "\"")
        + ", \"labels\": {\"app\": \"checkout\"}}, \"spec\": {\"nodeName\": \"" + node
        + "\"}, \"status\": {\"phase\": \"Running\", \"podIP\": \"" + POD_IP + "\"}}}")
        .getBytes(UTF_8);
  }

  /**
   * Records that move the watermark to {@code t - delay} on both topics: a log line of a clock
   * service and a namespace object (the watermark is the minimum over the topics).
   */
  private List<Input> ticks(long t) {
    return List.of(
        new Input("logs", at(t), log(t, "info", "clock", "tick", "tick " + t)),
        k8s(t, ("{\"type\": \"ADDED\", \"object\": {\"apiVersion\": \"v1\", \"kind\": "
            + "\"Namespace\", \"metadata\": {\"name\": \"weft-clock-" + t + "\", \"uid\": "
            + "\"ns-" + t + "\", \"resourceVersion\": \"" + t + "\", \"creationTimestamp\": \""
            + iso(t) + "\"}}}").getBytes(UTF_8)));
  }

  /** At least {@code count} binding records of {@code entity} with {@code decision}. */
  static Condition bindingTo(String entity, String decision, int count) {
    return new Condition(count + " " + decision + " binding(s) to " + entity, "bindings",
        rs -> rs.stream().filter(r -> r.value().contains("\"entityId\":\"" + entity + "\"")
            && r.value().contains("\"decision\":\"" + decision + "\""))
            .map(Sunk::key).distinct().count() >= count);
  }

  /** A graph record of node {@code nodePrefix} in the window starting {@code window}. */
  static Condition nodeWithEvents(String nodePrefix, String window,
      java.util.function.LongPredicate events) {
    return new Condition("a record of " + nodePrefix + window, "graph",
        rs -> rs.stream().anyMatch(r -> r.key().equals(nodePrefix + window)
            && events.test(eventsOf(r.value()))));
  }

  static long eventsOf(String json) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"events\":(\\d+)")
        .matcher(json);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
