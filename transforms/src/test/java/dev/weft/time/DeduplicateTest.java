package dev.weft.time;

import static dev.weft.graph.GraphFixtures.client;
import static dev.weft.graph.GraphFixtures.server;
import static dev.weft.graph.GraphFixtures.stamped;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.SpanKind;
import dev.weft.graph.GraphFixtures;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

public class DeduplicateTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static PCollection<String> ids(PCollection<Event> events, String name) {
    return events.apply(name, MapElements.into(TypeDescriptors.strings()).via(Event::eventId));
  }

  @Test
  public void repeatedDeliveriesAreCountedOnceAndZipkinSharedHalvesAreNotDuplicates() {
    Event a = client("frontend", "t1", "a", 10, 100, false);
    Event b = server("checkout", "t1", "b", "a", 11, 50);
    // Zipkin: the server half shares the client's span id; the adapter's id names the side.
    Event zipkinClient = GraphFixtures.span("frontend", "t2", "z", null, SpanKind.CLIENT, 20, 10,
        false, false, Map.of());
    Event zipkinServer = GraphFixtures.span("checkout", "t2", "z", null, SpanKind.SERVER, 20, 9,
        false, true, Map.of());

    PCollectionTuple out = p
        .apply(Create.timestamped(stamped(a), stamped(b), stamped(a), stamped(a),
            stamped(zipkinClient), stamped(zipkinServer), stamped(zipkinServer))
            .withCoder(EventCoder.of()))
        .apply(new Deduplicate(Duration.standardMinutes(10)));

    PAssert.that(ids(out.get(Deduplicate.UNIQUE), "UniqueIds")).containsInAnyOrder(
        a.eventId(), b.eventId(), zipkinClient.eventId(), zipkinServer.eventId());
    PAssert.that(ids(out.get(Deduplicate.DUPLICATES), "DuplicateIds")).containsInAnyOrder(
        a.eventId(), a.eventId(), zipkinServer.eventId());
    p.run();
  }

  @Test
  public void idsAreRememberedForTheHorizonAndThenForgotten() {
    Event early = client("frontend", "t1", "a", 0, 100, false);
    Event withinHorizon = client("frontend", "t8", "y", 3500, 100, false);
    Event muchLater = client("frontend", "t9", "z", 3600, 100, false);
    // One shard, so all share a high-water mark. After 1:00:00 the ten-minute horizon has swept
    // the id of 0:00:00: its replay passes as unique (the lateness gate downstream routes it to
    // late). The replay of 0:58:20 is within the horizon and is caught.
    TestStream<Event> events = TestStream.create(EventCoder.of())
        .advanceWatermarkTo(GraphFixtures.joda(GraphFixtures.T0))
        .addElements(stamped(early))
        .addElements(stamped(withinHorizon))
        .addElements(stamped(muchLater))
        .addElements(stamped(withinHorizon))
        .addElements(stamped(early))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = p.apply(events).apply(new Deduplicate(Duration.standardMinutes(10), 1));
    PAssert.that(ids(out.get(Deduplicate.UNIQUE), "UniqueIds")).containsInAnyOrder(
        early.eventId(), withinHorizon.eventId(), muchLater.eventId(), early.eventId());
    PAssert.that(ids(out.get(Deduplicate.DUPLICATES), "DuplicateIds"))
        .containsInAnyOrder(withinHorizon.eventId());
    p.run();
  }

  /**
   * The id cap (issue 11: every keyed buffer capped and counted): one shard remembering at most 10
   * ids sees 15 distinct ones within the horizon. Each time it goes over, it forgets the oldest
   * down to 9 (2 at a time: 6 in all, counted); the redelivery of the oldest passes as unique,
   * that of the newest is still caught.
   */
  @Test
  public void overTheIdCapTheOldestIdsAreForgottenAndCounted() {
    java.util.List<Event> distinct = new java.util.ArrayList<>();
    TestStream.Builder<Event> stream = TestStream.create(EventCoder.of())
        .advanceWatermarkTo(GraphFixtures.joda(GraphFixtures.T0));
    for (int i = 1; i <= 15; i++) {
      Event e = client("frontend", "t" + i, "s" + i, i, 100, false);
      distinct.add(e);
      stream = stream.addElements(stamped(e));
    }
    Event oldest = distinct.get(0);
    Event newest = distinct.get(14);
    PCollectionTuple out = p
        .apply(stream.addElements(stamped(oldest)).addElements(stamped(newest))
            .advanceWatermarkToInfinity())
        .apply(new Deduplicate(Duration.standardMinutes(10), 1).withMaxIdsPerShard(10));
    String oldestId = oldest.eventId();
    PAssert.that(ids(out.get(Deduplicate.UNIQUE), "UniqueIds")).satisfies(ids -> {
      java.util.List<String> all = new java.util.ArrayList<>();
      ids.forEach(all::add);
      org.hamcrest.MatcherAssert.assertThat(all.size(), org.hamcrest.Matchers.equalTo(16));
      org.hamcrest.MatcherAssert.assertThat(
          all.stream().filter(oldestId::equals).count(), org.hamcrest.Matchers.equalTo(2L));
      return null;
    });
    PAssert.that(ids(out.get(Deduplicate.DUPLICATES), "DuplicateIds"))
        .containsInAnyOrder(newest.eventId());
    org.apache.beam.sdk.PipelineResult r = p.run();
    r.waitUntilFinish();
    long evicted = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c : r.metrics().queryMetrics(
        org.apache.beam.sdk.metrics.MetricsFilter.builder().addNameFilter(
            org.apache.beam.sdk.metrics.MetricNameFilter.named(Deduplicate.class,
                "idsEvictedOverCap")).build()).getCounters()) {
      evicted += c.getAttempted();
    }
    org.hamcrest.MatcherAssert.assertThat(evicted, org.hamcrest.Matchers.equalTo(6L));
  }
}
