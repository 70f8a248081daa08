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
 * <p>Waiting is in event time only: a half waits until the watermark passes its time plus {@code
 * pairingBound}. Under duplicates: a repeated half (same trace, span and side) replaces the waiting
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

  PairSpans(Duration pairingBound) {
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
        .apply("PairWithinBound", ParDo.of(new PairFn(pairingBound.getMillis()))
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

    @StateId("waiting")
    private final StateSpec<MapState<String, ResolvedEvent>> waitingSpec =
        StateSpecs.map(StringUtf8Coder.of(), ResolvedEventCoder.of());

    @StateId("oldestWaiting")
    private final StateSpec<ValueState<Long>> oldestSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("bound")
    private final TimerSpec boundSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    PairFn(long boundMillis) {
      this.boundMillis = boundMillis;
    }

    @ProcessElement
    public void process(@Element KV<Integer, ResolvedEvent> element,
        @StateId("waiting") MapState<String, ResolvedEvent> waiting,
        @StateId("oldestWaiting") ValueState<Long> oldest,
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
      ResolvedEvent partner = waiting.get(call + "|" + other).read();
      if (partner != null) {
        waiting.remove(call + "|" + other);
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
      waiting.put(mine, r);
      long t = r.event().eventTime().toEpochMilli();
      Long o = oldest.read();
      if (o == null || t < o) {
        // Hold the output watermark at the oldest waiting half: its unpaired result may still be
        // emitted at its own time. Only the new oldest may move the hold (never before the input).
        bound.withOutputTimestamp(new Instant(t)).set(new Instant(t + boundMillis));
        oldest.write(t);
      }
    }

    @OnTimer("bound")
    public void onBound(OnTimerContext c,
        @StateId("waiting") MapState<String, ResolvedEvent> waiting,
        @StateId("oldestWaiting") ValueState<Long> oldest,
        @TimerId("bound") Timer bound) {
      long firedAt = c.fireTimestamp().getMillis();
      List<Map.Entry<String, ResolvedEvent>> expired = new ArrayList<>();
      long nextOldest = Long.MAX_VALUE;
      for (Map.Entry<String, ResolvedEvent> e : waiting.entries().read()) {
        long t = e.getValue().event().eventTime().toEpochMilli();
        if (t + boundMillis <= firedAt) {
          expired.add(e);
        } else {
          nextOldest = Math.min(nextOldest, t);
        }
      }
      expired.sort(Map.Entry.comparingByKey());
      for (Map.Entry<String, ResolvedEvent> e : expired) {
        waiting.remove(e.getKey());
        ResolvedEvent half = e.getValue();
        Instant at = new Instant(half.event().eventTime().toEpochMilli());
        unpaired.inc();
        c.output(UNPAIRED, half.event().eventId());
        if (e.getKey().endsWith("|" + Side.CLIENT)) {
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
      if (nextOldest == Long.MAX_VALUE) {
        oldest.clear();
      } else {
        bound.withOutputTimestamp(new Instant(nextOldest))
            .set(new Instant(nextOldest + boundMillis));
        oldest.write(nextOldest);
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
