package dev.weft.identity;

import static dev.weft.identity.Events.log;
import static dev.weft.identity.Events.pod;

import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.ResolvedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import dev.weft.model.BindingCoder;
import dev.weft.model.ResolvedEventCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class ResolveIdentityTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final IdentityPolicy POLICY = IdentityPolicy.defaultPolicy();

  private static Instant joda(java.time.Instant t) {
    return new Instant(t.toEpochMilli());
  }

  private static TimestampedValue<Event> stamped(Event e) {
    return TimestampedValue.of(e, joda(e.eventTime()));
  }

  /** A binding as text that a test can compare: event, type, entity, decision, revision. */
  private static PCollection<String> describe(PCollection<Binding> bindings) {
    return bindings.apply("DescribeBindings", MapElements.into(TypeDescriptors.strings())
        .via(b -> b.eventId() + " " + b.entityType() + " " + b.entityId() + " " + b.decision()
            + " r" + b.revision()));
  }

  private static PCollection<String> describeResolved(PCollection<ResolvedEvent> resolved) {
    return resolved.apply("DescribeResolved", MapElements.into(TypeDescriptors.strings())
        .via(r -> r.event().eventId() + " " + r.subject() + " r" + r.revision()
            + (r.retraction() ? " retracted" : "")));
  }

  /**
   * What an upserting consumer ends with: per upsert key, the highest revision. In a batch run
   * the arrival order inside a shard is arbitrary, so an early decision may be revised once the
   * alias that should have preceded it arrives; the final view is what must be right.
   */
  private static PCollection<String> finalBindings(PCollection<Binding> bindings) {
    return describe(bindings
        .apply("ByUpsertKey", WithKeys.of((Binding b) -> b.upsertKey())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BindingCoder.of()))
        .apply("Latest", Combine.perKey(
            (Iterable<Binding> all) -> {
              Binding latest = null;
              for (Binding b : all) {
                latest = latest == null || b.revision() > latest.revision() ? b : latest;
              }
              return latest;
            }))
        .apply("Values", Values.create()))
        .apply("ZeroRevision", MapElements.into(TypeDescriptors.strings())
            .via(s -> s.replaceAll(" r\\d+$", "")));
  }

  private static PCollection<String> finalSubjects(PCollection<ResolvedEvent> resolved) {
    return resolved
        .apply("KeepAssertions", Filter.by((ResolvedEvent r) -> !r.retraction()))
        .apply("ByEvent", WithKeys.of((ResolvedEvent r) -> r.event().eventId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResolvedEventCoder.of()))
        .apply("LatestResolution", Combine.perKey(
            (Iterable<ResolvedEvent> all) -> {
              ResolvedEvent latest = null;
              for (ResolvedEvent r : all) {
                latest = latest == null || r.revision() > latest.revision() ? r : latest;
              }
              return latest;
            }))
        .apply("Subject", MapElements.into(TypeDescriptors.strings())
            .via(kv -> kv.getKey() + " " + kv.getValue().subject()));
  }

  @Test
  public void eachDecisionTypeOnHandMadeEventsMatchesTheInMemoryResolver() {
    List<Event> events = List.of(
        pod("p1", 0, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.5"),
        log("i1", 1, "service.name", "cart", "service.instance.id", "i-1", "host.name", "node-a"),
        log("i2", 2, "service.name", "cart", "service.instance.id", "i-2", "host.name", "node-a"),
        log("l1", 10, "k8s.pod.ip", "10.0.0.5"),
        log("l2", 11, "k8s.pod.ip", "10.9.9.9"),
        log("z1", 12, "service.name", "cart", "host.name", "node-a"));
    List<TimestampedValue<Event>> stamped = new ArrayList<>();
    events.forEach(e -> stamped.add(stamped(e)));
    ResolvedIdentity out = p.apply(Create.timestamped(stamped).withCoder(EventCoder.of()))
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4));

    PAssert.that(finalBindings(out.bindings())).containsInAnyOrder(
        "p1 k8s.pod k8s.pod:shop/cart-1 BOUND",
        "p1 k8s.namespace k8s.namespace:shop BOUND",
        "i1 service service:cart BOUND",
        "i1 service.instance service.instance:cart/i-1 BOUND",
        "i1 host host:node-a BOUND",
        "i2 service service:cart BOUND",
        "i2 service.instance service.instance:cart/i-2 BOUND",
        "i2 host host:node-a BOUND",
        "l1 k8s.pod k8s.pod:shop/cart-1 ALIASED",
        "l2 k8s.pod k8s.pod~10.9.9.9 REFUSED_BELOW_FLOOR",
        "z1 service service:cart BOUND",
        "z1 host host:node-a BOUND",
        "z1 service.instance service.instance~cart/node-a CONFLICT");
    PAssert.that(finalSubjects(out.resolved())).containsInAnyOrder(
        "p1 k8s.pod:shop/cart-1",
        "i1 service.instance:cart/i-1",
        "i2 service.instance:cart/i-2",
        "l1 k8s.pod:shop/cart-1",
        "l2 k8s.pod~10.9.9.9",
        "z1 service.instance~cart/node-a");
    p.run().waitUntilFinish();
  }

  /**
   * Issue 10's arrival-time split, in batch: a log line at 10:00:03 names an instance only by
   * service and host; the span that teaches that alias comes at 10:00:05. The bounded run knows the
   * whole timeline, and the shipped policy's look-back (PT1M on service.instance) lets the line
   * bind to the real instance instead of a provisional {@code service.instance~checkout/node-1}.
   */
  @Test
  public void batchBindsALogLineToTheInstanceWhoseSpanComesSecondsLater() {
    List<TimestampedValue<Event>> stamped = List.of(
        stamped(log("line", 3, "service.name", "checkout", "host.name", "node-1")),
        stamped(log("span", 5, "service.name", "checkout", "service.instance.id", "i-1",
            "host.name", "node-1")));
    ResolvedIdentity out = p.apply(Create.timestamped(stamped).withCoder(EventCoder.of()))
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4));
    PAssert.that(describe(out.bindings().apply(Filter.by(
        (Binding b) -> b.entityType().equals("service.instance"))))).containsInAnyOrder(
        "line service.instance service.instance:checkout/i-1 ALIASED r0",
        "span service.instance service.instance:checkout/i-1 BOUND r0");
    p.run().waitUntilFinish();
  }

  @Test
  public void ipReusedByAnotherPodNeverMergesTheTwoPods() {
    List<TimestampedValue<Event>> stamped = List.of(
        stamped(pod("a", 0, ConfigOperation.ADDED, "shop", "cart-a", "uid-a", "10.0.0.5")),
        stamped(log("la", 60, "k8s.pod.ip", "10.0.0.5")),
        stamped(pod("a-del", 100, ConfigOperation.DELETED, "shop", "cart-a", "uid-a", "10.0.0.5")),
        stamped(pod("b", 200, ConfigOperation.ADDED, "shop", "cart-b", "uid-b", "10.0.0.5")),
        stamped(log("lb", 260, "k8s.pod.ip", "10.0.0.5")));
    ResolvedIdentity out = p.apply(Create.timestamped(stamped).withCoder(EventCoder.of()))
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 8));
    PAssert.that(finalSubjects(out.resolved())).containsInAnyOrder(
        "a k8s.pod:shop/cart-a",
        "la k8s.pod:shop/cart-a",
        "a-del k8s.pod:shop/cart-a",
        "b k8s.pod:shop/cart-b",
        "lb k8s.pod:shop/cart-b");
    p.run().waitUntilFinish();
  }

  /**
   * A log line carrying only a pod IP arrives before the pod object that teaches the IP. It is
   * refused (provisional entity) on time; when the pod object lands late, the log line is re-bound
   * and the correction flows downstream as a retraction plus a revision, so a downstream per-entity
   * count shows the provisional entity in the on-time pane and the correction in a late pane.
   */
  @Test
  public void lateAliasRebindsEarlierEventsAsARevision() {
    Event logLine = log("l1", 5, "k8s.pod.ip", "10.0.0.5");
    Event podObject = pod("p1", -30, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.5");
    TestStream<Event> stream = TestStream.create(EventCoder.of())
        .advanceWatermarkTo(joda(Events.at(-60)))
        // On time: nothing has taught 10.0.0.5 yet.
        .addElements(stamped(logLine))
        // The watermark passes the end of the log line's minute: its on-time pane fires.
        .advanceWatermarkTo(joda(Events.at(120)))
        // Late, within the lateness bound: the pod object that owned the IP since -30 s.
        .addElements(stamped(podObject))
        .advanceWatermarkToInfinity();

    ResolvedIdentity out = p.apply(stream)
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4));

    PAssert.that(describe(out.bindings())).containsInAnyOrder(
        "l1 k8s.pod k8s.pod~10.0.0.5 REFUSED_BELOW_FLOOR r0",
        "l1 k8s.pod k8s.pod:shop/cart-1 ALIASED r1",
        "p1 k8s.pod k8s.pod:shop/cart-1 BOUND r0",
        "p1 k8s.namespace k8s.namespace:shop BOUND r0");
    PAssert.that(describeResolved(out.resolved())).containsInAnyOrder(
        "l1 k8s.pod~10.0.0.5 r0",
        "l1 k8s.pod~10.0.0.5 r0 retracted",
        "l1 k8s.pod:shop/cart-1 r1",
        "p1 k8s.pod:shop/cart-1 r0");

    // What a downstream consumer sees: per-minute event counts per subject, retractions subtract.
    PCollection<KV<String, Integer>> counts = out.resolved()
        .apply("PerSubject", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
            .via(r -> KV.of(r.subject(), r.retraction() ? -1 : 1)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply("Minutes", Window.<KV<String, Integer>>into(
                FixedWindows.of(org.joda.time.Duration.standardMinutes(1)))
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(org.joda.time.Duration.standardMinutes(10))
            .discardingFiredPanes())
        .apply("Count", Sum.integersPerKey());
    IntervalWindow minute = new IntervalWindow(joda(Events.at(0)),
        org.joda.time.Duration.standardMinutes(1));
    PAssert.that(counts).inOnTimePane(minute).containsInAnyOrder(KV.of("k8s.pod~10.0.0.5", 1));
    PAssert.that(counts).inLatePane(minute).containsInAnyOrder(
        KV.of("k8s.pod~10.0.0.5", -1), KV.of("k8s.pod:shop/cart-1", 1));
    p.run().waitUntilFinish();
  }

  /**
   * Eight log lines carrying only a pod IP, one after the other and on time (each refused: nothing
   * has taught the IP yet), then the pod object that owned the IP since before them, late.
   */
  private static TestStream<Event> eightRefusedLinesThenTheirPodLate() {
    TestStream.Builder<Event> stream = TestStream.create(EventCoder.of())
        .advanceWatermarkTo(joda(Events.at(-60)));
    for (int i = 0; i < 8; i++) {
      stream = stream.addElements(stamped(log("l" + i, i, "k8s.pod.ip", "10.0.0.5")));
    }
    return stream
        .advanceWatermarkTo(joda(Events.at(120)))
        .addElements(stamped(
            pod("p1", -30, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.5")))
        .advanceWatermarkToInfinity();
  }

  /**
   * The pending cap (issue 11: every keyed buffer capped and counted): eight log lines carrying only
   * a pod IP are refused on time; with at most three decisions per blocking key kept open for a
   * re-binding, the pod object that arrives late re-binds the three newest, and the five oldest keep
   * their refusal and are counted.
   */
  /**
   * On a stream, a bare service name decided before any namespace claimed it is re-bound when the
   * claim arrives late; a second claimant arriving later still turns it into a refusal.
   */
  @Test
  public void lateClaimsRebindABareServiceNameAndASecondClaimRefusesIt() {
    TestStream<Event> stream = TestStream.create(EventCoder.of())
        .advanceWatermarkTo(joda(Events.at(-60)))
        .addElements(stamped(log("bare", 5, "service.name", "api")))
        .advanceWatermarkTo(joda(Events.at(120)))
        .addElements(stamped(log("billing", 10, "service.namespace", "billing",
            "service.name", "api")))
        .advanceWatermarkTo(joda(Events.at(180)))
        .addElements(stamped(log("shipping", 20, "service.namespace", "shipping",
            "service.name", "api")))
        .advanceWatermarkToInfinity();
    ResolvedIdentity out = p.apply(stream)
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4));
    PAssert.that(describe(out.bindings())).containsInAnyOrder(
        "bare service service:api BOUND r0",
        "bare service service:billing/api ALIASED r1",
        "bare service service~api CONFLICT r2",
        "billing service service:billing/api BOUND r0",
        "shipping service service:shipping/api BOUND r0");
    p.run().waitUntilFinish();
  }

  @Test
  public void decisionsBeyondThePendingCapAreCountedAndNotRebound() {
    ResolvedIdentity out = p.apply(eightRefusedLinesThenTheirPodLate())
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4).withPendingCap(3));
    PAssert.that(describe(out.bindings()).apply("Rebound", Filter.by(
            (String b) -> b.endsWith(" r1"))))
        .containsInAnyOrder("l5 k8s.pod k8s.pod:shop/cart-1 ALIASED r1",
            "l6 k8s.pod k8s.pod:shop/cart-1 ALIASED r1",
            "l7 k8s.pod k8s.pod:shop/cart-1 ALIASED r1");
    org.apache.beam.sdk.PipelineResult r = p.run();
    r.waitUntilFinish();
    long overCap = counter(r, "pending-over-cap-not-rebindable");
    org.hamcrest.MatcherAssert.assertThat(overCap, org.hamcrest.Matchers.equalTo(5L));
  }

  /**
   * The assembly cap (issue 11): one shard holding at most 3 events sees 8 log lines resolved one
   * after the other; each time it goes over it forgets the oldest resolved one (5 in all, counted).
   * The pod object that arrives late re-binds all 8 (the pending cap is not reached), but only the
   * 3 still held can be revised; the revisions of the 5 forgotten are counted, not lost silently.
   */
  @Test
  public void eventsBeyondTheAssemblyCapAreForgottenAndTheirRevisionsCounted() {
    ResolvedIdentity out = p.apply(eightRefusedLinesThenTheirPodLate())
        .apply(new ResolveIdentity(POLICY, Duration.ofMinutes(10), 1).withAssemblyCap(3));
    PAssert.that(describeResolved(out.resolved()).apply("Revised", Filter.by(
            (String r) -> r.endsWith(" r1"))))
        .containsInAnyOrder("l5 k8s.pod:shop/cart-1 r1", "l6 k8s.pod:shop/cart-1 r1",
            "l7 k8s.pod:shop/cart-1 r1");
    org.apache.beam.sdk.PipelineResult r = p.run();
    r.waitUntilFinish();
    org.hamcrest.MatcherAssert.assertThat(counter(r, "assembly-evicted-over-cap"),
        org.hamcrest.Matchers.equalTo(5L));
    org.hamcrest.MatcherAssert.assertThat(counter(r, "revisions-after-retention-dropped"),
        org.hamcrest.Matchers.equalTo(5L));
  }

  private static long counter(org.apache.beam.sdk.PipelineResult r, String name) {
    long n = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c : r.metrics().queryMetrics(
        org.apache.beam.sdk.metrics.MetricsFilter.builder().addNameFilter(
            org.apache.beam.sdk.metrics.MetricNameFilter.named(ResolveIdentity.class, name))
            .build()).getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }

  /**
   * A bounded input is resolved the same whatever order its elements arrive in: forwards,
   * backwards and shuffled give the same bindings and resolved events, each once, at revision 0,
   * with no retraction, including a log line listed before the pod object that teaches its IP and
   * an IP reused by a second pod.
   */
  /**
   * Issue 10, telemetry splits: a service without a namespace (Zipkin, JSON logs) binds to the one
   * namespaced service that claimed its name, before or after the claim; a name claimed by two
   * namespaces is refused rather than merged; a pod named by its uid alone binds to the pod the
   * object (namespace/name + uid) names. The same in every arrival order.
   */
  @Test
  public void weakerKeyBindsToTheOneEntityThatClaimedItInEveryArrivalOrder() {
    List<Event> events = List.of(
        log("fe-early", 5, "service.name", "frontend"),
        log("fe-ns", 10, "service.namespace", "shop", "service.name", "frontend"),
        log("fe-late", 20, "service.name", "frontend"),
        log("api-billing", 3, "service.namespace", "billing", "service.name", "api"),
        log("api-shipping", 40, "service.namespace", "shipping", "service.name", "api"),
        log("api-bare", 20, "service.name", "api"),
        log("solo", 7, "service.name", "reports"),
        log("uid-early", 1, "k8s.pod.uid", "UID-9"),
        pod("p9", 30, ConfigOperation.ADDED, "shop", "cart-9", "uid-9", "10.0.0.9"),
        log("uid-late", 90, "k8s.pod.uid", "uid-9", "k8s.pod.ip", "10.0.0.9"),
        log("uid-stranger", 2, "k8s.pod.uid", "uid-0"));
    String[] bindings = {
        "fe-early service service:shop/frontend ALIASED r0",
        "fe-ns service service:shop/frontend BOUND r0",
        "fe-late service service:shop/frontend ALIASED r0",
        "api-billing service service:billing/api BOUND r0",
        "api-shipping service service:shipping/api BOUND r0",
        "api-bare service service~api CONFLICT r0",
        "solo service service:reports BOUND r0",
        "uid-early k8s.pod k8s.pod:shop/cart-9 ALIASED r0",
        "p9 k8s.pod k8s.pod:shop/cart-9 BOUND r0",
        "p9 k8s.namespace k8s.namespace:shop BOUND r0",
        "uid-late k8s.pod k8s.pod:shop/cart-9 ALIASED r0",
        "uid-stranger k8s.pod k8s.pod:uid-0 BOUND r0"};
    resolveInEveryOrder(events, 11, bindings, null);
    p.run().waitUntilFinish();
  }

  /**
   * Resolves {@code events} forwards, backwards and shuffled by {@code seed}, each run expected to
   * give {@code bindings} and (unless null) {@code resolved}; the caller runs the pipeline.
   */
  private void resolveInEveryOrder(List<Event> events, long seed, String[] bindings,
      String[] resolved) {
    List<Event> reversed = new ArrayList<>(events);
    java.util.Collections.reverse(reversed);
    List<Event> shuffled = new ArrayList<>(events);
    java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
    int run = 0;
    for (List<Event> order : List.of(events, reversed, shuffled)) {
      List<TimestampedValue<Event>> stamped = new ArrayList<>();
      order.forEach(e -> stamped.add(stamped(e)));
      String name = "Order" + run++;
      ResolvedIdentity out = p.apply(name, Create.timestamped(stamped).withCoder(EventCoder.of()))
          .apply(name + "Resolve", new ResolveIdentity(POLICY, Duration.ofMinutes(10), 4));
      PAssert.that(name + "Bindings", out.bindings()
              .apply(name + "DescribeBindings", MapElements.into(TypeDescriptors.strings())
                  .via(b -> b.eventId() + " " + b.entityType() + " " + b.entityId() + " "
                      + b.decision() + " r" + b.revision())))
          .containsInAnyOrder(bindings);
      if (resolved != null) {
        PAssert.that(name + "Resolved", out.resolved()
                .apply(name + "DescribeResolved", MapElements.into(TypeDescriptors.strings())
                    .via(r -> r.event().eventId() + " " + r.subject() + " r" + r.revision()
                        + (r.retraction() ? " retracted" : ""))))
            .containsInAnyOrder(resolved);
      }
    }
  }

  @Test
  public void boundedInputResolvesTheSameInEveryArrivalOrder() {
    List<Event> events = List.of(
        log("early", 5, "k8s.pod.ip", "10.0.0.7"),
        pod("p1", -30, ConfigOperation.ADDED, "shop", "cart-1", "uid-1", "10.0.0.7"),
        log("i1", 1, "service.name", "cart", "service.instance.id", "i-1", "host.name", "node-a"),
        log("z1", 12, "service.name", "cart", "host.name", "node-a"),
        log("l2", 11, "k8s.pod.ip", "10.9.9.9"),
        log("lb", 260, "k8s.pod.ip", "10.0.0.5"),
        log("la", 60, "k8s.pod.ip", "10.0.0.5"),
        pod("b", 200, ConfigOperation.ADDED, "shop", "cart-b", "uid-b", "10.0.0.5"),
        pod("a-del", 100, ConfigOperation.DELETED, "shop", "cart-a", "uid-a", "10.0.0.5"),
        pod("a", 0, ConfigOperation.ADDED, "shop", "cart-a", "uid-a", "10.0.0.5"),
        log("i2", 2, "service.name", "cart", "service.instance.id", "i-2", "host.name", "node-a"));
    String[] bindings = {
        "early k8s.pod k8s.pod:shop/cart-1 ALIASED r0",
        "p1 k8s.pod k8s.pod:shop/cart-1 BOUND r0",
        "p1 k8s.namespace k8s.namespace:shop BOUND r0",
        "i1 service service:cart BOUND r0",
        "i1 service.instance service.instance:cart/i-1 BOUND r0",
        "i1 host host:node-a BOUND r0",
        "i2 service service:cart BOUND r0",
        "i2 service.instance service.instance:cart/i-2 BOUND r0",
        "i2 host host:node-a BOUND r0",
        "z1 service service:cart BOUND r0",
        "z1 host host:node-a BOUND r0",
        "z1 service.instance service.instance~cart/node-a CONFLICT r0",
        "l2 k8s.pod k8s.pod~10.9.9.9 REFUSED_BELOW_FLOOR r0",
        "a k8s.pod k8s.pod:shop/cart-a BOUND r0",
        "a k8s.namespace k8s.namespace:shop BOUND r0",
        "a-del k8s.pod k8s.pod:shop/cart-a BOUND r0",
        "a-del k8s.namespace k8s.namespace:shop BOUND r0",
        "b k8s.pod k8s.pod:shop/cart-b BOUND r0",
        "b k8s.namespace k8s.namespace:shop BOUND r0",
        "la k8s.pod k8s.pod:shop/cart-a ALIASED r0",
        "lb k8s.pod k8s.pod:shop/cart-b ALIASED r0"};
    String[] resolved = {
        "early k8s.pod:shop/cart-1 r0",
        "p1 k8s.pod:shop/cart-1 r0",
        "i1 service.instance:cart/i-1 r0",
        "i2 service.instance:cart/i-2 r0",
        "z1 service.instance~cart/node-a r0",
        "l2 k8s.pod~10.9.9.9 r0",
        "a k8s.pod:shop/cart-a r0",
        "a-del k8s.pod:shop/cart-a r0",
        "b k8s.pod:shop/cart-b r0",
        "la k8s.pod:shop/cart-a r0",
        "lb k8s.pod:shop/cart-b r0"};
    resolveInEveryOrder(events, 7, bindings, resolved);
    p.run().waitUntilFinish();
  }
}
