package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Pairs the client half of a remote call with its server half and turns each call into an edge
 * observation.
 *
 * <p>Pairing key: trace id plus the client's span id. OTLP and Jaeger: a SERVER (or CONSUMER) span's
 * {@code parentSpanId} is its client's span id. Zipkin: the server half shares the client's span id
 * ({@link SpanPart#shared()}). Client-like halves are CLIENT and PRODUCER spans and any non-server
 * span that names a peer ({@code peer.service}, {@code server.address}, {@code db.system}, ...).
 *
 * <p>In: resolved events in the global window at their event-time timestamps; only spans matter.
 * Out: {@link #CALLS} — one {@code calls} edge observation per paired call (client's service to
 * server's service; latency = client duration, else server duration; error if either half failed),
 * at the later of the two halves' times so that the window does not depend on which half came first;
 * an unpaired client half that names a peer gives an edge to the inferred peer node ({@link
 * EntityIds#inferredPeer}) at its own time, and the peer node in {@link #PEERS}; {@link #UNPAIRED}
 * — the event id of every half that found no partner within the bound (counted {@code
 * unpairedSpans}).
 *
 * <p>Waiting is in event time only: a half waits until the watermark has moved {@code pairingBound}
 * past the later of its own time and the watermark when it arrived (known to the shard from its
 * own timer firings; before a shard's first firing, its time plus the allowed lateness), so a
 * half that arrives late, within the allowed lateness, still waits the full bound for its partner. Under duplicates: a repeated half (same trace, span and side) replaces the waiting
 * one and yields nothing more; deduplicate upstream. Retractions of spans are counted and ignored.
 *
 * <p>State is sharded into 64 keys by trace id (one key per trace is superlinear on the Direct
 * runner). Runner note: the wait needs an event-time timer with an output-timestamp hold; Spark's
 * classic runner supports that in batch mode only.
 */
final class PairSpans extends PTransform<PCollection<ResolvedEvent>, PCollectionTuple> {
  public static final TupleTag<KV<String, EdgeState>> CALLS =
      new TupleTag<KV<String, EdgeState>>("calls") {};
  public static final TupleTag<KV<String, NodeState>> PEERS =
      new TupleTag<KV<String, NodeState>>("peers") {};
  public static final TupleTag<String> UNPAIRED = new TupleTag<String>("unpaired") {};
  static final int SHARDS = 64;

  private final Duration pairingBound;
  private final Duration allowedLateness;

  PairSpans(Duration pairingBound, Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
    if (pairingBound == null || pairingBound.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("pairing bound must be >= 0, got " + pairingBound);
    }
    this.pairingBound = pairingBound;
  }

  @Override
  public PCollectionTuple expand(PCollection<ResolvedEvent> events) {
    PCollectionTuple out = events
        .apply("HalvesOfCalls", FlatMapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                TypeDescriptor.of(ResolvedEvent.class)))
            .via((ResolvedEvent r) -> side(r.event()).isPresent()
                ? List.of(KV.of(Math.floorMod(r.event().span().get().traceId().hashCode(),
                    SHARDS), r))
                : List.<KV<Integer, ResolvedEvent>>of()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ResolvedEventCoder.of()))
        .apply("PairWithinBound", ParDo.of(new PairFn(pairingBound.getMillis(), allowedLateness.getMillis()))
            .withOutputTags(CALLS, TupleTagList.of(PEERS).and(UNPAIRED)));
    out.get(CALLS).setCoder(KvCoder.of(StringUtf8Coder.of(), EdgeState.Coder.INSTANCE));
    out.get(PEERS).setCoder(KvCoder.of(StringUtf8Coder.of(), NodeState.Coder.INSTANCE));
    out.get(UNPAIRED).setCoder(StringUtf8Coder.of());
    return out;
  }

  enum Side { CLIENT, SERVER }

  /** Which half of a call a span is, if any. */
  static Optional<Side> side(Event e) {
    if (e.span().isEmpty()) {
      return Optional.empty();
    }
    SpanPart s = e.span().get();
    if (s.kind() == SpanKind.SERVER || s.kind() == SpanKind.CONSUMER) {
      return s.shared() || s.parentSpanId().isPresent() ? Optional.of(Side.SERVER)
          : Optional.empty();
    }
    if (s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER
        || EntityIds.inferredPeer(e).isPresent()) {
      return Optional.of(Side.CLIENT);
    }
    return Optional.empty();
  }

  /** The call a half belongs to: trace id and the client's span id. */
  static String callKey(SpanPart s, Side side) {
    String clientSpan = side == Side.CLIENT || s.shared() ? s.spanId() : s.parentSpanId().get();
    return s.traceId() + "/" + clientSpan;
  }

  static String serviceOf(ResolvedEvent r) {
    String service = r.entities().get("service");
    return service != null ? service : r.subject();
  }

  static final class PairFn extends DoFn<KV<Integer, ResolvedEvent>, KV<String, EdgeState>> {
    private final Counter paired = Metrics.counter(PairSpans.class, "pairedCalls");
    private final Counter unpaired = Metrics.counter(PairSpans.class, "unpairedSpans");
    private final Counter inferred = Metrics.counter(PairSpans.class, "inferredPeerCalls");
    private final Counter retractions = Metrics.counter(PairSpans.class, "retractionsIgnored");
    private final long boundMillis;
    private final long latenessMillis;

    @StateId("waiting")
    private final StateSpec<MapState<String, ResolvedEvent>> waitingSpec =
        StateSpecs.map(StringUtf8Coder.of(), ResolvedEventCoder.of());

    @StateId("deadlines")
    private final StateSpec<MapState<String, Long>> deadlinesSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** The oldest waiting half's time: where the output watermark is held. */
    @StateId("hold")
    private final StateSpec<ValueState<Long>> holdSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("timerAt")
    private final StateSpec<ValueState<Long>> timerAtSpec = StateSpecs.value(VarLongCoder.of());

    /** The latest timer firing: the input watermark is known to have reached it. */
    @StateId("watermarkFloor")
    private final StateSpec<ValueState<Long>> floorSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("bound")
    private final TimerSpec boundSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    PairFn(long boundMillis, long latenessMillis) {
      this.boundMillis = boundMillis;
      this.latenessMillis = latenessMillis;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ResolvedEvent> element,
        @StateId("waiting") MapState<String, ResolvedEvent> waiting,
        @StateId("deadlines") MapState<String, Long> deadlines,
        @StateId("hold") ValueState<Long> hold,
        @StateId("timerAt") ValueState<Long> timerAt,
        @StateId("watermarkFloor") ValueState<Long> floor,
        @TimerId("bound") Timer bound,
        MultiOutputReceiver out) {
      ResolvedEvent r = element.getValue();
      if (r.retraction()) {
        retractions.inc();
        return;
      }
      SpanPart span = r.event().span().get();
      Side side = side(r.event()).get();
      String call = callKey(span, side);
      Side other = side == Side.CLIENT ? Side.SERVER : Side.CLIENT;
      long t = r.event().eventTime().toEpochMilli();
      ResolvedEvent partner = waiting.get(call + "|" + other).read();
      if (partner != null) {
        waiting.remove(call + "|" + other);
        deadlines.remove(call + "|" + other);
        if (waiting.isEmpty().read()) {
          // Nothing waits any more: keep the timer (it refreshes the watermark floor) but move its
          // hold off the partner's time, so the output watermark is not held for nothing.
          Long at = timerAt.read();
          if (at != null && at >= t) {
            bound.withOutputTimestamp(new Instant(at)).set(new Instant(at));
          }
          hold.clear();
        }
        ResolvedEvent client = side == Side.CLIENT ? r : partner;
        ResolvedEvent server = side == Side.CLIENT ? partner : r;
        emitCall(client, server, out);
        return;
      }
      String mine = call + "|" + side;
      ResolvedEvent already = waiting.get(mine).read();
      if (already != null && already.revision() >= r.revision()) {
        return;
      }
      // Wait `bound` of watermark progress from the later of the half's own time and the watermark
      // as far as this shard knows it: a half that arrives late still gets its full wait.
      // Before its first timer a shard knows nothing of the watermark: then the half may be late
      // by up to the allowed lateness, and waits that much longer.
      Long f = floor.read();
      long deadline = (f == null ? t + latenessMillis : Math.max(t, f)) + boundMillis;
      waiting.put(mine, r);
      deadlines.put(mine, deadline);
      Long h = hold.read();
      Long at = timerAt.read();
      if (h == null || t < h) {
        // The hold keeps downstream windows open for the unpaired result, emitted at the half's
        // own time; only the new oldest half may move it (a hold may not precede the input).
        long next = at == null ? deadline : Math.min(at, deadline);
        bound.withOutputTimestamp(new Instant(t)).set(new Instant(next));
        hold.write(t);
        timerAt.write(next);
      }
    }

    @OnTimer("bound")
    public void onBound(OnTimerContext c,
        @StateId("waiting") MapState<String, ResolvedEvent> waiting,
        @StateId("deadlines") MapState<String, Long> deadlines,
        @StateId("hold") ValueState<Long> hold,
        @StateId("timerAt") ValueState<Long> timerAt,
        @StateId("watermarkFloor") ValueState<Long> floor,
        @TimerId("bound") Timer bound) {
      long firedAt = c.fireTimestamp().getMillis();
      Long f = floor.read();
      floor.write(f == null ? firedAt : Math.max(f, firedAt));
      List<String> expired = new ArrayList<>();
      long nextHold = Long.MAX_VALUE;
      long nextDeadline = Long.MAX_VALUE;
      for (Map.Entry<String, Long> e : deadlines.entries().read()) {
        if (e.getValue() <= firedAt) {
          expired.add(e.getKey());
        } else {
          nextDeadline = Math.min(nextDeadline, e.getValue());
          ResolvedEvent w = waiting.get(e.getKey()).read();
          nextHold = Math.min(nextHold, w.event().eventTime().toEpochMilli());
        }
      }
      expired.sort(null);
      for (String key : expired) {
        ResolvedEvent half = waiting.get(key).read();
        waiting.remove(key);
        deadlines.remove(key);
        Instant at = new Instant(half.event().eventTime().toEpochMilli());
        unpaired.inc();
        c.output(UNPAIRED, half.event().eventId());
        if (key.endsWith("|" + Side.CLIENT)) {
          Optional<String> peer = EntityIds.inferredPeer(half.event());
          if (peer.isPresent()) {
            inferred.inc();
            SpanPart s = half.event().span().get();
            EdgeState call = EdgeState.call(serviceOf(half), peer.get(), s.isError(),
                s.durationMicros());
            c.outputWithTimestamp(CALLS, KV.of(call.key(), call), at);
            c.outputWithTimestamp(PEERS, KV.of(peer.get(), NodeState.mention(peer.get())), at);
          }
        }
      }
      if (nextDeadline == Long.MAX_VALUE) {
        hold.clear();
        timerAt.clear();
      } else {
        bound.withOutputTimestamp(new Instant(nextHold)).set(new Instant(nextDeadline));
        hold.write(nextHold);
        timerAt.write(nextDeadline);
      }
    }

    private void emitCall(ResolvedEvent client, ResolvedEvent server, MultiOutputReceiver out) {
      paired.inc();
      SpanPart c = client.event().span().get();
      SpanPart s = server.event().span().get();
      Optional<Long> latency = c.durationMicros().or(s::durationMicros);
      EdgeState call = EdgeState.call(serviceOf(client), serviceOf(server),
          c.isError() || s.isError(), latency);
      java.time.Instant later = client.event().eventTime().isAfter(server.event().eventTime())
          ? client.event().eventTime() : server.event().eventTime();
      out.get(CALLS).outputWithTimestamp(KV.of(call.key(), call),
          new Instant(later.toEpochMilli()));
    }
  }
}
