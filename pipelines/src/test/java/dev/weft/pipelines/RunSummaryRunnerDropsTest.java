package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * The summary's check that the runner dropped nothing as late reads the runner's own counter,
 * whatever the runner calls it: the Direct runner counts "DroppedDueToLateness" (capital D), so a
 * case-sensitive lookup saw 0 there and the check passed over a silent loss.
 */
public class RunSummaryRunnerDropsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void aLateElementTheDirectRunnerDropsFailsTheSummaryCheck() {
    Instant t0 = new Instant(0);
    TestStream<String> stream = TestStream.create(StringUtf8Coder.of())
        .addElements(TimestampedValue.of("on time", t0.plus(Duration.standardSeconds(10))))
        .advanceWatermarkTo(t0.plus(Duration.standardMinutes(5)))
        // Behind a window that closed four minutes ago, with no allowed lateness: dropped.
        .addElements(TimestampedValue.of("late", t0.plus(Duration.standardSeconds(20))))
        .advanceWatermarkToInfinity();
    p.apply(stream)
        .apply(Window.<String>into(FixedWindows.of(Duration.standardMinutes(1)))
            .withAllowedLateness(Duration.ZERO))
        .apply(Count.perElement());
    PipelineResult result = p.run();
    result.waitUntilFinish();

    RunSummary summary = RunSummary.fromRun(result, List.of());
    summary.interimTotals();

    assertThat(summary.total("droppedDueToLateness"), equalTo(1L));
    assertThat(summary.violations(), hasItem(startsWith("runner late drops == 0")));
  }
}
