package dev.weft.time;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.EventIds;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * A benchmark, not a timed test (run it explicitly: {@code -Dtest=DeduplicateBenchmark}): the time
 * {@link Deduplicate} takes on the Direct runner for 20,000 and 200,000 events (every tenth one
 * delivered twice, event times spread over an hour), printed for the record. It asserts only the
 * counts.
 */
public class DeduplicateBenchmark {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  static Event event(long i) {
    long n = i % 10 == 9 ? i - 1 : i; // every tenth delivery repeats the one before
    return Event.builder()
        .eventId(EventIds.sourceId("bench", Long.toString(n)), IdKind.SOURCE_ID)
        .origin(Origin.file("bench", "bench.jsonl"))
        .eventTime(T0.plusMillis(n * 3_600_000L / 200_000L), TimeQuality.SOURCE)
        .observedTime(T0)
        .signal("service.name", "svc-" + (n % 50))
        .build();
  }

  static long[] run(long n) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(GenerateSequence.from(0).to(n))
        .apply(MapElements.into(TypeDescriptor.of(Event.class)).via(DeduplicateBenchmark::event))
        .setCoder(EventCoder.of())
        .apply(WithTimestamps.of((Event e) -> new org.joda.time.Instant(
            e.eventTime().toEpochMilli())))
        .apply(new Deduplicate(Duration.standardMinutes(10)));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new long[] {millis, counter(result, "unique"), counter(result, "duplicates")};
  }

  static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (MetricResult<Long> m : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(Deduplicate.class, name)).build()).getCounters()) {
      sum += m.getAttempted();
    }
    return sum;
  }

  @Test
  public void twentyThousandVersusTwoHundredThousand() {
    run(2_000); // warm-up
    long[] small = run(20_000);
    long[] large = run(200_000);
    System.out.printf("Deduplicate on Direct: 20,000 events %d ms (%d unique, %d duplicates); "
        + "200,000 events %d ms (%d unique, %d duplicates); ratio %.1fx%n",
        small[0], small[1], small[2], large[0], large[1], large[2],
        (double) large[0] / small[0]);
    assertThat(small[1] + small[2], equalTo(20_000L));
    assertThat(large[2], equalTo(20_000L));
  }
}
