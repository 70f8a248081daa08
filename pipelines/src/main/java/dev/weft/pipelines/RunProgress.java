package dev.weft.pipelines;

import dev.weft.adapters.Normalize;
import dev.weft.progress.LiveCounts;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * A progress line on stderr every few seconds while a run is going: records read and per second,
 * events, dead letters, duplicates, late events, the newest event time seen, elapsed time.
 *
 * <p>Where the workers run in this JVM (Direct, embedded Flink, Spark local) the figures come from
 * the run's {@link LiveCounts} (filled by Normalize, Deduplicate and OrderWithinKey next to their
 * Beam counters), and the timer starts before {@code Pipeline.run()}: Beam's
 * Flink runner returns from a batch run only once it has finished, so a progress that waited for
 * the {@code PipelineResult} would stay silent for the whole run there. For a runner reached over
 * the network the figures can come from the result's metrics ({@link #of}).
 *
 * <p>The line shows what the workers have counted so far (a retried bundle may count twice); the
 * final summary uses the runner's committed metrics. A source that fails gets one line saying so,
 * then silence.
 */
final class RunProgress implements AutoCloseable {
  /** The distribution of event times that {@link EventTimeReached} records. */
  static final String EVENT_TIME_NAMESPACE = "weft.progress";
  static final String EVENT_TIME = "eventTimeMillis";

  /** What the counters say at one moment. */
  record Snapshot(long read, long events, long deadLetters, long duplicates, long late,
      Optional<Instant> newestEventTime) {

    static Snapshot of(MetricQueryResults m) {
      long read = 0;
      long events = 0;
      long dead = 0;
      long duplicates = 0;
      long late = 0;
      String sources = Normalize.counterNamespace("");
      for (MetricResult<Long> c : m.getCounters()) {
        String ns = c.getName().getNamespace();
        String name = c.getName().getName();
        long v = c.getAttempted() == null ? 0 : c.getAttempted();
        if (ns.startsWith(sources)) {
          read += name.equals("read") ? v : 0;
          events += name.equals("normalized") ? v : 0;
          dead += name.equals("deadLettered") ? v : 0;
        } else if (ns.equals(RunSummary.DEDUP) && name.equals("duplicates")) {
          duplicates += v;
        } else if (RunSummary.countsLateLines(ns, name)) {
          late += v;
        }
      }
      Optional<Instant> newest = Optional.empty();
      for (MetricResult<DistributionResult> d : m.getDistributions()) {
        DistributionResult r = d.getAttempted();
        if (d.getName().getNamespace().equals(EVENT_TIME_NAMESPACE)
            && d.getName().getName().equals(EVENT_TIME) && r != null && r.getCount() > 0) {
          Instant t = Instant.ofEpochMilli(r.getMax());
          newest = newest.isPresent() && newest.get().isAfter(t) ? newest : Optional.of(t);
        }
      }
      return new Snapshot(read, events, dead, duplicates, late, newest);
    }

    static Snapshot of(LiveCounts c) {
      OptionalLong newest = c.newestEventMillis();
      return new Snapshot(c.read(), c.normalized(), c.deadLettered(), c.duplicates(), c.late(),
          newest.isPresent() ? Optional.of(Instant.ofEpochMilli(newest.getAsLong()))
              : Optional.empty());
    }
  }

  private final Supplier<Snapshot> metrics;
  private final PrintStream err;
  private final Duration every;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastNanos;
  private long lastRead;
  private boolean unavailable;
  /** Whether a line was printed: a run shorter than one interval still gets one, at its end. */
  private boolean printedAny;
  private ScheduledExecutorService timer;

  RunProgress(Supplier<Snapshot> metrics, PrintStream err, Duration every,
      LongSupplier nanoClock) {
    this.metrics = metrics;
    this.err = err;
    this.every = every;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastNanos = startNanos;
  }

  /** Progress of a running pipeline, from its result's metrics. */
  static RunProgress of(PipelineResult result, PrintStream err, Duration every) {
    MetricsFilter all = MetricsFilter.builder().build();
    return new RunProgress(() -> Snapshot.of(result.metrics().queryMetrics(all)), err, every,
        System::nanoTime);
  }

  /** Progress of a run whose workers count into this JVM's {@link LiveCounts}. */
  static RunProgress ofLiveCounts(String runId, PrintStream err, Duration every) {
    LiveCounts counts = LiveCounts.of(runId);
    return new RunProgress(() -> Snapshot.of(counts), err, every, System::nanoTime);
  }

  /** Starts printing, every {@code every}, from a daemon thread. */
  RunProgress start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::report, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** Prints one line now (the timer calls this). */
  synchronized void report() {
    if (unavailable) {
      return;
    }
    Snapshot s;
    try {
      s = metrics.get();
    } catch (RuntimeException e) {
      // Some runners (a detached Flink job) only report metrics once the job is done.
      unavailable = true;
      err.println("weft: no progress lines: the runner reports no metrics while it runs ("
          + e.getClass().getSimpleName() + ")");
      return;
    }
    err.println(line(s, nanoClock.getAsLong()));
    printedAny = true;
  }

  /** The line for a snapshot taken at {@code nowNanos}; remembers it for the next rate. */
  String line(Snapshot s, long nowNanos) {
    double sinceLast = (nowNanos - lastNanos) / 1e9;
    long rate = sinceLast <= 0 ? 0 : Math.round((s.read() - lastRead) / sinceLast);
    lastNanos = nowNanos;
    lastRead = s.read();
    StringBuilder b = new StringBuilder("weft: ")
        .append(elapsed(Duration.ofNanos(nowNanos - startNanos)))
        .append(String.format(Locale.ROOT, "  read %,d (%,d/s)  events %,d  dead letters %,d"
            + "  duplicates %,d  late %,d", s.read(), rate, s.events(), s.deadLetters(),
            s.duplicates(), s.late()));
    s.newestEventTime().ifPresent(t -> b.append("  event time up to ").append(t));
    return b.toString();
  }

  static String elapsed(Duration d) {
    long s = d.getSeconds();
    return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
      if (!printedAny) {
        report();
      }
    }
  }
}
