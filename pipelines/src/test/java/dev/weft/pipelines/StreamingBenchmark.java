package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A sustained stream through Weft on embedded Flink (parallelism 2) with a Kafka broker in its
 * own JVM: JSON log lines are produced into a 2-partition input topic at a target rate, each
 * record's timestamp (CreateTime) being its event time and the wall time of sending; Weft reads
 * them with early firings and upserts the graph to a topic whose timestamps are the broker's
 * (LogAppendTime), read back once the producer stopped.
 *
 * <p>Printed, never asserted: events/s produced and counted by the graph, the backlog when the
 * producer stopped, the event-to-graph latency (p50/p90/p99/max overall and per slice of send
 * time), process CPU and heap. Asserted: the graph's latest revisions count exactly the events
 * produced, per node and window (a fast wrong answer fails).
 *
 * <p>Latency of the i-th event (in send order) of a node window: the broker timestamp of the
 * first graph record of that node window whose {@code events} is at least i, minus the event's
 * send time. With accumulating panes that is when the graph first showed that many events.
 *
 * <p>Run with {@code -Pbench-streaming} (Flink on the classpath; skipped otherwise). Settings:
 * {@code -Dweft.bench.rate} (events/s, 2000), {@code -Dweft.bench.seconds} (60), {@code
 * -Dweft.bench.keys} (nodes the events are spread over, 20), {@code -Dweft.bench.warmupSeconds}
 * (10, at the rate, not measured), {@code -Dweft.bench.drainSeconds} (time allowed after the
 * producer stopped for the graph to catch up, 300).
 */
public class StreamingBenchmark {
  private static final int RATE = Integer.getInteger("weft.bench.rate", 2000);
  private static final int SECONDS = Integer.getInteger("weft.bench.seconds", 60);
  private static final int KEYS = Integer.getInteger("weft.bench.keys", 20);
  private static final int WARMUP_SECONDS = Integer.getInteger("weft.bench.warmupSeconds", 10);
  private static final int DRAIN_SECONDS = Integer.getInteger("weft.bench.drainSeconds", 300);
  private static final int IDLE_SECONDS = 15;
  private static final long WINDOW_MILLIS = 10_000;
  private static final long SLICE_MILLIS = 10_000;
  /** Caught up within this long after the producer stopped: the backlog did not grow. */
  private static final long KEPT_UP_MILLIS = 10_000;
  private static final String INPUT = "bench-logs";
  private static final String GRAPH = "bench-graph";
  private static final String MEASURED = "service.instance~bench-";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final Timeout timeout =
      Timeout.seconds(600L + WARMUP_SECONDS + SECONDS + DRAIN_SECONDS);

  @BeforeClass
  public static void onlyUnderItsProfile() {
    Assume.assumeTrue("streaming benchmark: run with -Pbench-streaming (Flink on the classpath)",
        Boolean.getBoolean("weft.streamingBench"));
  }

  @Test
  public void sustainedStreamOnFlinkEndsInAGraphCountingEveryEvent() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start();
        KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      topics.create(INPUT, 2, Map.of());
      // Compacted like a real graph topic, but every revision is kept for the run (compaction
      // lag an hour): the latency needs each pane. Timestamps are the broker's append time.
      topics.create(GRAPH, 1, Map.of("cleanup.policy", "compact",
          "min.compaction.lag.ms", "3600000", "message.timestamp.type", "LogAppendTime"));
      String kafka = "kafka://" + broker.bootstrapServers();
      PipelineResult result = KafkaStreamingTest.startStreaming(List.of(
              "--sources=json-logs:" + kafka + "/" + INPUT + "?group.id=weft-bench",
              "--graphSink=" + kafka + "/" + GRAPH,
              "--windowSeconds=10", "--earlyFiringSeconds=1",
              "--allowedLatenessSeconds=60", "--watermarkDelaySeconds=2",
              "--overloadBudget=0",
              "--output=" + TMP.newFolder("out").toPath(), "--blockOnRun=false"),
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
          "--streaming=true", "--attachedMode=false", "--checkpointingInterval=10000",
          // Checkpoints on disk: the state outgrows the 5 MB of Flink's default memory-backed
          // checkpoint storage within a minute, and a failed checkpoint restarts the job.
          "--stateBackend=filesystem",
          "--stateBackendStoragePath=" + TMP.newFolder("checkpoints").toURI());
      try {
        SentEvents sent = new SentEvents(WINDOW_MILLIS);
        double startSeconds = awaitFirstGraphRecord(topics, sent);
        double idleCores = idleCores();
        produce(topics, sent, "warmup-", WARMUP_SECONDS);
        String loadBefore = loadAverage();
        PipelineBenchmark.Measurement measurement = PipelineBenchmark.Measurement.start();
        Production run = produce(topics, sent, "bench-", SECONDS);
        String loadAtEnd = loadAverage();
        GraphPanes graph = new GraphPanes(sent.count());
        topics.readUntil(GRAPH, graph, Duration.ofSeconds(DRAIN_SECONDS));
        PipelineBenchmark.Measurement.Result used = measurement.stop();
        report(System.out, sent, run, graph, used, startSeconds, idleCores,
            loadBefore, loadAtEnd);

        assertThat("events counted by the graph's latest revisions, per node and window",
            graph.latestCounts(), equalTo(sent.counts()));
      } finally {
        result.cancel();
      }
    }
  }

  /** The measured producer run: how many events, from when to when (wall ms). */
  record Production(long events, long firstMillis, long lastMillis) {
    double seconds() {
      return Math.max(1, lastMillis - firstMillis) / 1000.0;
    }
  }

  /**
   * Flink takes tens of seconds to start: probes until the first graph record is written; returns
   * the seconds that took.
   */
  private static double awaitFirstGraphRecord(KafkaTopics topics, SentEvents sent)
      throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
    while (System.nanoTime() < deadline) {
      send(topics, sent, "warmup-probe", 0);
      if (!topics.readUntil(GRAPH, rs -> !rs.isEmpty(), Duration.ofSeconds(3)).isEmpty()) {
        return (System.nanoTime() - t0) / 1e9;
      }
    }
    throw new AssertionError("no graph record within 300 s of starting the pipeline");
  }

  /**
   * Sends {@code RATE} events a second for {@code seconds}, round robin over {@code KEYS}
   * services named {@code prefix + i}; paced on the clock, so a producer that falls behind
   * catches up in bursts and the achieved rate is what the report says.
   */
  private static Production produce(KafkaTopics topics, SentEvents sent, String prefix,
      int seconds) {
    long total = (long) RATE * seconds;
    long t0 = System.nanoTime();
    long first = System.currentTimeMillis();
    long last = first;
    long n = 0;
    while (n < total) {
      long due = Math.min(total, (System.nanoTime() - t0) * RATE / 1_000_000_000L + 1);
      for (; n < due; n++) {
        last = send(topics, sent, prefix + (n % KEYS), (int) (n % KEYS % 2));
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
    }
    topics.flush();
    return new Production(total, first, last);
  }

  /** One log line of {@code service} on node-1, its event time now; returns that time. */
  private static long send(KafkaTopics topics, SentEvents sent, String service, int partition) {
    long now = System.currentTimeMillis();
    topics.sendAsync(INPUT, partition, now, null,
        KafkaStreamingTest.logLine(now, service, "event " + sent.count()));
    // The line is about the service instance (service.name + host.name): its node counts it.
    sent.add("service.instance~" + service + "/node-1", now);
    return now;
  }

  private static void report(PrintStream out, SentEvents sent, Production run,
      GraphPanes graph, PipelineBenchmark.Measurement.Result used, double startSeconds,
      double idleCores, String loadBefore, String loadAtEnd) {
    Predicate<String> measured = k -> k.startsWith(MEASURED);
    Histogram all = new Histogram(3);
    Map<Long, Histogram> slices = new TreeMap<>();
    long[] negative = {0};
    Map<String, Long> byTiming = new TreeMap<>();
    graph.latencies(sent, measured, (sentAt, latency, timing) -> {
      byTiming.merge(timing, 1L, Long::sum);
      if (latency < 0) {
        negative[0]++;
        return;
      }
      all.recordValue(latency);
      slices.computeIfAbsent((sentAt - run.firstMillis()) / SLICE_MILLIS, s -> new Histogram(3))
          .recordValue(latency);
    });
    long counted = graph.countedBy(run.lastMillis(), measured);
    long caughtUp = graph.caughtUpAt(sent, measured);
    boolean keptUp = caughtUp != Long.MAX_VALUE
        && caughtUp - run.lastMillis() <= KEPT_UP_MILLIS;

    out.println();
    out.println("Streaming benchmark: Weft on embedded Flink (parallelism 2), Kafka broker in its "
        + "own JVM, JSON log lines");
    out.printf(Locale.ROOT, "  settings          target %,d events/s for %d s over %d nodes "
        + "(after %d s of warm-up); 10 s windows, early firings 1 s, watermark delay 2 s, "
        + "checkpoints every 10 s%n", RATE, SECONDS, KEYS, WARMUP_SECONDS);
    out.printf(Locale.ROOT, "  pipeline start    first graph record %.0f s after the job was "
        + "started (not measured); then, with no input, the running pipeline used %.2f cores "
        + "of CPU (this JVM, over %d s)%n", startSeconds, idleCores, IDLE_SECONDS);
    out.printf(Locale.ROOT, "  produced          %,d events in %.1f s = %,.0f events/s into the "
        + "input topic%n", run.events(), run.seconds(), run.events() / run.seconds());
    out.printf(Locale.ROOT, "  graph             %,d events in the latest revisions (%,d "
        + "produced in all, warm-up included)%n", graph.total(), sent.count());
    if (caughtUp == Long.MAX_VALUE) {
      out.printf(Locale.ROOT, "  graph throughput  not caught up within %d s after the producer "
          + "stopped%n", DRAIN_SECONDS);
    } else {
      double span = (caughtUp - run.firstMillis()) / 1000.0;
      out.printf(Locale.ROOT, "  graph throughput  %,.0f events/s (all %,d in the graph %.1f s "
          + "after the first send, %.1f s after the last)%n", run.events() / span, run.events(),
          span, (caughtUp - run.lastMillis()) / 1000.0);
    }
    long backlog = run.events() - counted;
    out.printf(Locale.ROOT, "  backlog at stop   %,d events not yet in the graph when the "
        + "producer stopped (%.1f s of input): %s%n", backlog,
        backlog / (run.events() / run.seconds()),
        keptUp ? "kept up (drained within " + KEPT_UP_MILLIS / 1000 + " s of the stop)"
            : "DID NOT keep up (not drained within " + KEPT_UP_MILLIS / 1000 + " s of the stop)");
    out.printf(Locale.ROOT, "  latency (ms)      p50 %,d  p90 %,d  p99 %,d  max %,d  over %,d "
        + "events (send time to the graph record's broker append time)%n",
        all.getValueAtPercentile(50), all.getValueAtPercentile(90),
        all.getValueAtPercentile(99), all.getMaxValue(), all.getTotalCount());
    out.printf(Locale.ROOT, "  first counted by  %s panes (events per pane timing of the graph "
        + "record that first counted them)%n", byTiming);
    if (negative[0] > 0) {
      out.printf(Locale.ROOT, "  negative latency  %,d events (clock steps?)%n", negative[0]);
    }
    for (Map.Entry<Long, Histogram> s : slices.entrySet()) {
      Histogram h = s.getValue();
      out.printf(Locale.ROOT, "    sent at +%3d s   p50 %,7d  p99 %,7d  max %,7d  (%,d events)%n",
          s.getKey() * SLICE_MILLIS / 1000, h.getValueAtPercentile(50),
          h.getValueAtPercentile(99), h.getMaxValue(), h.getTotalCount());
    }
    // How the graph's count grew: steadily (keeping up) or in bursts behind the producer.
    StringBuilder progress = new StringBuilder();
    long end = caughtUp == Long.MAX_VALUE ? run.lastMillis() + DRAIN_SECONDS * 1000L : caughtUp;
    for (long t = run.firstMillis() + SLICE_MILLIS; t < end + SLICE_MILLIS; t += SLICE_MILLIS) {
      progress.append(String.format(Locale.ROOT, " +%ds %,d;", (t - run.firstMillis()) / 1000,
          graph.countedBy(t, measured)));
    }
    out.printf(Locale.ROOT, "  graph progress   %s (measured events counted by the graph, by "
        + "broker time after the first send)%n", progress);
    out.printf(Locale.ROOT, "  process CPU       %.1f s from the measured start to caught up "
        + "(this JVM: Flink, producer, reader; not the broker) = %,.0f µs per event%n",
        used.cpuSeconds(), used.cpuSeconds() * 1e6 / run.events());
    out.printf(Locale.ROOT, "  max heap used     %,d MB sampled every 50 ms; -Xmx %,d MB%n",
        used.maxHeapSampled() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    out.printf(Locale.ROOT, "  load average      %s at the start, %s when the producer "
        + "stopped (%d cores)%n", loadBefore, loadAtEnd,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * CPU the running pipeline uses with no input, in cores: its fixed cost (timers, checkpoints,
   * polling), to tell apart from the cost per event.
   */
  private static double idleCores() throws InterruptedException {
    PipelineBenchmark.Measurement idle = PipelineBenchmark.Measurement.start();
    // Nothing to wait for: the point is to let the pipeline run without input for a while.
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
    PipelineBenchmark.Measurement.Result r = idle.stop();
    return r.cpuSeconds() / r.wallSeconds();
  }

  /** The 1, 5 and 15 minute load averages (Linux), as uptime prints them. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
