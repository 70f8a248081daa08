package dev.weft.overload;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import dev.weft.graph.GraphFixtures;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * A log storm from one service beside a calm one, against a budget of 100 events per emitter per
 * one-minute window: each action bounds the storm, leaves the calm service alone, and counts every
 * event once (in = admitted + shed + spilled + sampledIn + sampledOut).
 */
public class KeyBudgetTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final int STORM = 1_500;
  private static final int CALM = 50;
  private static final long BUDGET = 100;

  /** The storm (one window, shuffled: arrival order must not matter for the counts) and calm. */
  private static List<Event> stormAndCalm() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < STORM; i++) {
      events.add(GraphFixtures.log("storm", Severity.ERROR, i % 60, "failure " + i));
    }
    for (int i = 0; i < CALM; i++) {
      events.add(GraphFixtures.log("calm", Severity.INFO, i % 60, "ok " + i));
    }
    Collections.shuffle(events, new Random(7));
    return events;
  }

  private PCollectionTuple budgeted(List<Event> events, OverloadAction action) {
    List<TimestampedValue<Event>> stamped = events.stream().map(GraphFixtures::stamped).toList();
    return p.apply(Create.timestamped(stamped).withCoder(EventCoder.of()))
        .apply(new KeyBudget(new OverloadPolicy(BUDGET, action, 10, Duration.standardMinutes(1))));
  }

  private static PCollection<Long> countOf(PCollection<Event> events, String service) {
    return events
        .apply("Only " + service + " " + events.getName(), org.apache.beam.sdk.transforms.Filter.by(
            (Event e) -> service.equals(e.signals().get("service.name"))))
        .apply("Count " + service + " " + events.getName(), Count.globally());
  }

  private static long counter(PipelineResult r, String name) {
    Iterable<MetricResult<Long>> c = r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(KeyBudget.class, name)).build()).getCounters();
    return StreamSupport.stream(c.spliterator(), false).mapToLong(MetricResult::getAttempted).sum();
  }

  @Test
  public void shedKeepsTheBudgetOfTheStormAndWritesTheIdOfEveryShedEvent() {
    PCollectionTuple out = budgeted(stormAndCalm(), OverloadAction.SHED);
    PAssert.that(countOf(out.get(KeyBudget.ADMITTED), "storm")).containsInAnyOrder(BUDGET);
    PAssert.that(countOf(out.get(KeyBudget.ADMITTED), "calm")).containsInAnyOrder((long) CALM);
    PAssert.that(out.get(KeyBudget.SHED).apply(Count.globally()))
        .containsInAnyOrder(STORM - BUDGET);
    PAssert.that(out.get(KeyBudget.SHED)).satisfies(lines -> {
      assertThat(lines, everyItem(allOf(containsString("\"emitter\":\"service.name=storm\""),
          containsString("over the overload budget of 100"))));
      return null;
    });
    PAssert.that(out.get(KeyBudget.SPILLED)).empty();
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertThat(counter(r, "admitted"), equalTo(BUDGET + CALM));
    assertThat(counter(r, "shed"), equalTo(STORM - BUDGET));
  }

  @Test
  public void spillWritesEveryEventBeyondTheBudgetWhole() {
    PCollectionTuple out = budgeted(stormAndCalm(), OverloadAction.SPILL);
    PAssert.that(countOf(out.get(KeyBudget.ADMITTED), "storm")).containsInAnyOrder(BUDGET);
    PAssert.that(countOf(out.get(KeyBudget.SPILLED), "storm"))
        .containsInAnyOrder(STORM - BUDGET);
    PAssert.that(countOf(out.get(KeyBudget.SPILLED), "calm")).containsInAnyOrder(0L);
    PAssert.that(out.get(KeyBudget.SHED)).empty();
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertThat(counter(r, "spilled"), equalTo(STORM - BUDGET));
    assertThat(counter(r, "admitted") + counter(r, "spilled"), equalTo((long) STORM + CALM));
  }

  @Test
  public void sampleKeepsOneInNWeightedSoTheStormIsStillEstimated() {
    PCollectionTuple out = budgeted(stormAndCalm(), OverloadAction.SAMPLE);
    PCollection<Long> stormWeight = out.get(KeyBudget.ADMITTED)
        .apply(org.apache.beam.sdk.transforms.Filter.by(
            (Event e) -> "storm".equals(e.signals().get("service.name"))))
        .apply(MapElements.into(TypeDescriptors.longs()).via(SampleWeight::of))
        .apply(org.apache.beam.sdk.transforms.Sum.longsGlobally());
    // 1,400 events beyond the budget, each kept with probability 1/10 and weight 10: the estimate
    // 100 + 10 * kept has a standard deviation of about 110; 1,500 +- 500 is four and a half.
    PAssert.that(stormWeight).satisfies(w -> {
      long total = w.iterator().next();
      assertThat(total, allOf(greaterThan(1_000L), lessThan(2_000L)));
      return null;
    });
    PAssert.that(countOf(out.get(KeyBudget.ADMITTED), "calm")).containsInAnyOrder((long) CALM);
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertThat(counter(r, "sampledIn") + counter(r, "sampledOut"), equalTo(STORM - BUDGET));
    assertThat(counter(r, "sampledIn"), greaterThan(0L));
    assertThat(counter(r, "admitted"), equalTo(BUDGET + CALM));
  }

  @Test
  public void samplingKeepsOrDropsAWholeTraceSoItsCallsStillPair() {
    List<Event> events = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      String trace = String.format("%032x", t);
      events.add(GraphFixtures.client("storm", trace, "c" + t, 1, 100, false));
      events.add(GraphFixtures.span("storm", trace, "s" + t, "c" + t, SpanKind.SERVER, 1, 90,
          false, false, Map.of()));
    }
    PCollectionTuple out = p.apply(Create.timestamped(
            events.stream().map(GraphFixtures::stamped).toList()).withCoder(EventCoder.of()))
        .apply(new KeyBudget(new OverloadPolicy(10, OverloadAction.SAMPLE, 4,
            Duration.standardMinutes(1))));
    PAssert.that(out.get(KeyBudget.ADMITTED)).satisfies(admitted -> {
      Map<String, Integer> halvesByTrace = new HashMap<>();
      for (Event e : admitted) {
        if (e.attributes().containsKey(SampleWeight.ATTRIBUTE)) {
          halvesByTrace.merge(e.span().get().traceId(), 1, Integer::sum);
        }
      }
      assertThat(halvesByTrace.isEmpty(), equalTo(false));
      // A trace kept by sampling keeps both halves, unless one half was within the budget.
      long split = halvesByTrace.values().stream().filter(n -> n != 2).count();
      assertThat(split, lessThan(11L));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  public void aWeightASourceSendsItselfIsRemoved() {
    Event forged = GraphFixtures.span("svc", "t1", "s1", null, SpanKind.SERVER, 1, 10, false,
        false, Map.of(SampleWeight.ATTRIBUTE, "1000000"));
    PCollectionTuple out = p.apply(Create.timestamped(List.of(GraphFixtures.stamped(forged)))
            .withCoder(EventCoder.of()))
        .apply(new KeyBudget(OverloadPolicy.unlimited()));
    PAssert.that(out.get(KeyBudget.ADMITTED).apply(
            MapElements.into(TypeDescriptors.longs()).via(SampleWeight::of)))
        .containsInAnyOrder(1L);
    p.run().waitUntilFinish();
  }

  @Test
  public void onAStreamTheBudgetAppliesPerWindowAndLaterWindowsStartAfresh() {
    TestStream.Builder<Event> stream = TestStream.create(EventCoder.of());
    List<TimestampedValue<Event>> first = new ArrayList<>();
    List<TimestampedValue<Event>> second = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      first.add(GraphFixtures.stamped(GraphFixtures.log("storm", Severity.ERROR, 1, "a" + i)));
      second.add(GraphFixtures.stamped(GraphFixtures.log("storm", Severity.ERROR, 61, "b" + i)));
    }
    TestStream<Event> events = stream
        .addElements(first.get(0), first.subList(1, first.size()).toArray(TimestampedValue[]::new))
        .advanceWatermarkTo(GraphFixtures.joda(GraphFixtures.at(60)))
        .addElements(second.get(0),
            second.subList(1, second.size()).toArray(TimestampedValue[]::new))
        .advanceWatermarkToInfinity();
    PCollectionTuple out = p.apply(events)
        .apply(new KeyBudget(new OverloadPolicy(BUDGET, OverloadAction.SHED, 10,
            Duration.standardMinutes(1))));
    PAssert.that(out.get(KeyBudget.ADMITTED)
            .apply("Admitted per minute", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply("Count admitted", Combine.globally(Count.<Event>combineFn()).withoutDefaults()))
        .containsInAnyOrder(BUDGET, BUDGET);
    PAssert.that(out.get(KeyBudget.SHED)
            .apply("Shed per minute", Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply("Count shed", Combine.globally(Count.<String>combineFn()).withoutDefaults()))
        .containsInAnyOrder(50L, 50L);
    p.run().waitUntilFinish();
  }

  @Test
  public void onABoundedInputTheAdmittedEventsDoNotDependOnArrivalOrder() {
    List<Event> one = stormAndCalm();
    List<Event> other = new ArrayList<>(one);
    Collections.shuffle(other, new Random(99));
    Collections.reverse(other);
    PCollection<String> first = budgeted(one, OverloadAction.SHED).get(KeyBudget.ADMITTED)
        .apply("Ids first", MapElements.into(TypeDescriptors.strings()).via(Event::eventId));
    PCollection<String> second = p.apply("Other order", Create.timestamped(
            other.stream().map(GraphFixtures::stamped).toList()).withCoder(EventCoder.of()))
        .apply("Budget other order", new KeyBudget(
            new OverloadPolicy(BUDGET, OverloadAction.SHED, 10, Duration.standardMinutes(1))))
        .get(KeyBudget.ADMITTED)
        .apply("Ids second", MapElements.into(TypeDescriptors.strings()).via(Event::eventId));
    PCollectionView<List<String>> firstIds = first.apply(View.asList());
    PAssert.that(second.apply("Compare", ParDo.of(new FoundIn(firstIds))
        .withSideInputs(firstIds))).satisfies(found -> {
      int n = 0;
      for (boolean f : found) {
        assertThat("admitted in one order and not the other", f, equalTo(true));
        n++;
      }
      assertThat(n, equalTo((int) BUDGET + CALM));
      return null;
    });
    p.run().waitUntilFinish();
  }

  /** Whether each id is among the ids of a side input. */
  private static final class FoundIn extends DoFn<String, Boolean> {
    private final PCollectionView<List<String>> ids;

    FoundIn(PCollectionView<List<String>> ids) {
      this.ids = ids;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.output(c.sideInput(ids).contains(c.element()));
    }
  }

  @Test
  public void theBoundedRankingHoldsNoMoreThanTheBudgetAndFindsTheLastAdmittedRank() {
    BoundedBudget.LastAdmittedRankFn fn = new BoundedBudget.LastAdmittedRankFn(100);
    List<BoundedBudget.Rank> ranks = new ArrayList<>();
    for (long i = 0; i < 10_000; i++) {
      ranks.add(new BoundedBudget.Rank(OverloadActions.hash64("u" + i), i));
    }
    BoundedBudget.Smallest left = fn.createAccumulator();
    BoundedBudget.Smallest right = fn.createAccumulator();
    for (int i = 0; i < ranks.size(); i++) {
      fn.addInput(i % 3 == 0 ? left : right, ranks.get(i));
    }
    assertThat(left.ranks.size() <= 100 && right.ranks.size() <= 100, equalTo(true));
    BoundedBudget.Smallest merged = fn.mergeAccumulators(List.of(left, right));
    assertThat(merged.count, equalTo(10_000L));
    List<BoundedBudget.Rank> sorted = new ArrayList<>(ranks);
    Collections.sort(sorted);
    assertThat(fn.extractOutput(merged), equalTo(sorted.get(99)));
    BoundedBudget.Smallest small = fn.createAccumulator();
    ranks.subList(0, 100).forEach(r -> fn.addInput(small, r));
    assertThat(fn.extractOutput(small), equalTo(BoundedBudget.Rank.NONE));
  }

  /**
   * The count cap (issue 11: every keyed buffer capped and counted): a shard that may hold 3
   * (emitter, window) counts sees 5 emitters in one window; the events of the two it cannot count
   * get the action (here shed) and are counted, the three it counts keep their budget.
   */
  @Test
  public void onAStreamEmittersBeyondTheCountCapGetTheActionAndAreCounted() {
    TestStream.Builder<KV<Integer, Event>> stream = TestStream.create(
            KvCoder.of(VarIntCoder.of(), EventCoder.of()))
        .advanceWatermarkTo(GraphFixtures.joda(GraphFixtures.at(0)));
    for (int s = 1; s <= 5; s++) {
      for (int i = 0; i < 4; i++) {
        Event e = GraphFixtures.log("svc" + s, Severity.INFO, 1 + i, "line " + s + "/" + i);
        stream = stream.addElements(TimestampedValue.of(KV.of(0, e),
            GraphFixtures.joda(e.eventTime())));
      }
    }
    PCollectionTuple out = p.apply(stream.advanceWatermarkToInfinity())
        .apply(ParDo.of(new BudgetFn(new OverloadPolicy(BUDGET, OverloadAction.SHED, 10,
                Duration.standardMinutes(1)), 3))
            .withOutputTags(KeyBudget.ADMITTED, TupleTagList.of(KeyBudget.SHED)
                .and(KeyBudget.SPILLED)));
    out.get(KeyBudget.ADMITTED).setCoder(EventCoder.of());
    out.get(KeyBudget.SHED).setCoder(org.apache.beam.sdk.coders.StringUtf8Coder.of());
    out.get(KeyBudget.SPILLED).setCoder(EventCoder.of());
    PAssert.that(out.get(KeyBudget.SHED)).satisfies(lines -> {
      int n = 0;
      for (String l : lines) {
        assertThat(l, org.hamcrest.Matchers.anyOf(containsString("service.name=svc4"),
            containsString("service.name=svc5")));
        n++;
      }
      assertThat(n, equalTo(8));
      return null;
    });
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertThat(counter(r, "emitterWindowsOverCap"), equalTo(8L));
    assertThat(counter(r, "admitted"), equalTo(12L));
    assertThat(counter(r, "shed"), equalTo(8L));
  }
}
