package dev.weft.core;

import static dev.weft.graph.GraphFixtures.T0;
import static dev.weft.graph.GraphFixtures.client;
import static dev.weft.graph.GraphFixtures.joda;
import static dev.weft.graph.GraphFixtures.k8s;
import static dev.weft.graph.GraphFixtures.log;
import static dev.weft.graph.GraphFixtures.server;
import static dev.weft.graph.GraphFixtures.span;
import static dev.weft.graph.GraphFixtures.stamped;

import dev.weft.graph.GraphFixtures;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphNode;
import dev.weft.model.LateEvent;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import static org.hamcrest.MatcherAssert.assertThat;

/**
 * The graph's event-time behaviour told pane by pane: one-minute windows, five minutes of allowed
 * lateness, a one-minute pairing bound. Every test feeds normalized events through {@link
 * EventsToGraph} (dedup, stand-in identity, lateness gate, graph).
 */
public class EventsToGraphPanesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final IntervalWindow FIRST_MINUTE =
      new IntervalWindow(joda(T0), joda(T0).plus(MINUTE));

  private static GraphParams params(Optional<Duration> early) {
    return new GraphParams(MINUTE, Duration.standardMinutes(5), early,
        Duration.standardMinutes(10), MINUTE, 1000);
  }

  private static TestStream.Builder<Event> stream() {
    return TestStream.create(EventCoder.of()).advanceWatermarkTo(joda(T0));
  }

  /** A call a -> b in trace {@code trace}: the client at {@code t}, the server a second later. */
  private static List<Event> call(String from, String to, String trace, long t, boolean error) {
    return List.of(client(from, trace, "c" + trace, t, 2_000, error),
        server(to, trace, "s" + trace, "c" + trace, t + 1, 1_000));
  }

  @SuppressWarnings("unchecked")
  private static TestStream.Builder<Event> add(TestStream.Builder<Event> s, List<Event> events) {
    return s.addElements(stamped(events.get(0)), events.subList(1, events.size()).stream()
        .map(GraphFixtures::stamped).toArray(org.apache.beam.sdk.values.TimestampedValue[]::new));
  }

  private static int described;

  private static PCollection<String> calls(PCollection<GraphEdge> edges) {
    described++;
    return edges
        .apply("OnlyCalls" + described, Filter.by(e -> e.relation().equals("calls")))
        .apply("DescribeCalls" + described, MapElements.into(TypeDescriptors.strings())
            .via(e -> e.from() + " -> " + e.to() + " count=" + e.count() + " errors="
                + e.errors()));
  }

  private static PCollection<String> ids(PCollection<Event> events, String name) {
    return events.apply(name, MapElements.into(TypeDescriptors.strings()).via(Event::eventId));
  }

  @Test
  public void onTimeCallEdgeWithCountErrorsAndLatency() {
    TestStream.Builder<Event> s = stream();
    s = add(s, call("service-a", "t1", 10, false));
    s = add(s, call("service-a", "t2", 20, true));
    TestStream<Event> events = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(3)))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=2 errors=1");
    PAssert.that(g.edges().apply("Latency", MapElements.into(TypeDescriptors.strings())
            .via(e -> e.relation() + " p50=" + e.p50Micros().orElse(-1L))))
        .inOnTimePane(FIRST_MINUTE).containsInAnyOrder("calls p50=2000");
    PAssert.that(g.late()).empty();
    p.run();
  }

  private static List<Event> call(String from, String trace, long t, boolean error) {
    return call(from, "service-b", trace, t, error);
  }

  @Test
  public void earlyPaneThenOnTimePane() {
    TestStream.Builder<Event> s = stream();
    s = add(s, call("service-a", "t1", 10, false));
    // The watermark passes the first call (the gate releases it), not the end of the window.
    s = s.advanceWatermarkTo(joda(T0).plus(Duration.standardSeconds(20)))
        // Thirty seconds of processing time later, a provisional EARLY pane says "one call so far".
        .advanceProcessingTime(Duration.standardSeconds(45));
    s = add(s, call("service-a", "t2", 30, false));
    TestStream<Event> events = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(3)))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events)
        .apply(new EventsToGraph(params(Optional.of(Duration.standardSeconds(30)))));

    PAssert.that(calls(g.edges())).inEarlyPane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=1 errors=0");
    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=2 errors=0");
    p.run();
  }

  @Test
  public void lateCallWithinTheBoundCorrectsTheEdgeInALatePane() {
    TestStream.Builder<Event> s = stream();
    s = add(s, call("service-a", "t1", 10, false));
    s = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(2)));
    // Two minutes of event time later, a call from the first minute arrives: late, but within the
    // five-minute bound, so a LATE pane corrects the edge (accumulating: count 2).
    s = add(s, call("service-a", "t2", 20, true));
    TestStream<Event> events = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(3)))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=1 errors=0");
    PAssert.that(calls(g.edges())).inLatePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=2 errors=1");
    PAssert.that(g.late()).empty();
    p.run();
  }

  @Test
  public void tooLateEventsAreRoutedToLateCountedAndAbsentFromTheGraph() {
    TestStream.Builder<Event> s = stream();
    s = add(s, call("service-a", "t1", 10, false));
    // Both services move on: a call at minute 8 is released and moves their frontiers to 8:00.
    s = add(s, call("service-a", "t8", 480, false));
    s = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(9)));
    // A call from the first minute: 7m40s behind the frontier, more than the 5-minute bound.
    s = add(s, call("service-a", "t2", 20, true));
    TestStream<Event> events = s.advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=1 errors=0");
    PAssert.that(calls(g.edges())).inLatePane(FIRST_MINUTE).empty();
    PAssert.that(g.late().apply("LateKeys", MapElements.into(TypeDescriptors.strings())
            .via((LateEvent l) -> l.key() + " " + l.stage() + " lateBy=" + l.lateByMillis())))
        .containsInAnyOrder("service:service-a OrderWithinKey lateBy=460000",
            "service:service-b OrderWithinKey lateBy=460000");
    p.run();
  }

  @Test
  public void duplicatesAcrossPanesAreNotCountedTwice() {
    List<Event> first = call("service-a", "t1", 10, false);
    TestStream.Builder<Event> s = stream();
    s = add(s, first);
    s = s.advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(2)));
    // The same two spans delivered again after the on-time pane (a replay): no late pane, no
    // double count.
    s = add(s, first);
    TestStream<Event> events = s.advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=1 errors=0");
    PAssert.that(calls(g.edges())).inLatePane(FIRST_MINUTE).empty();
    PAssert.that(ids(g.duplicates(), "DuplicateIds"))
        .containsInAnyOrder(first.get(0).eventId(), first.get(1).eventId());
    PAssert.that(ids(g.unique(), "UniqueIds"))
        .containsInAnyOrder(first.get(0).eventId(), first.get(1).eventId());
    p.run();
  }

  @Test
  public void outOfOrderConfigUpdatesLastWriterInEventTimeWins() {
    Event v11 = k8s("Pod", "default", "p1", ConfigOperation.MODIFIED, "11", 10,
        Map.of("app", "old"), Map.of(), List.of());
    Event v12 = k8s("Pod", "default", "p1", ConfigOperation.MODIFIED, "12", 30,
        Map.of("app", "new"), Map.of(), List.of());
    // Two writes at the same event time: resourceVersion 10 beats 9 (as numbers, not as text).
    Event v9 = k8s("Pod", "default", "p1", ConfigOperation.MODIFIED, "9", 40,
        Map.of("app", "new", "tier", "a"), Map.of(), List.of());
    Event v10 = k8s("Pod", "default", "p1", ConfigOperation.MODIFIED, "10", 40,
        Map.of("app", "new", "tier", "b"), Map.of(), List.of());
    // p2 is deleted at 0:20; the deletion arrives before its creation.
    Event p2Deleted = k8s("Pod", "default", "p2", ConfigOperation.DELETED, "21", 20,
        Map.of("app", "x"), Map.of(), List.of());
    Event p2Added = k8s("Pod", "default", "p2", ConfigOperation.ADDED, "20", 5,
        Map.of("app", "x"), Map.of(), List.of());

    TestStream<Event> events = stream()
        .addElements(stamped(v10), stamped(p2Deleted))
        .advanceWatermarkTo(joda(T0).plus(Duration.standardSeconds(45)))
        // Released already: the older writes arrive behind the frontier, within the bound.
        .addElements(stamped(v9))
        .addElements(stamped(v12), stamped(p2Added))
        .addElements(stamped(v11))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(g.nodes().apply("DescribePods", MapElements.into(TypeDescriptors.strings())
            .via((GraphNode n) -> n.id() + " app=" + n.attributes().get("label.app") + " tier="
                + n.attributes().get("label.tier") + " version=" + n.attributes().get("version")
                + " events=" + n.events() + " validTo=" + n.validTo().map(Object::toString)
                .orElse("-"))))
        .inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder(
            "k8s.pod:default/p1 app=new tier=b version=10 events=4 validTo=-",
            "k8s.pod:default/p2 app=x tier=null version=21 events=2 validTo=2024-01-01T00:00:20Z");
    PAssert.that(g.late()).empty();
    p.run();
  }

  @Test
  public void spanHalvesPairInEitherOrderMinutesApart() {
    Duration tenMinutes = Duration.standardMinutes(10);
    GraphParams wide = new GraphParams(tenMinutes, Duration.standardMinutes(5), Optional.empty(),
        Duration.standardMinutes(10), Duration.standardMinutes(5), 1000);
    IntervalWindow window = new IntervalWindow(joda(T0), joda(T0).plus(tenMinutes));
    Event serverFirst = server("checkout", "tr1", "s1", "c1", 61, 1_000);
    Event clientLater = client("frontend", "tr1", "c1", 60, 3_000, false);
    Event clientFirst = client("frontend", "tr2", "c2", 120, 4_000, false);
    Event serverLater = server("payments", "tr2", "s2", "c2", 121, 2_000);
    Event dbCall = span("checkout", "tr3", "d1", null, SpanKind.CLIENT, 130, 500, false, false,
        Map.of("db.system", "postgresql", "server.address", "db1"));

    TestStream<Event> events = stream()
        .addElements(stamped(serverFirst), stamped(clientFirst), stamped(dbCall))
        .advanceProcessingTime(Duration.standardMinutes(3))
        .advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(3)))
        // Three minutes later (in both clocks) the other halves arrive: still within the bound.
        .addElements(stamped(clientLater), stamped(serverLater))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(wide));

    PAssert.that(calls(g.edges())).inOnTimePane(window).containsInAnyOrder(
        "service:frontend -> service:checkout count=1 errors=0",
        "service:frontend -> service:payments count=1 errors=0",
        "service:checkout -> database:postgresql count=1 errors=0");
    // The database client found no server half and calls the virtual node its db.system names
    // (the servicegraph connector's default peer attributes): every half took part in a call.
    PAssert.that(g.unpairedSpans()).empty();
    p.run();
  }

  /** Beam's own late-data drops in a finished run. */
  private static long runnerLateDrops(org.apache.beam.sdk.PipelineResult result) {
    result.waitUntilFinish();
    long dropped = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c
        : result.metrics().allMetrics().getCounters()) {
      // The Direct runner's GroupAlsoByWindow says "DroppedDueToLateness", Beam's
      // LateDataDroppingDoFnRunner "droppedDueToLateness".
      if (c.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += c.getAttempted();
      }
    }
    return dropped;
  }

  /**
   * An event of a long-quiet subject, within its subject's own bound but in a window the windows
   * have already closed (the global watermark is past its end plus the lateness), is routed to
   * late-* with the windows' reason by the gate, not dropped by the runner.
   */
  @Test
  public void anEventOfAQuietKeyBehindTheWatermarkIsRoutedLateNotDropped() {
    TestStream.Builder<Event> s = stream()
        .addElements(stamped(log("service-q", Severity.INFO, 10, "q first")),
            stamped(log("service-b", Severity.INFO, 20, "b first")))
        .advanceWatermarkTo(joda(T0).plus(Duration.standardSeconds(30)));
    s = s.addElements(stamped(log("service-b", Severity.INFO, 530, "b later")))
        .advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(9)));
    // 5 s behind q's own frontier, in a window [0:00, 0:01) that closed at 6:00.
    TestStream<Event> events = s
        .addElements(stamped(log("service-q", Severity.WARN, 5, "q behind")))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(g.late().apply("LateStageAndReason", MapElements.into(TypeDescriptors.strings())
            .via((LateEvent l) -> l.stage() + " " + l.key() + " lateBy=" + l.lateByMillis()
                + " " + l.reason())))
        .containsInAnyOrder("OrderWithinKey service:service-q lateBy=535000 event time"
            + " 2024-01-01T00:00:05Z is in a graph window closed since 2024-01-01T00:05:59.999Z"
            + " (window end + allowed lateness of PT5M); the watermark had reached"
            + " 2024-01-01T00:09:00Z (key service:service-q)");
    PAssert.that(g.nodes().apply("QuietNode", MapElements.into(TypeDescriptors.strings())
            .via((GraphNode n) -> n.id() + " events=" + n.events())))
        .inWindow(FIRST_MINUTE)
        .containsInAnyOrder("service:service-q events=1", "service:service-b events=1");
    assertThat(runnerLateDrops(p.run()), org.hamcrest.Matchers.equalTo(0L));
  }

  /**
   * A key never seen before, behind the watermark but within its window's lateness, is no late
   * event: it corrects the window in a LATE pane.
   */
  @Test
  public void aNewKeyBehindTheWatermarkWithinTheLatenessCorrectsItsWindow() {
    TestStream.Builder<Event> s = stream()
        .addElements(stamped(log("service-b", Severity.INFO, 20, "b first")))
        .advanceWatermarkTo(joda(T0).plus(Duration.standardMinutes(3)));
    TestStream<Event> events = s
        .addElements(stamped(log("service-r", Severity.INFO, 5, "r behind")))
        .advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(g.late()).empty();
    PAssert.that(g.nodes().apply("NewNode", MapElements.into(TypeDescriptors.strings())
            .via((GraphNode n) -> n.id() + " events=" + n.events())))
        .inLatePane(FIRST_MINUTE).containsInAnyOrder("service:service-r events=1");
    assertThat(runnerLateDrops(p.run()), org.hamcrest.Matchers.equalTo(0L));
  }

  /**
   * A call linked after its window closed: a trace of more than 200 spans (linked at its settle
   * and expiry, not on each span) gets one more call, dated inside the trace, after it settled. Its
   * spans pass the gate (their window is open), but the call is only linked when the trace expires,
   * long after the window closed: it goes to late-* from the pairing, with the reason.
   */
  @Test
  public void aCallLinkedAfterItsWindowClosedIsRoutedLateNotDropped() {
    TestStream.Builder<Event> s = stream();
    for (int i = 0; i < 101; i++) {
      s = add(s, List.of(client("service-a", "big", "c" + i, 1 + i / 2, 2_000, false),
          server("service-b", "big", "s" + i, "c" + i, 1 + i / 2, 1_000)));
    }
    // Past the trace's settle (latest span 0:51 + one minute): its calls are linked.
    s = s.advanceWatermarkTo(joda(T0).plus(Duration.standardSeconds(170)));
    s = add(s, List.of(client("service-c", "big", "cx", 50, 2_000, false),
        server("service-d", "big", "sx", "cx", 50, 1_000)));
    TestStream<Event> events = s.advanceWatermarkToInfinity();

    EventsToGraph.Result g = p.apply(events).apply(new EventsToGraph(params(Optional.empty())));

    PAssert.that(g.late().apply("LateCalls", MapElements.into(TypeDescriptors.strings())
            .via((LateEvent l) -> l.stage() + " " + l.format() + " " + l.key())))
        .containsInAnyOrder("LinkTraces call calls|service:service-c|service:service-d");
    // The trace's hold keeps the window open until it settles: its on-time pane has every call.
    PAssert.that(calls(g.edges())).inOnTimePane(FIRST_MINUTE)
        .containsInAnyOrder("service:service-a -> service:service-b count=101 errors=0");
    assertThat(runnerLateDrops(p.run()), org.hamcrest.Matchers.equalTo(0L));
  }
}
