package dev.weft.pipelines;

import dev.weft.model.Event;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Records every event's time in a distribution, so the progress line can say how far in event
 * time the run has got (its maximum). Beam's metrics do not expose the watermark itself; the
 * newest event time read is the closest thing a runner-neutral metric can show. Also counts the
 * event and its time into the run's {@link ProgressRegistry} when given a run id, which the
 * progress line reads while a runner that blocks in {@code run()} (Flink) is still going.
 * Outputs nothing.
 */
final class EventTimeReached extends DoFn<Event, Void> {
  private final Distribution eventTime =
      Metrics.distribution(RunProgress.EVENT_TIME_NAMESPACE, RunProgress.EVENT_TIME);
  /** Null: no live progress for this pipeline (built by a test or a benchmark). */
  private final String progressRunId;
  private transient ProgressRegistry.Counts counts;

  EventTimeReached(String progressRunId) {
    this.progressRunId = progressRunId;
  }

  @Setup
  public void setup() {
    counts = progressRunId == null ? null : ProgressRegistry.counts(progressRunId);
  }

  @ProcessElement
  public void process(@Element Event e) {
    long millis = e.eventTime().toEpochMilli();
    eventTime.update(millis);
    if (counts != null) {
      counts.event(millis);
    }
  }
}
