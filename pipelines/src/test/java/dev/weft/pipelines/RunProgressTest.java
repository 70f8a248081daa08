package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.adapters.Normalize;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.junit.Test;

/** The progress line reads the run's counters as the summary does, and its rate is per second. */
public class RunProgressTest {

  private static MetricResult<Long> counter(String ns, String name, long attempted) {
    return MetricResult.attempted(MetricKey.create("step", MetricName.named(ns, name)), attempted);
  }

  private static MetricQueryResults metrics(long read, long dead, long dups, long late,
      Instant newest) {
    List<MetricResult<Long>> c = new ArrayList<>();
    // Two sources: the line sums them.
    c.add(counter(Normalize.counterNamespace("0.zipkin"), "read", read - 10));
    c.add(counter(Normalize.counterNamespace("1.k8s"), "read", 10));
    c.add(counter(Normalize.counterNamespace("0.zipkin"), "normalized", read - dead));
    c.add(counter(Normalize.counterNamespace("1.k8s"), "deadLettered", dead));
    c.add(counter(RunSummary.DEDUP, "duplicates", dups));
    // Late lines: late events (the gate) and late call observations (the pairing).
    c.add(counter(RunSummary.ORDER, "late", late - 1));
    c.add(counter(RunSummary.PAIRING, "callsBehindWatermark", 1));
    c.add(counter("someone.else", "read", 1_000_000));
    List<MetricResult<DistributionResult>> d = List.of(MetricResult.attempted(
        MetricKey.create("step", MetricName.named(RunProgress.EVENT_TIME_NAMESPACE,
            RunProgress.EVENT_TIME)),
        DistributionResult.create(0, 3, newest.toEpochMilli() - 5000, newest.toEpochMilli())));
    return MetricQueryResults.create(c, d, List.of(), List.of(), List.of(), List.of());
  }

  @Test
  public void aLineSaysReadRateEventsDeadLettersDuplicatesLateAndEventTime() {
    long[] now = {0};
    MetricQueryResults[] current = {metrics(1000, 1, 5, 2, Instant.parse("2024-05-01T10:00:00Z"))};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunProgress progress = new RunProgress(() -> RunProgress.Snapshot.of(current[0]),
        new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(5),
        () -> now[0]);
    now[0] = Duration.ofSeconds(5).toNanos();
    progress.report();
    current[0] = metrics(11_000, 3, 50, 2, Instant.parse("2024-05-01T10:05:00Z"));
    now[0] = Duration.ofSeconds(65).toNanos();
    progress.report();
    assertThat(bytes.toString(StandardCharsets.UTF_8), equalTo(
        "weft: 5s  read 1,000 (200/s)  events 999  dead letters 1  duplicates 5  late 2"
            + "  event time up to 2024-05-01T10:00:00Z\n"
        + "weft: 1m05s  read 11,000 (167/s)  events 10,997  dead letters 3  duplicates 50  late 2"
            + "  event time up to 2024-05-01T10:05:00Z\n"));
  }

  @Test
  public void aRunnerWithoutLiveMetricsIsSaidOnceThenSilence() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunProgress progress = new RunProgress(() -> {
      throw new UnsupportedOperationException("detached");
    }, new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(5), () -> 0L);
    progress.report();
    progress.report();
    assertThat(bytes.toString(StandardCharsets.UTF_8), equalTo("weft: no progress lines: the "
        + "runner reports no metrics while it runs (UnsupportedOperationException)\n"));
  }
}
