package dev.weft.graph;

import dev.weft.model.LateEvent;
import dev.weft.model.LateEventCoder;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import dev.weft.time.GraphWindowing;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Turns whole traces into call edge observations with the reference semantics of each span model
 * ({@link TraceCalls}): Zipkin's dependency linker for Zipkin spans, the OpenTelemetry collector's
 * servicegraph connector for OpenTelemetry spans.
 *
 * <p>In: resolved events in the global window at their event-time timestamps; only spans matter,
 * deduplicated upstream (a repeated record would be merged as a fragment, but counted twice in
 * node counts). Out: {@link #CALLS} — one {@code calls} edge observation per call, at its time;
 * {@link #PEERS} — the nodes named only as a call's peer; {@link #UNPAIRED} — event ids of remote
 * spans that stand for no call.
 *
 * <p>A trace is linked whole, once. On bounded input every span of a trace is known before it is
 * linked (one group per trace id), so the result never depends on the order a runner delivers the
 * spans in. On unbounded input a trace is linked when the watermark has passed its latest span by
 * {@code traceBound} (holding the output watermark at its earliest span until then, so on-time
 * panes include it); its state is kept for the allowed lateness beyond that, so a span that is
 * late but not too late still joins its trace (a key cannot know the watermark when its first span
 * arrives), and is then dropped with the trace's unlinked halves reported. Until it settles, a trace of
 * up to {@link #RELINK_EACH_SPAN_UP_TO} spans is linked again on each span and only the difference
 * is emitted — new calls, and negated observations for calls the fuller trace no longer makes — so
 * early panes show calls at once and the final counts equal linking the whole trace (latency
 * samples of a withdrawn call stay in the digest). Spans of a trace that arrive after it was
 * completed form a new group that is linked on its own. Per trace at most {@code
 * maxSpansPerTrace} spans are buffered in streaming; more are counted {@code traceSpansOverCap} and
 * reported unpaired.
 */
final class LinkTraces extends PTransform<PCollection<ResolvedEvent>, PCollectionTuple> {
  public static final TupleTag<KV<String, EdgeState>> CALLS =
      new TupleTag<KV<String, EdgeState>>("calls") {};
  public static final TupleTag<KV<String, NodeState>> PEERS =
      new TupleTag<KV<String, NodeState>>("peers") {};
  public static final TupleTag<String> UNPAIRED = new TupleTag<String>("unpaired") {};
  /** Call observations whose graph window was already closed when they were made, with a reason. */
  public static final TupleTag<LateEvent> LATE_CALLS = new TupleTag<LateEvent>("lateCalls") {};

  private final Duration traceBound;
  private final GraphWindowing windows;
  private final ServiceGraphLinker.Config config;
  private final int maxSpansPerTrace;

  LinkTraces(Duration traceBound, GraphWindowing windows, ServiceGraphLinker.Config config,
      int maxSpansPerTrace) {
    this.windows = windows;
    if (traceBound == null || traceBound.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("trace bound must be >= 0, got " + traceBound);
    }
    this.traceBound = traceBound;
    this.config = config;
    this.maxSpansPerTrace = maxSpansPerTrace;
  }

  @Override
  public PCollectionTuple expand(PCollection<ResolvedEvent> events) {
    PCollection<KV<String, ResolvedEvent>> byTrace = events
        .apply("Spans", Filter.by((ResolvedEvent r) -> !r.retraction()
            && r.event().span().isPresent()))
        .apply("ByTraceId", WithKeys.of((ResolvedEvent r) -> r.event().span().get().traceId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResolvedEventCoder.of()));
    PCollectionTuple out;
    TupleTagList others = TupleTagList.of(PEERS).and(UNPAIRED).and(LATE_CALLS);
    if (events.isBounded() == PCollection.IsBounded.BOUNDED) {
      out = byTrace
          .apply("EarliestSpanTime", Window.<KV<String, ResolvedEvent>>configure()
              .withTimestampCombiner(TimestampCombiner.EARLIEST))
          .apply("WholeTraces", GroupByKey.create())
          .apply("LinkWholeTraces", ParDo.of(new LinkGroupFn(config)).withOutputTags(CALLS,
              others));
    } else {
      out = byTrace.apply("LinkTracesWithinBound", ParDo.of(
          new BufferTraceFn(traceBound.getMillis(), windows, config, maxSpansPerTrace))
          .withOutputTags(CALLS, others));
    }
    out.get(CALLS).setCoder(KvCoder.of(StringUtf8Coder.of(), EdgeState.Coder.INSTANCE));
    out.get(PEERS).setCoder(KvCoder.of(StringUtf8Coder.of(), NodeState.Coder.INSTANCE));
    out.get(UNPAIRED).setCoder(StringUtf8Coder.of());
    out.get(LATE_CALLS).setCoder(LateEventCoder.of());
    return out;
  }

  static final String STAGE = "LinkTraces";
  private static final Counter CALLS_LINKED = Metrics.counter(LinkTraces.class, "callsLinked");
  private static final Counter UNLINKED = Metrics.counter(LinkTraces.class, "unpairedSpans");
  private static final Counter CALLS_RETRACTED = Metrics.counter(LinkTraces.class,
      "callsRetracted");
  private static final Counter CALLS_BEHIND = Metrics.counter(LinkTraces.class,
      "callsBehindWatermark");
  private static final Counter PEERS_BEHIND = Metrics.counter(LinkTraces.class,
      "peersBehindWatermark");
  /** Up to this many spans a streaming trace is linked again on every span (early results). */
  static final int RELINK_EACH_SPAN_UP_TO = 200;

  static void emit(List<ResolvedEvent> trace, ServiceGraphLinker.Config config,
      Emitter emitter) {
    TraceCalls.Result result = TraceCalls.of(trace, config);
    for (TraceCalls.Observation o : result.calls()) {
      CALLS_LINKED.inc();
      emitter.call(KV.of(o.edge().key(), o.edge()), new Instant(o.timeMillis()), o.datedBy());
    }
    emitPeersAndUnlinked(trace, result, emitter, true);
  }

  /**
   * Links the trace as far as it has arrived and emits only the difference to what was emitted
   * before: new calls, and a negated observation for each call the fuller trace no longer makes
   * (a client that had no server yet linked to its remote peer; now its server names the call).
   * Returns the signatures emitted so far.
   */
  static List<String> emitDelta(List<ResolvedEvent> trace, List<String> before,
      ServiceGraphLinker.Config config, boolean complete, Emitter emitter) {
    TraceCalls.Result result = TraceCalls.of(trace, config);
    java.util.Map<String, Integer> previous = new java.util.HashMap<>();
    for (String sig : before) {
      previous.merge(sig, 1, Integer::sum);
    }
    List<String> now = new ArrayList<>();
    for (TraceCalls.Observation o : result.calls()) {
      now.add(o.signature());
      Integer left = previous.get(o.signature());
      if (left != null && left > 0) {
        previous.put(o.signature(), left - 1);
        continue;
      }
      CALLS_LINKED.inc();
      emitter.call(KV.of(o.edge().key(), o.edge()), new Instant(o.timeMillis()), o.datedBy());
    }
    previous.forEach((sig, left) -> {
      for (int i = 0; i < left; i++) {
        TraceCalls.Observation gone = TraceCalls.Observation.retraction(sig);
        CALLS_RETRACTED.inc();
        emitter.call(KV.of(gone.edge().key(), gone.edge()), new Instant(gone.timeMillis()),
            gone.datedBy());
      }
    });
    emitPeersAndUnlinked(trace, result, emitter, complete);
    return now;
  }

  private static void emitPeersAndUnlinked(List<ResolvedEvent> trace, TraceCalls.Result result,
      Emitter emitter, boolean complete) {
    long at = trace.stream().mapToLong(r -> r.event().eventTime().toEpochMilli()).min()
        .orElse(0);
    for (String peer : new java.util.TreeSet<>(result.peers())) {
      // A peer node is only mentioned: seen at no particular time, present in the trace's window.
      emitter.peer(KV.of(peer, NodeState.mention(peer)), new Instant(at));
    }
    if (!complete) {
      return;
    }
    for (String id : result.unlinked()) {
      UNLINKED.inc();
      emitter.unlinked(id, new Instant(at));
    }
  }

  /** Emits to a DoFn's tagged outputs at the given timestamps. */
  static Emitter receiverEmitter(DoFn.MultiOutputReceiver out) {
    return new Emitter() {
      @Override
      public void call(KV<String, EdgeState> call, Instant at, String datedBy) {
        out.get(CALLS).outputWithTimestamp(call, at);
      }

      @Override
      public void late(LateEvent call) {
        out.get(LATE_CALLS).output(call);
      }

      @Override
      public void peer(KV<String, NodeState> peer, Instant at) {
        out.get(PEERS).outputWithTimestamp(peer, at);
      }

      @Override
      public void unlinked(String eventId, Instant at) {
        out.get(UNPAIRED).outputWithTimestamp(eventId, at);
      }
    };
  }

  interface Emitter {
    /** A call observation at its time; {@code datedBy}: the event id of the span dating it. */
    void call(KV<String, EdgeState> call, Instant at, String datedBy);

    /** A call observation whose window is closed, with the reason. */
    void late(LateEvent call);

    void peer(KV<String, NodeState> peer, Instant at);

    void unlinked(String eventId, Instant at);
  }

  /** Bounded input: the whole trace at once. */
  static final class LinkGroupFn extends DoFn<KV<String, Iterable<ResolvedEvent>>,
      KV<String, EdgeState>> {
    private final ServiceGraphLinker.Config config;

    LinkGroupFn(ServiceGraphLinker.Config config) {
      this.config = config;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ResolvedEvent>> trace,
        MultiOutputReceiver out) {
      List<ResolvedEvent> spans = new ArrayList<>();
      trace.getValue().forEach(spans::add);
      emit(spans, config, receiverEmitter(out));
    }
  }

  /** Unbounded input: a trace waits in state until the watermark passes its last span + bound. */
  static final class BufferTraceFn extends DoFn<KV<String, ResolvedEvent>, KV<String, EdgeState>> {
    private final Counter overCap = Metrics.counter(LinkTraces.class, "traceSpansOverCap");
    private final long boundMillis;
    private final long latenessMillis;
    private final GraphWindowing windows;
    private final ServiceGraphLinker.Config config;
    private final int cap;

    @StateId("spans")
    private final StateSpec<BagState<ResolvedEvent>> spansSpec =
        StateSpecs.bag(ResolvedEventCoder.of());

    @StateId("count")
    private final StateSpec<ValueState<Integer>> countSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("minTime")
    private final StateSpec<ValueState<Long>> minSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("maxTime")
    private final StateSpec<ValueState<Long>> maxSpec = StateSpecs.value(VarLongCoder.of());

    /** Signatures of the calls emitted so far for the open trace. */
    @StateId("emitted")
    private final StateSpec<ValueState<List<String>>> emittedSpec =
        StateSpecs.value(org.apache.beam.sdk.coders.ListCoder.of(StringUtf8Coder.of()));

    /**
     * While the settle timer is set: the latest the watermark downstream can be. The timer's hold
     * sits at the trace's earliest span, but a hold set behind the output watermark only stops it
     * where it was, so the bound is the later of the two when the hold was first set (a later reset
     * only lowers the hold).
     */
    @StateId("downstreamAtMost")
    private final StateSpec<ValueState<Long>> downstreamSpec = StateSpecs.value(VarLongCoder.of());

    /** The trace is linked whole when the watermark passes its last span plus the bound. */
    @TimerId("settle")
    private final TimerSpec settleSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /** ... and forgotten the allowed lateness later. */
    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /**
     * The hold sits at the trace's earliest span, which may precede the span being processed; the
     * calls are emitted at their own times, which may precede the timer's. Both stay within one
     * trace's spread, which the watermark has not passed while the trace is open.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }

    BufferTraceFn(long boundMillis, GraphWindowing windows, ServiceGraphLinker.Config config,
        int cap) {
      this.boundMillis = boundMillis;
      this.windows = windows;
      this.latenessMillis = windows.allowedLateness().getMillis();
      this.config = config;
      this.cap = cap;
    }

    @ProcessElement
    public void process(@Element KV<String, ResolvedEvent> element,
        @StateId("spans") BagState<ResolvedEvent> spans,
        @StateId("count") ValueState<Integer> count,
        @StateId("minTime") ValueState<Long> minTime,
        @StateId("maxTime") ValueState<Long> maxTime,
        @StateId("emitted") ValueState<List<String>> emitted,
        @StateId("downstreamAtMost") ValueState<Long> downstreamAtMost,
        @TimerId("settle") Timer settle,
        @TimerId("expire") Timer expire,
        MultiOutputReceiver out) {
      ResolvedEvent r = element.getValue();
      long t = r.event().eventTime().toEpochMilli();
      int n = count.read() == null ? 0 : count.read();
      if (n >= cap) {
        overCap.inc();
        UNLINKED.inc();
        out.get(UNPAIRED).output(r.event().eventId());
        return;
      }
      spans.add(r);
      count.write(n + 1);
      Instant watermark = settle.getCurrentRelativeTime();
      Long min = minTime.read();
      Long max = maxTime.read();
      long newMin = min == null ? t : Math.min(min, t);
      long newMax = max == null ? t : Math.max(max, t);
      minTime.write(newMin);
      maxTime.write(newMax);
      Long atMost = downstreamAtMost.read();
      if (min == null || max == null || newMin != min || newMax != max) {
        settle.withOutputTimestamp(new Instant(newMin)).set(new Instant(newMax + boundMillis));
        expire.set(new Instant(newMax + boundMillis + latenessMillis));
        if (atMost == null) {
          atMost = Math.max(newMin, watermark.getMillis());
          downstreamAtMost.write(atMost);
        }
      }
      if (n + 1 <= RELINK_EACH_SPAN_UP_TO) {
        // Early results: the calls the trace makes so far, corrected as the rest of it arrives.
        List<ResolvedEvent> trace = new ArrayList<>();
        spans.read().forEach(trace::add);
        List<String> before = emitted.read();
        Instant downstream = atMost == null ? watermark
            : new Instant(Math.min(atMost, watermark.getMillis()));
        emitted.write(emitDelta(trace, before == null ? List.of() : before, config, false,
            closedWindowGate(receiverEmitter(out), downstream)));
      }
    }

    /**
     * Withholds what the graph's windows would drop: with the watermark downstream at most at
     * {@code downstream}, a call whose window is closed goes to {@link #LATE_CALLS} with the reason
     * (counted {@code callsBehindWatermark}); a peer mention (the node named by a call, which
     * carries no count) is counted {@code peersBehindWatermark} and not sent.
     */
    private Emitter closedWindowGate(Emitter inner, Instant downstream) {
      return new Emitter() {
        @Override
        public void call(KV<String, EdgeState> call, Instant at, String datedBy) {
          if (windows.closedTo(at, downstream)) {
            CALLS_BEHIND.inc();
            // A call is no event of a format: its record names the span that dates it.
            inner.late(windows.closedWindowRecord(STAGE, call.getKey(), datedBy, "call",
                java.time.Instant.ofEpochMilli(at.getMillis()), downstream));
          } else {
            inner.call(call, at, datedBy);
          }
        }

        @Override
        public void late(LateEvent call) {
          inner.late(call);
        }

        @Override
        public void peer(KV<String, NodeState> peer, Instant at) {
          if (windows.closedTo(at, downstream)) {
            PEERS_BEHIND.inc();
          } else {
            inner.peer(peer, at);
          }
        }

        @Override
        public void unlinked(String eventId, Instant at) {
          inner.unlinked(eventId, at);
        }
      };
    }

    @OnTimer("settle")
    public void onSettle(OnTimerContext c,
        @StateId("spans") BagState<ResolvedEvent> spans,
        @StateId("emitted") ValueState<List<String>> emitted,
        @StateId("downstreamAtMost") ValueState<Long> downstreamAtMost,
        @TimerId("settle") Timer settle) {
      List<ResolvedEvent> trace = new ArrayList<>();
      spans.read().forEach(trace::add);
      List<String> before = emitted.read();
      // Until this callback returns the hold still stands: downstream is at most where it held.
      Long atMost = downstreamAtMost.read();
      Instant downstream = atMost != null ? new Instant(atMost) : settle.getCurrentRelativeTime();
      downstreamAtMost.clear();
      emitted.write(emitDelta(trace, before == null ? List.of() : before, config, false,
          closedWindowGate(timerEmitter(c), downstream)));
    }

    private static Emitter timerEmitter(OnTimerContext c) {
      return new Emitter() {
        @Override
        public void call(KV<String, EdgeState> call, Instant at, String datedBy) {
          c.outputWithTimestamp(CALLS, call, at);
        }

        @Override
        public void late(LateEvent call) {
          c.output(LATE_CALLS, call);
        }

        @Override
        public void peer(KV<String, NodeState> peer, Instant at) {
          c.outputWithTimestamp(PEERS, peer, at);
        }

        @Override
        public void unlinked(String eventId, Instant at) {
          c.outputWithTimestamp(UNPAIRED, eventId, at);
        }
      };
    }

    @OnTimer("expire")
    public void onExpire(OnTimerContext c,
        @StateId("spans") BagState<ResolvedEvent> spans,
        @StateId("count") ValueState<Integer> count,
        @StateId("minTime") ValueState<Long> minTime,
        @StateId("maxTime") ValueState<Long> maxTime,
        @StateId("emitted") ValueState<List<String>> emitted,
        @StateId("downstreamAtMost") ValueState<Long> downstreamAtMost,
        @TimerId("expire") Timer expire) {
      List<ResolvedEvent> trace = new ArrayList<>();
      spans.read().forEach(trace::add);
      List<String> before = emitted.read();
      spans.clear();
      count.clear();
      minTime.clear();
      maxTime.clear();
      emitted.clear();
      downstreamAtMost.clear();
      // No hold protects the trace any more: the input watermark is the bound.
      emitDelta(trace, before == null ? List.of() : before, config, true,
          closedWindowGate(timerEmitter(c), expire.getCurrentRelativeTime()));
    }
  }
}
