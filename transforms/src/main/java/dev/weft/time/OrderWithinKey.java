package dev.weft.time;

import dev.weft.model.LateEvent;
import dev.weft.model.LateEventCoder;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import dev.weft.progress.LiveCounts;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;

/**
 * Per entity ({@link ResolvedEvent#subject()}), releases events in event-time order once the
 * watermark passes them, and is the lateness gate of the graph.
 *
 * <p>In: resolved events whose element timestamps are their event times (as {@code Normalize}
 * stamps them), any windowing (re-windowed into the global window). Out:
 *
 * <ul>
 *   <li>{@link #ORDERED}: every event that is not too late, at its own timestamp. Per key, events
 *       are released in (event time, event id) order when the watermark passes them; an event that
 *       arrives behind the already released frontier but within {@code allowedLateness} of it is
 *       released at once (counted {@code releasedBehindFrontier}) — downstream windows turn it into
 *       a late pane that corrects the graph.
 *   <li>{@link #LATE}: events more than {@code allowedLateness} behind the released frontier of their
 *       key, and events whose graph window is already closed to them (the window's end plus the
 *       allowed lateness lies before this stage's input watermark: the windows would drop them),
 *       each with a reason; counted {@code late} (the second kind also {@code
 *       lateBehindWatermark}). Never a silent drop.
 * </ul>
 *
 * <p>Why both: a key's frontier only moves with its own events, so an event of a key that was
 * quiet while the stream moved on is within its key's lateness but behind the global watermark,
 * and a window downstream would drop it, visible only as Beam's {@code droppedDueToLateness}. The
 * windows' test is applied here, with their own {@link GraphWindowing}, against the input
 * watermark read from an event-time timer ({@code Timer#getCurrentRelativeTime}). It is never
 * behind what the windows see when the event reaches them: an event released at once goes out
 * before the watermark this stage forwards next (Flink emits a watermark only after the bundle is
 * flushed; the Direct runner holds a consumer at its pending elements), and a buffered one is
 * released under its timer's hold.
 *
 * <p>Memory is bounded: a key buffers at most {@code bufferCap} events; on overflow the arriving
 * event is released at once instead of buffered (counted {@code bufferOverflow}), so ordering
 * degrades but nothing is held without bound. (Releasing the oldest buffered event early instead is
 * not possible in Beam: an element may not be output with a timestamp earlier than the input's.)
 *
 * <p>Under duplicates: a duplicate is released like any event; deduplicate first ({@link
 * Deduplicate}).
 *
 * <p>Runner note: waiting for the watermark needs an event-time timer (with an output-timestamp
 * hold, so downstream windows do not pass the buffered events). Direct, Flink and Dataflow support
 * it; Spark's classic runner supports it in batch mode only.
 */
public final class OrderWithinKey extends PTransform<PCollection<ResolvedEvent>, PCollectionTuple> {
  public static final TupleTag<ResolvedEvent> ORDERED = new TupleTag<ResolvedEvent>("ordered") {};
  public static final TupleTag<LateEvent> LATE = new TupleTag<LateEvent>("late") {};

  private final GraphWindowing windows;
  private final int bufferCap;
  /** Null: no live progress. */
  private String progressRunId;

  /**
   * @param windows the windowing of the graph downstream: its allowed lateness is the per-key
   *     gate's, and an event its windows would drop is routed to {@link #LATE} here instead
   * @param bufferCap events buffered per key at most
   */
  public OrderWithinKey(GraphWindowing windows, int bufferCap) {
    if (windows == null) {
      throw new IllegalArgumentException("the graph's windowing is required");
    }
    if (bufferCap < 1) {
      throw new IllegalArgumentException("per-key buffer cap must be >= 1, got " + bufferCap);
    }
    this.windows = windows;
    this.bufferCap = bufferCap;
  }

  /** The same transform, also counting late events into the run's {@link LiveCounts}. */
  public OrderWithinKey withProgress(String runId) {
    OrderWithinKey copy = new OrderWithinKey(windows, bufferCap);
    copy.progressRunId = runId;
    return copy;
  }

  @Override
  public PCollectionTuple expand(PCollection<ResolvedEvent> events) {
    PCollectionTuple out = events
        .apply("GlobalWindow", Window.<ResolvedEvent>into(new GlobalWindows()))
        .apply("KeyBySubject", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(ResolvedEvent.class)))
            .via((ResolvedEvent r) -> KV.of(r.subject(), r)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResolvedEventCoder.of()))
        .apply("ReleaseInEventTimeOrder",
            ParDo.of(new OrderFn(windows, bufferCap, progressRunId))
                .withOutputTags(ORDERED, TupleTagList.of(LATE)));
    out.get(ORDERED).setCoder(ResolvedEventCoder.of());
    out.get(LATE).setCoder(LateEventCoder.of());
    return out;
  }

  static final Comparator<ResolvedEvent> EVENT_ORDER = Comparator
      .comparing((ResolvedEvent r) -> r.event().eventTime())
      .thenComparing(r -> r.event().eventId())
      .thenComparingInt(ResolvedEvent::revision);

  static final class OrderFn extends DoFn<KV<String, ResolvedEvent>, ResolvedEvent> {
    static final String STAGE = "OrderWithinKey";
    private final Counter released = Metrics.counter(OrderWithinKey.class, "released");
    private final Counter behind = Metrics.counter(OrderWithinKey.class, "releasedBehindFrontier");
    private final Counter overflow = Metrics.counter(OrderWithinKey.class, "bufferOverflow");
    private final Counter late = Metrics.counter(OrderWithinKey.class, "late");
    private final Counter behindWatermark =
        Metrics.counter(OrderWithinKey.class, "lateBehindWatermark");
    private final GraphWindowing windows;
    private final long latenessMillis;
    private final int cap;

    @StateId("buffer")
    private final StateSpec<BagState<ResolvedEvent>> bufferSpec =
        StateSpecs.bag(ResolvedEventCoder.of());

    @StateId("buffered")
    private final StateSpec<ValueState<Long>> bufferedSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("frontier")
    private final StateSpec<ValueState<Long>> frontierSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("timerAt")
    private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("release")
    private final TimerSpec releaseSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final String progressRunId;
    private transient LiveCounts live;

    OrderFn(GraphWindowing windows, int cap, String progressRunId) {
      this.windows = windows;
      this.latenessMillis = windows.allowedLateness().getMillis();
      this.cap = cap;
      this.progressRunId = progressRunId;
    }

    @Setup
    public void setup() {
      live = LiveCounts.orNull(progressRunId);
    }

    @ProcessElement
    public void process(@Element KV<String, ResolvedEvent> element,
        @StateId("buffer") BagState<ResolvedEvent> buffer,
        @StateId("buffered") ValueState<Long> bufferedState,
        @StateId("frontier") ValueState<Long> frontierState,
        @StateId("timerAt") ValueState<Long> timerAtState,
        @TimerId("release") Timer release,
        MultiOutputReceiver out) {
      ResolvedEvent r = element.getValue();
      long t = r.event().eventTime().toEpochMilli();
      Long frontier = frontierState.read();

      if (frontier != null && t < frontier - latenessMillis) {
        routeLate(lateEvent(element.getKey(), r, frontier), out);
        return;
      }
      // A key's own frontier says nothing of the stream's: a key quiet for an hour has an hour-old
      // frontier. An event its windows would drop goes to LATE by their own test, against this
      // stage's input watermark (an event-time timer's current time), which is never behind what
      // the windows downstream see when the event reaches them.
      Instant watermark = release.getCurrentRelativeTime();
      if (windows.closedTo(new Instant(t), watermark)) {
        behindWatermark.inc();
        routeLate(closedWindowEvent(element.getKey(), r, watermark), out);
        return;
      }
      if (frontier != null && t <= frontier) {
        behind.inc();
        released.inc();
        out.get(ORDERED).output(r);
        return;
      }
      long buffered = orZero(bufferedState.read());
      if (buffered >= cap) {
        overflow.inc();
        released.inc();
        out.get(ORDERED).output(r);
        frontierState.write(Math.max(t, frontier == null ? t : frontier));
        return;
      }
      buffer.add(r);
      bufferedState.write(buffered + 1);
      Long timerAt = timerAtState.read();
      if (timerAt == null || t < timerAt) {
        // The hold keeps the downstream watermark at the oldest buffered event. It is set only when
        // this element is the new oldest, because a hold may not precede the current element.
        Instant at = new Instant(t);
        release.withOutputTimestamp(at).set(at);
        timerAtState.write(t);
      }
    }

    @OnTimer("release")
    public void onRelease(OnTimerContext c,
        @StateId("buffer") BagState<ResolvedEvent> buffer,
        @StateId("buffered") ValueState<Long> bufferedState,
        @StateId("frontier") ValueState<Long> frontierState,
        @StateId("timerAt") ValueState<Long> timerAtState,
        @TimerId("release") Timer release) {
      long firedAt = c.fireTimestamp().getMillis();
      List<ResolvedEvent> all = new ArrayList<>();
      buffer.read().forEach(all::add);
      all.sort(EVENT_ORDER);
      List<ResolvedEvent> keep = new ArrayList<>();
      Long frontier = frontierState.read();
      long newFrontier = frontier == null ? Long.MIN_VALUE : frontier;
      for (ResolvedEvent r : all) {
        long t = r.event().eventTime().toEpochMilli();
        if (t <= firedAt) {
          released.inc();
          c.outputWithTimestamp(ORDERED, r, new Instant(t));
          newFrontier = Math.max(newFrontier, t);
        } else {
          keep.add(r);
        }
      }
      frontierState.write(newFrontier);
      buffer.clear();
      keep.forEach(buffer::add);
      bufferedState.write((long) keep.size());
      if (keep.isEmpty()) {
        timerAtState.clear();
      } else {
        Instant next = new Instant(keep.get(0).event().eventTime().toEpochMilli());
        release.withOutputTimestamp(next).set(next);
        timerAtState.write(next.getMillis());
      }
    }

    private void routeLate(LateEvent e, MultiOutputReceiver out) {
      late.inc();
      if (live != null) {
        live.countLate();
      }
      out.get(LATE).output(e);
    }

    LateEvent closedWindowEvent(String key, ResolvedEvent r, Instant watermark) {
      return windows.closedWindowRecord(STAGE, key, r.event().eventId(), r.event().format(),
          r.event().eventTime(), watermark);
    }

    LateEvent lateEvent(String key, ResolvedEvent r, Long frontier) {
      long t = r.event().eventTime().toEpochMilli();
      return lateEvent(STAGE, key, r, frontier, frontier - t, latenessMillis);
    }

    static LateEvent lateEvent(String stage, String key, ResolvedEvent r, long frontier,
        long lateBy, long allowed) {
      java.time.Instant f = java.time.Instant.ofEpochMilli(frontier);
      String reason = "event time " + r.event().eventTime() + " is " + java.time.Duration
          .ofMillis(lateBy) + " behind the released frontier " + f + " of key " + key
          + ", more than the allowed lateness of " + java.time.Duration.ofMillis(allowed);
      return new LateEvent(r.event().eventId(), r.event().format(), key, r.event().eventTime(), f,
          lateBy, allowed, stage, reason);
    }

    private static long orZero(Long v) {
      return v == null ? 0 : v;
    }
  }
}
