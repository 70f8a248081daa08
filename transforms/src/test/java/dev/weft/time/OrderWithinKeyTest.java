package dev.weft.time;

import static dev.weft.graph.GraphFixtures.T0;
import static dev.weft.graph.GraphFixtures.joda;

import dev.weft.graph.GraphFixtures;
import dev.weft.graph.KeyBySignals;
import dev.weft.model.Event;
import dev.weft.model.LateEvent;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import dev.weft.model.Severity;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

public class OrderWithinKeyTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** One-minute graph windows with the given allowed lateness. */
  private static GraphWindowing windows(long latenessSeconds) {
    return new GraphWindowing(Duration.standardMinutes(1),
        Duration.standardSeconds(latenessSeconds), java.util.Optional.empty());
  }

  private static TimestampedValue<ResolvedEvent> at(long seconds) {
    Event e = GraphFixtures.log("svc", Severity.INFO, seconds, "line " + seconds);
    return TimestampedValue.of(KeyBySignals.resolve(e), joda(e.eventTime()));
  }

  @Test
  public void releasesInEventTimeOrderRoutesTooLateEventsAndCountsNoDrop() {
    TestStream<ResolvedEvent> events = TestStream.create(ResolvedEventCoder.of())
        .advanceWatermarkTo(joda(T0))
        .addElements(at(30), at(10), at(20))
        .advanceWatermarkTo(joda(T0.plusSeconds(40)))
        // Behind the frontier (0:30) by 15 s: within the 60 s bound, released at once.
        .addElements(at(15))
        .addElements(at(500))
        .advanceWatermarkTo(joda(T0.plusSeconds(600)))
        // 8m20s behind the frontier (8:20): too late.
        .addElements(at(0))
        .advanceWatermarkToInfinity();

    PCollectionTuple out = p.apply(events)
        .apply(new OrderWithinKey(windows(60), 100));

    PAssert.that(out.get(OrderWithinKey.ORDERED)
            .apply(MapElements.into(TypeDescriptors.strings())
                .via(r -> r.event().log().get().body().get())))
        .containsInAnyOrder("line 10", "line 20", "line 30", "line 15", "line 500");
    // Each released event keeps its own event time as its timestamp (Beam keeps no element order
    // across a step, so what downstream can rely on is the timestamp and the watermark hold).
    PAssert.that(out.get(OrderWithinKey.ORDERED).apply("Stamps",
            org.apache.beam.sdk.transforms.Reify.timestamps())
            .apply("StampMatchesEventTime", MapElements.into(TypeDescriptors.booleans())
                .via(tv -> tv.getTimestamp().getMillis()
                    == tv.getValue().event().eventTime().toEpochMilli())))
        .containsInAnyOrder(true, true, true, true, true);
    PAssert.that(out.get(OrderWithinKey.LATE)
            .apply("LateReason", MapElements.into(TypeDescriptors.strings())
                .via((LateEvent l) -> l.key() + " lateBy=" + l.lateByMillis() + " "
                    + l.reason())))
        .containsInAnyOrder("service:svc lateBy=500000 event time 2024-01-01T00:00:00Z is PT8M20S"
            + " behind the released frontier 2024-01-01T00:08:20Z of key service:svc, more than"
            + " the allowed lateness of PT1M");
    p.run();
  }

  @Test
  public void overflowReleasesEarlyInsteadOfGrowingTheBuffer() {
    TestStream<ResolvedEvent> events = TestStream.create(ResolvedEventCoder.of())
        .advanceWatermarkTo(joda(T0))
        .addElements(at(1), at(2), at(3), at(4), at(5))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = p.apply(events).apply(new OrderWithinKey(windows(0), 2));
    PAssert.that(out.get(OrderWithinKey.ORDERED)
            .apply(MapElements.into(TypeDescriptors.strings())
                .via(r -> r.event().log().get().body().get())))
        .containsInAnyOrder("line 1", "line 2", "line 3", "line 4", "line 5");
    PAssert.that(out.get(OrderWithinKey.LATE)).empty();
    // Two fit the buffer; the other three are released at once, each counted.
    PipelineResult result = p.run();
    result.waitUntilFinish();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(OrderWithinKey.class, "bufferOverflow")).build());
    long overflow = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      overflow += c.getAttempted();
    }
    org.hamcrest.MatcherAssert.assertThat(overflow, org.hamcrest.Matchers.equalTo(3L));
  }
}
