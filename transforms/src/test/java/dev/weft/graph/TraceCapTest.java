package dev.weft.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import dev.weft.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * The pairing buffer's cap (issue 11: every keyed buffer capped and counted): on a stream, a
 * trace buffers at most {@code maxSpansPerTrace} spans; the spans beyond it are not held, are
 * counted {@code traceSpansOverCap} and reported unpaired, never dropped silently.
 */
public class TraceCapTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static TimestampedValue<ResolvedEvent> resolved(Event e) {
    return TimestampedValue.of(KeyBySignals.resolve(e), GraphFixtures.joda(e.eventTime()));
  }

  @Test
  public void spansOfOneTraceBeyondTheCapAreCountedAndReportedUnpaired() {
    // One hot trace: a client span and 12 server spans under it, each in its own service; cap 5.
    List<TimestampedValue<ResolvedEvent>> spans = new ArrayList<>();
    spans.add(resolved(GraphFixtures.client("front", "t1", "c0", 1, 100, false)));
    for (int i = 1; i <= 12; i++) {
      spans.add(resolved(GraphFixtures.span("back" + i, "t1", "s" + i, "c0", SpanKind.SERVER,
          1 + i, 50, false, false, Map.of())));
    }
    TestStream.Builder<ResolvedEvent> stream = TestStream.create(ResolvedEventCoder.of())
        .advanceWatermarkTo(GraphFixtures.joda(GraphFixtures.at(0)));
    for (TimestampedValue<ResolvedEvent> s : spans) {
      stream = stream.addElements(s);
    }
    PCollectionTuple out = p.apply(stream.advanceWatermarkToInfinity())
        .apply(new LinkTraces(Duration.standardSeconds(30), new dev.weft.time.GraphWindowing(
            Duration.standardMinutes(1), Duration.standardMinutes(5), java.util.Optional.empty()),
            ServiceGraphLinker.Config.defaults(), 5));
    // 13 spans arrive in order, 5 are held (c0, s1..s4): s5..s12 are reported unpaired.
    List<String> beyond = new ArrayList<>();
    for (int i = 6; i < spans.size(); i++) {
      beyond.add(spans.get(i).getValue().event().eventId());
    }
    PAssert.that(out.get(LinkTraces.UNPAIRED)).satisfies(ids -> {
      List<String> unpaired = new ArrayList<>();
      ids.forEach(unpaired::add);
      assertThat(unpaired.containsAll(beyond), equalTo(true));
      return null;
    });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    long overCap = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(LinkTraces.class, "traceSpansOverCap")).build())
        .getCounters()) {
      overCap += c.getAttempted();
    }
    assertThat(overCap, equalTo(8L));
  }
}
