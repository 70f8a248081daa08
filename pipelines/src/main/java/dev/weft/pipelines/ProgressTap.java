package dev.weft.pipelines;

import org.apache.beam.sdk.transforms.DoFn;

/**
 * Counts the elements of one collection (dead letters, duplicates, late events) into the run's
 * {@link ProgressRegistry}. Carries only the run id, a plain serializable value. Outputs nothing.
 */
final class ProgressTap<T> extends DoFn<T, Void> {
  private final String runId;
  private final ProgressRegistry.Measure measure;
  private transient ProgressRegistry.Counts counts;

  ProgressTap(String runId, ProgressRegistry.Measure measure) {
    this.runId = runId;
    this.measure = measure;
  }

  @Setup
  public void setup() {
    counts = ProgressRegistry.counts(runId);
  }

  @ProcessElement
  public void process() {
    counts.add(measure);
  }
}
