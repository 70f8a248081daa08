package dev.weft.time;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import dev.weft.progress.LiveCounts;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
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
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Drops repeated deliveries of the same event, keyed on {@link Event#eventId()} (the source's id
 * where the adapter states it is unique per record, otherwise a content hash over the fields that
 * define the event; the two halves of a Zipkin shared span have different ids and are not
 * duplicates).
 *
 * <p>In: events, in any windowing (they are re-windowed into the global window). Out ({@link
 * #UNIQUE}): the first delivery of every event id, at its own timestamp; ({@link #DUPLICATES}):
 * every later delivery, for counting. {@code unique + duplicates = input}, always.
 *
 * <p>Why 64 shards and not one key per id: a stateful DoFn with one key per id is superlinear on
 * the Direct runner (2,000 keys 8.7 s, 8,000 keys 149 s); a fixed number of shard keys, each holding
 * a map of ids, stays linear. Why no timers: expiry is driven by the shard's event-time high-water
 * mark (the largest event time the shard has seen). An id is remembered until the high-water mark
 * is more than {@code horizon} past the event's time, swept every half horizon, so the state is
 * bounded by the events of about 1.5 horizons. Needing no timers, the transform runs unchanged on
 * every runner (Spark's classic streaming runner included) and the runner never drops an element
 * for lateness here: an event that arrives more than the horizon behind its shard's high-water mark
 * may have outlived its record and passes as unique (counted as {@code beyondHorizon}); the
 * lateness gate downstream ({@link OrderWithinKey}, with a bound no larger than the horizon) routes
 * it to the late output. Choose {@code horizon >= allowed lateness}.
 */
public final class Deduplicate extends PTransform<PCollection<Event>, PCollectionTuple> {
  public static final TupleTag<Event> UNIQUE = new TupleTag<Event>("unique") {};
  public static final TupleTag<Event> DUPLICATES = new TupleTag<Event>("duplicates") {};

  /** Shard keys; see the class comment for why the number is fixed and small. */
  public static final int DEFAULT_SHARDS = 64;

  /**
   * Ids a shard remembers on a stream at most (64 shards: 12.8 million ids, a few hundred bytes
   * each): the horizon bounds the state in time, this bounds it when the rate is beyond what the
   * horizon was sized for.
   */
  public static final int DEFAULT_MAX_IDS_PER_SHARD = 200_000;

  private final Duration horizon;
  private final int shards;
  private int maxIdsPerShard = DEFAULT_MAX_IDS_PER_SHARD;
  /** Null: no live progress. */
  private String progressRunId;

  public Deduplicate(Duration horizon) {
    this(horizon, DEFAULT_SHARDS);
  }

  public Deduplicate(Duration horizon, int shards) {
    if (horizon == null || !horizon.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("dedup horizon must be positive, got " + horizon);
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    this.horizon = horizon;
    this.shards = shards;
  }

  /** The same transform, also counting duplicates into the run's {@link LiveCounts}. */
  public Deduplicate withProgress(String runId) {
    Deduplicate copy = new Deduplicate(horizon, shards);
    copy.progressRunId = runId;
    copy.maxIdsPerShard = maxIdsPerShard;
    return copy;
  }

  /**
   * The same transform, remembering at most {@code max} ids per shard on a stream: beyond it the
   * oldest tenth (by event time) is forgotten at once and counted {@code idsEvictedOverCap}; a
   * later redelivery of a forgotten id passes as unique, as one beyond the horizon does.
   */
  public Deduplicate withMaxIdsPerShard(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max ids per shard must be >= 1, got " + max);
    }
    Deduplicate copy = withProgress(progressRunId);
    copy.maxIdsPerShard = max;
    return copy;
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> events) {
    int n = shards;
    PCollectionTuple out = events
        .apply("GlobalWindow", Window.<Event>into(new GlobalWindows()))
        .apply("ShardById", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(), org.apache.beam.sdk.values.TypeDescriptor.of(Event.class)))
            .via((Event e) -> KV.of(Math.floorMod(e.eventId().hashCode(), n), e)))
        .setCoder(KvCoder.of(VarIntCoder.of(), EventCoder.of()))
        // A bounded input is finite: remembering every id costs no more than the input itself, and
        // expiring by a high-water mark would make the result depend on arrival order (which the
        // runners do not share), so nothing expires there.
        .apply("FirstDeliveryOnly", ParDo.of(new DedupFn(horizon.getMillis(),
            events.isBounded() == PCollection.IsBounded.UNBOUNDED, progressRunId, maxIdsPerShard))
            .withOutputTags(UNIQUE, TupleTagList.of(DUPLICATES)));
    out.get(UNIQUE).setCoder(EventCoder.of());
    out.get(DUPLICATES).setCoder(EventCoder.of());
    // Every output consumed: Beam's classic Spark runner (2.70) hands ALL outputs of a multi-output
    // step to the consumers of the main one when only that one is consumed (seen on the demo: the
    // repeated delivery reached identity resolution and was bound twice). Counting the repeated
    // deliveries here gives the second output its own consumer on every runner.
    out.get(DUPLICATES).apply("RepeatedDeliveriesEnd", ParDo.of(new EndOfRepeatedFn()));
    return out;
  }

  /** The consumer of the repeated deliveries (see expand): counts what it is given. */
  static final class EndOfRepeatedFn extends DoFn<Event, Void> {
    private final Counter ended = Metrics.counter(Deduplicate.class, "repeatedDeliveriesEnded");

    @ProcessElement
    public void process(@Element Event e) {
      ended.inc();
    }
  }

  static final class DedupFn extends DoFn<KV<Integer, Event>, Event> {
    private final Counter unique = Metrics.counter(Deduplicate.class, "unique");
    private final Counter duplicates = Metrics.counter(Deduplicate.class, "duplicates");
    private final Counter beyondHorizon = Metrics.counter(Deduplicate.class, "beyondHorizon");
    private final Counter expired = Metrics.counter(Deduplicate.class, "idsExpired");
    private final Counter evicted = Metrics.counter(Deduplicate.class, "idsEvictedOverCap");
    private final long horizonMillis;
    private final int maxIds;

    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    @StateId("highWater")
    private final StateSpec<ValueState<Long>> highWaterSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("lastSweep")
    private final StateSpec<ValueState<Long>> lastSweepSpec = StateSpecs.value(VarLongCoder.of());

    /** How many ids {@code seen} holds (map state has no size), kept on a stream only. */
    @StateId("size")
    private final StateSpec<ValueState<Integer>> sizeSpec =
        StateSpecs.value(org.apache.beam.sdk.coders.VarIntCoder.of());

    private final boolean expire;
    private final String progressRunId;
    private transient LiveCounts live;

    DedupFn(long horizonMillis, boolean expire) {
      this(horizonMillis, expire, null, DEFAULT_MAX_IDS_PER_SHARD);
    }

    DedupFn(long horizonMillis, boolean expire, String progressRunId, int maxIds) {
      this.horizonMillis = horizonMillis;
      this.maxIds = maxIds;
      this.expire = expire;
      this.progressRunId = progressRunId;
    }

    @Setup
    public void setup() {
      live = LiveCounts.orNull(progressRunId);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Event> element,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("highWater") ValueState<Long> highWaterState,
        @StateId("lastSweep") ValueState<Long> lastSweepState,
        @StateId("size") ValueState<Integer> sizeState,
        MultiOutputReceiver out) {
      Event e = element.getValue();
      long t = e.eventTime().toEpochMilli();
      Long hw = highWaterState.read();
      long highWater = hw == null ? t : Math.max(hw, t);
      if (hw == null || highWater != hw) {
        highWaterState.write(highWater);
      }

      Long previous = seen.putIfAbsent(e.eventId(), t).read();
      if (previous != null) {
        duplicates.inc();
        if (live != null) {
          live.countDuplicate();
        }
        out.get(DUPLICATES).output(e);
        return;
      }
      if (expire && t < highWater - horizonMillis) {
        beyondHorizon.inc();
      }
      unique.inc();
      out.get(UNIQUE).output(e);
      if (!expire) {
        return;
      }
      Integer size = sizeState.read();
      int held = (size == null ? 0 : size) + 1;
      if (held > maxIds) {
        held -= evictOldest(seen, held - (maxIds - maxIds / 10));
      }

      // Sweep every half horizon of event-time progress: amortised O(1) per element.
      Long last = lastSweepState.read();
      if (last == null) {
        lastSweepState.write(highWater);
      } else if (highWater - last >= horizonMillis / 2) {
        long cutoff = highWater - horizonMillis;
        java.util.List<String> stale = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Long> entry : seen.entries().read()) {
          if (entry.getValue() < cutoff) {
            stale.add(entry.getKey());
          }
        }
        // Removed after the scan: some runners' map state iterates a live view.
        stale.forEach(seen::remove);
        expired.inc(stale.size());
        held -= stale.size();
        lastSweepState.write(highWater);
      }
      sizeState.write(held);
    }

    /**
     * Forgets the {@code n} oldest ids (by event time) at once, so a shard over its cap scans its
     * map once per tenth of the cap, not once per event.
     */
    private int evictOldest(MapState<String, Long> seen, int n) {
      java.util.PriorityQueue<java.util.Map.Entry<String, Long>> newestOnTop =
          new java.util.PriorityQueue<>(
              java.util.Map.Entry.<String, Long>comparingByValue().reversed());
      for (java.util.Map.Entry<String, Long> entry : seen.entries().read()) {
        newestOnTop.add(java.util.Map.entry(entry.getKey(), entry.getValue()));
        if (newestOnTop.size() > n) {
          newestOnTop.poll();
        }
      }
      int removed = newestOnTop.size();
      newestOnTop.forEach(entry -> seen.remove(entry.getKey()));
      evicted.inc(removed);
      return removed;
    }
  }
}
