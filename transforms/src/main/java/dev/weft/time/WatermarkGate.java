package dev.weft.time;

import dev.weft.model.LateEvent;
import dev.weft.model.LateEventCoder;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Routes to {@link #LATE} every element the graph's windows would drop, so a runner never drops one
 * silently: the one place where "too late" means what the windows mean by it.
 *
 * <p>Why it exists: the per-key gate ({@link OrderWithinKey}) judges an event against its own
 * key's frontier, but a window drops an element when the <em>global</em> watermark has passed the
 * window's end plus the allowed lateness ({@code maxTimestamp + lateness < watermark}). An event of
 * a key that was quiet while the stream moved on passes the first and is dropped by the second,
 * visible only as Beam's {@code droppedDueToLateness}. A DoFn cannot read the watermark, so this
 * transform learns a lower bound of it and makes that bound the truth downstream:
 *
 * <ul>
 *   <li>All elements meet on one key, the clock. It keeps {@code known}, the latest event-time timer
 *       that fired: the watermark was at least there.
 *   <li>A looping event-time timer whose <em>output timestamp</em> (its watermark hold) is {@code
 *       known}: downstream of this transform the watermark never passes {@code known}. So an
 *       element whose window closes at or after {@code known} is never dropped downstream, and
 *       one whose window closed before {@code known} is routed to {@link #LATE} with the reason.
 *       The decision and the drop agree by construction, not by tuning.
 *   <li>An arriving element sets a one-off wake-up at its own time (or {@code known + tick}):
 *       when it fires, {@code known} is fresh and the loop restarts one {@code tick} on. While no
 *       element arrives the loop's step doubles, so the bound follows a moving watermark (it
 *       trails it by at most the time since the last element) and a drain to the end of time takes
 *       some forty firings, not billions.
 *   <li>The clock is seeded at the start of time by its own element, so it holds the watermark from
 *       the first moment: a clock that started later could not vouch for an element's window (the
 *       watermark may already have passed it). An element that reaches the clock before the seed
 *       passes unjudged: the seed's input still holds the watermark at the start of time then.
 * </ul>
 *
 * <p>Why one key and not shards: each shard would have to hold the watermark from the start and
 * keep its bound fresh without elements of its own, and an idle shard's bound (learned by probing,
 * a timer only ever says "at least here") lags, holding every window back. One key makes every
 * element refresh the one bound. The price is parallelism: the gate itself (a comparison per
 * element) runs on one worker; what it feeds stays parallel.
 *
 * <p>Other costs: downstream watermarks trail the input's by about a tick (one second of event
 * time) on a busy stream, one shuffle, a timer firing per element-time tick. Unbounded input only:
 * on bounded input no window ever drops (every element is known before a watermark moves), so the
 * caller does not apply it there.
 */
public final class WatermarkGate<T> extends PTransform<PCollection<T>, PCollectionTuple> {
  public static final TupleTag<LateEvent> LATE = new TupleTag<LateEvent>("late") {};
  /**
   * One element each time the gate learns the watermark, at what it learned: fed to a gate further
   * down ({@link #withHeartbeats}), it keeps that gate's bound fresh while its own elements are
   * rare (peer mentions may never come; an idle gate's stale bound would hold every window).
   */
  public static final TupleTag<Boolean> HEARTBEAT = new TupleTag<Boolean>("heartbeat") {};
  static final Duration DEFAULT_TICK = Duration.standardSeconds(1);
  /**
   * While idle the loop's step doubles up to {@link #FINE_STEPS} ticks (the bound trails a moving
   * watermark by at most the idle time), then grows ×64, so a drain to the end of time takes
   * about fifteen firings; before the first element or heartbeat nothing downstream waits, and
   * the climb from the start of time grows ×1024.
   */
  static final long FINE_STEPS = 512;
  /** The one key: its timers' holds bound the watermark of every element the gate passes. */
  private static final int CLOCK = 0;

  /** The late record of an element the windows would drop. */
  public interface Describe<T> extends Serializable {
    LateEvent late(T element, Instant timestamp, Instant watermark, Duration allowedLateness,
        String stage, String reason);
  }

  private final TupleTag<T> passed = new TupleTag<>("passed");
  private final GraphWindowing windowing;
  private final String what;
  private final Describe<T> describe;
  private final Duration tick;
  private PCollection<Boolean> heartbeats;

  /**
   * @param what names the elements in counters ({@code WHATPassed}, {@code WHATLate}) and reasons
   */
  public WatermarkGate(GraphWindowing windowing, String what, Describe<T> describe) {
    this(windowing, what, describe, DEFAULT_TICK);
  }

  WatermarkGate(GraphWindowing windowing, String what, Describe<T> describe, Duration tick) {
    if (tick == null || !tick.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("tick must be positive, got " + tick);
    }
    this.windowing = windowing;
    this.what = what;
    this.describe = describe;
    this.tick = tick;
  }

  /** The same gate, also woken by another gate's {@link #HEARTBEAT}s. */
  public WatermarkGate<T> withHeartbeats(PCollection<Boolean> heartbeats) {
    WatermarkGate<T> copy = new WatermarkGate<>(windowing, what, describe, tick);
    copy.heartbeats = heartbeats;
    return copy;
  }

  @Override
  public Map<TupleTag<?>, PValue> getAdditionalInputs() {
    return heartbeats == null ? Map.of() : Map.of(HEARTBEAT, heartbeats);
  }

  /** The tag of the elements that passed, at their own timestamps. */
  public TupleTag<T> passed() {
    return passed;
  }

  @Override
  public PCollectionTuple expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    KvCoder<Integer, T> kvCoder = KvCoder.of(VarIntCoder.of(), NullableCoder.of(coder));
    PCollection<KV<Integer, T>> keyed = input
        .apply("GlobalWindow", Window.<T>into(new GlobalWindows()))
        .apply("OnTheClockKey", WithKeys.<Integer, T>of(CLOCK))
        .setCoder(kvCoder);
    PCollection<KV<Integer, T>> seed = input.getPipeline()
        .apply("Seed", Create.timestamped(List.of(
                TimestampedValue.of(KV.<Integer, T>of(CLOCK, null),
                    BoundedWindow.TIMESTAMP_MIN_VALUE)))
            .withCoder(kvCoder));
    PCollectionList<KV<Integer, T>> all = PCollectionList.of(seed).and(keyed);
    if (heartbeats != null) {
      all = all.and(heartbeats
          .apply("HeartbeatsInGlobalWindow", Window.<Boolean>into(new GlobalWindows()))
          .apply("HeartbeatsOnTheClockKey", MapElements
              .into(new TypeDescriptor<KV<Integer, T>>() {})
              .via((Boolean b) -> KV.<Integer, T>of(CLOCK, null)))
          .setCoder(kvCoder));
    }
    PCollectionTuple out = all
        .apply("SeedsAndElements", Flatten.pCollections())
        .apply("RouteBehindWatermark", ParDo.of(new GateFn<T>(passed, windowing, what, describe,
                tick.getMillis()))
            .withOutputTags(passed, TupleTagList.of(LATE).and(HEARTBEAT)));
    out.get(passed).setCoder(coder);
    out.get(LATE).setCoder(LateEventCoder.of());
    out.get(HEARTBEAT).setCoder(BooleanCoder.of());
    return out;
  }

  static final class GateFn<T> extends DoFn<KV<Integer, T>, T> {
    private static final long END = GlobalWindow.INSTANCE.maxTimestamp().getMillis();
    /** Far enough to reach the end of time from its start, no overflow. */
    private static final long MAX_STEP = 1L << 56;
    private final TupleTag<T> passed;
    /** Not the {@link GraphWindowing} itself: its optional early delay does not serialize. */
    private final Duration windowSize;
    private final Duration allowedLateness;
    private final String what;
    private final Describe<T> describe;
    private final long tickMillis;
    private final Counter passedCount;
    private final Counter lateCount;

    /** The watermark has been at least here (the latest timer that fired); absent: not seeded. */
    @StateId("known")
    private final StateSpec<ValueState<Long>> knownSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("step")
    private final StateSpec<ValueState<Long>> stepSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("wakeAt")
    private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value(VarLongCoder.of());

    /** Always pending once seeded, holding the output watermark at {@code known}. */
    @TimerId("loop")
    private final TimerSpec loopSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /** Set by an arriving element: learn the watermark near its time, then tick again. */
    @TimerId("wake")
    private final TimerSpec wakeSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    GateFn(TupleTag<T> passed, GraphWindowing windowing, String what, Describe<T> describe,
        long tickMillis) {
      this.passed = passed;
      this.windowSize = windowing.windowSize();
      this.allowedLateness = windowing.allowedLateness();
      this.what = what;
      this.describe = describe;
      this.tickMillis = tickMillis;
      this.passedCount = Metrics.counter(WatermarkGate.class, what + "Passed");
      this.lateCount = Metrics.counter(WatermarkGate.class, what + "Late");
    }

    @ProcessElement
    public void process(@Element KV<Integer, T> element, @Timestamp Instant timestamp,
        @StateId("known") ValueState<Long> knownState,
        @StateId("step") ValueState<Long> stepState,
        @StateId("wakeAt") ValueState<Long> wakeAtState,
        @TimerId("loop") Timer loop,
        @TimerId("wake") Timer wake,
        MultiOutputReceiver out) {
      Long known = knownState.read();
      T value = element.getValue();
      if (value == null && known == null) {
        // The seed, at the start of time: from now on the clock holds the watermark. (A
        // heartbeat that came first does as well: the seed's input still holds the watermark.)
        knownState.write(timestamp.getMillis());
        stepState.write(-tickMillis);
        loop.withOutputTimestamp(timestamp).set(new Instant(capped(timestamp.getMillis(),
            tickMillis)));
        return;
      }
      if (value != null) {
        Instant closes = GraphWindowing.closesAt(timestamp, windowSize, allowedLateness);
        if (known != null && closes.getMillis() < known) {
          lateCount.inc();
          Instant watermark = new Instant(known);
          out.get(LATE).output(describe.late(value, timestamp, watermark, allowedLateness,
              "WatermarkGate", what + " at " + timestamp + " belongs to a window that closed at "
                  + closes + " (its end plus the allowed lateness of " + allowedLateness
                  + "); the watermark had passed " + watermark));
          return;
        }
        passedCount.inc();
        out.get(passed).output(value);
      }
      // An element or a heartbeat: learn the watermark near its time.
      if (known != null && known < END && wakeAtState.read() == null) {
        long at = Math.max(capped(known, tickMillis), timestamp.getMillis());
        wake.withOutputTimestamp(new Instant(at)).set(new Instant(at));
        wakeAtState.write(at);
      }
    }

    @OnTimer("loop")
    public void onLoop(OnTimerContext c,
        @StateId("known") ValueState<Long> knownState,
        @StateId("step") ValueState<Long> stepState,
        @TimerId("loop") Timer loop) {
      long known = learn(knownState, c.fireTimestamp().getMillis());
      // Negative: still climbing from the start of time, nothing seen yet, nothing waits.
      Long before = stepState.read();
      boolean climbing = before == null || before < 0;
      long current = before == null ? tickMillis : Math.abs(before);
      long step = grow(current, climbing ? 1024 : current < FINE_STEPS * tickMillis ? 2 : 64);
      stepState.write(climbing ? -step : step);
      heartbeat(c, known);
      holdAndLoop(loop, known, step);
    }

    @OnTimer("wake")
    public void onWake(OnTimerContext c,
        @StateId("known") ValueState<Long> knownState,
        @StateId("step") ValueState<Long> stepState,
        @StateId("wakeAt") ValueState<Long> wakeAtState,
        @TimerId("loop") Timer loop) {
      wakeAtState.clear();
      long known = learn(knownState, c.fireTimestamp().getMillis());
      stepState.write(tickMillis);
      heartbeat(c, known);
      holdAndLoop(loop, known, tickMillis);
    }

    private static long grow(long step, long factor) {
      return step > MAX_STEP / factor ? MAX_STEP : step * factor;
    }

    private void heartbeat(OnTimerContext c, long known) {
      c.outputWithTimestamp(HEARTBEAT, true, new Instant(known));
    }

    private static long learn(ValueState<Long> knownState, long firedAt) {
      Long before = knownState.read();
      long known = before == null ? firedAt : Math.max(before, firedAt);
      knownState.write(known);
      return known;
    }

    /** The loop fires next {@code step} after {@code known} and holds the watermark there. */
    private static void holdAndLoop(Timer loop, long known, long step) {
      if (known >= END) {
        return; // the end of time: nothing can be late any more, and nothing is left to hold
      }
      loop.withOutputTimestamp(new Instant(known)).set(new Instant(capped(known, step)));
    }

    private static long capped(long from, long step) {
      return from > END - step ? END : from + step;
    }


  }
}
