package dev.weft.pipelines;

import dev.weft.progress.LiveCounts;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;

/**
 * The summary of a streaming run while it runs: {@code summary.json} rewritten every few seconds
 * with {@code "final": false}, and once more when the JVM is stopped by a signal ({@code
 * "stoppedBy": "signal"}), so a continuous run that never ends still shows its counters and the
 * one check that can be judged mid-stream: the runner dropped nothing for lateness (a drop there
 * would be silent; the lateness gate routes what it finds late to {@code late-*}). The balance
 * checks ({@code read == normalized + deadLettered} and the rest) wait for the final summary at
 * drain: mid-stream, records in flight between two stages make them differ for a moment.
 *
 * <p>Counters come from the runner's metrics where it reports them live (Direct), else from the
 * counts the workers of this JVM keep ({@link LiveCounts}: read, normalized, dead-lettered,
 * duplicates, late).
 */
final class InterimSummary implements AutoCloseable {
  private final PipelineResult result;
  private final List<SourceSpec> sources;
  private final String runId;
  private final String file;
  private final PrintStream err;
  private final Instant started = Instant.now();
  private final ScheduledExecutorService timer;
  private final Thread onSignal;
  private volatile boolean finished;
  private boolean warned;

  private InterimSummary(PipelineResult result, List<SourceSpec> sources, String runId,
      String file, PrintStream err) {
    this.result = result;
    this.sources = sources;
    this.runId = runId;
    this.file = file;
    this.err = err;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-interim-summary");
      t.setDaemon(true);
      return t;
    });
    this.onSignal = new Thread(() -> write("signal"), "weft-summary-on-signal");
  }

  /** Starts rewriting {@code file} every {@code every}; {@code runId} null: no live counts. */
  static InterimSummary start(PipelineResult result, List<SourceSpec> sources, String runId,
      String file, Duration every, PrintStream err) {
    InterimSummary s = new InterimSummary(result, sources, runId, file, err);
    s.timer.scheduleAtFixedRate(() -> s.write(null), every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(s.onSignal);
    return s;
  }

  /** The summary of the run so far; {@code stoppedBy} null while it goes on. */
  synchronized void write(String stoppedBy) {
    if (finished) {
      return;
    }
    try {
      RunSummary s = snapshot();
      s.extra().put("final", false);
      s.extra().put("writtenAt", Instant.now().toString());
      s.extra().put("runningSeconds", Duration.between(started, Instant.now()).toSeconds());
      if (stoppedBy != null) {
        s.extra().put("stoppedBy", stoppedBy);
      }
      OutputFiles.writeString(file, s.toJson());
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        err.println("weft: cannot write the interim summary " + file + ": " + e.getMessage());
      }
    }
  }

  private RunSummary snapshot() {
    try {
      RunSummary s = RunSummary.fromRun(result, sources);
      s.interimTotals();
      s.extra().put("counters", "runner metrics");
      return s;
    } catch (UnsupportedOperationException | IllegalStateException noLiveMetrics) {
      LiveCounts live = runId == null ? null : LiveCounts.orNull(runId);
      RunSummary s = RunSummary.fromLiveCounts(live);
      s.extra().put("counters", live == null ? "none: the runner reports no live metrics"
          : "live counts of the workers in this JVM");
      return s;
    }
  }

  /** The run is over: the final summary takes it from here. */
  @Override
  public synchronized void close() {
    finished = true;
    timer.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run: nothing to remove.
    }
  }
}
