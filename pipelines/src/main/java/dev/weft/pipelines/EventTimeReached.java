package dev.weft.pipelines;

import dev.weft.model.Event;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Records every event's time in a distribution, so the progress line can say how far in event
 * time the run has got (its maximum). Beam's metrics do not expose the watermark itself; the
 * newest event time read is the closest thing a runner-neutral metric can show. Outputs nothing.
 */
final class EventTimeReached extends DoFn<Event, Void> {
  private final Distribution eventTime =
      Metrics.distribution(RunProgress.EVENT_TIME_NAMESPACE, RunProgress.EVENT_TIME);

  @ProcessElement
  public void process(@Element Event e) {
    eventTime.update(e.eventTime().toEpochMilli());
  }
}
