package dev.weft.overload;

import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Counts the events of each (emitter, budget window) and applies the policy's action to those
 * beyond the budget. Keyed by a shard of the emitter, holding one count per (emitter, window) of
 * the shard. On unbounded input a count is forgotten once the shard's event-time high-water mark
 * is two windows past its window, so the state is bounded by the emitters active in about three
 * windows; on bounded input every count is kept to the end (one number per emitter and window, and
 * a bounded input may arrive in any order). No timers
 * (the same reasoning as {@code Deduplicate}: they run unchanged on every runner).
 *
 * <p>Which events of a window fall within the budget depends on the order they arrive in (the
 * first {@code budget} are admitted); how many are admitted, and how many get the action, does not.
 */
final class BudgetFn extends DoFn<KV<Integer, Event>, Event> {
  private final OverloadPolicy policy;
  private final long windowMillis;
  private final boolean expire;

  @StateId("counts")
  private final StateSpec<MapState<String, Long>> countsSpec =
      StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  @StateId("highWater")
  private final StateSpec<ValueState<Long>> highWaterSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("lastSweep")
  private final StateSpec<ValueState<Long>> lastSweepSpec = StateSpecs.value(VarLongCoder.of());

  private final Counter admitted = Metrics.counter(KeyBudget.class, "admitted");
  private final Counter shed = Metrics.counter(KeyBudget.class, "shed");
  private final Counter spilled = Metrics.counter(KeyBudget.class, "spilled");
  private final Counter sampledIn = Metrics.counter(KeyBudget.class, "sampledIn");
  private final Counter sampledOut = Metrics.counter(KeyBudget.class, "sampledOut");

  /** @param expire false for bounded input: any disorder is allowed, so no count is forgotten */
  BudgetFn(OverloadPolicy policy, boolean expire) {
    this.policy = policy;
    this.windowMillis = policy.window().getMillis();
    this.expire = expire;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Event> element,
      @StateId("counts") MapState<String, Long> counts,
      @StateId("highWater") ValueState<Long> highWaterState,
      @StateId("lastSweep") ValueState<Long> lastSweepState,
      MultiOutputReceiver out) {
    Event e = SampleWeight.unweighted(element.getValue());
    long t = e.eventTime().toEpochMilli();
    long windowStart = Math.floorDiv(t, windowMillis) * windowMillis;
    String emitter = Emitter.of(e);
    String key = emitter + "@" + windowStart;
    Long before = counts.get(key).read();
    long n = (before == null ? 0 : before) + 1;
    counts.put(key, n);
    if (n <= policy.budget()) {
      admitted.inc();
      out.get(KeyBudget.ADMITTED).output(e);
    } else {
      act(e, emitter, windowStart, out);
    }
    if (!expire) {
      return;
    }
    Long highWater = highWaterState.read();
    if (highWater == null || t > highWater) {
      highWater = t;
      highWaterState.write(t);
    }
    sweep(counts, lastSweepState, highWater);
  }

  private void act(Event e, String emitter, long windowStart, MultiOutputReceiver out) {
    switch (policy.action()) {
      case SHED -> {
        shed.inc();
        out.get(KeyBudget.SHED).output(ShedRecord.of(e, emitter, windowStart, policy.budget()));
      }
      case SPILL -> {
        spilled.inc();
        out.get(KeyBudget.SPILLED).output(e);
      }
      case SAMPLE -> {
        if (keeps(e)) {
          sampledIn.inc();
          out.get(KeyBudget.ADMITTED).output(SampleWeight.weighted(e, policy.sampleEvery()));
        } else {
          sampledOut.inc();
        }
      }
    }
  }

  /**
   * One in N, by a hash of the trace id for spans (a kept trace keeps every half and fragment, so
   * its calls still pair) and of the event id otherwise: the choice does not depend on order.
   */
  private boolean keeps(Event e) {
    String unit = e.span().map(s -> "trace:" + s.traceId()).orElse(e.eventId());
    return Math.floorMod(mix(unit.hashCode()), policy.sampleEvery()) == 0;
  }

  /**
   * SplitMix64's finalizer: String.hashCode's low bits follow the last characters, so ids that
   * differ only there (the two halves of a span) would otherwise fall into the same residues.
   */
  static long mix(long h) {
    long z = h * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private void sweep(MapState<String, Long> counts, ValueState<Long> lastSweepState,
      long highWater) {
    Long last = lastSweepState.read();
    if (last != null && highWater < last + windowMillis) {
      return;
    }
    lastSweepState.write(highWater);
    long horizon = highWater - 2 * windowMillis;
    List<String> old = new ArrayList<>();
    for (Map.Entry<String, Long> c : counts.entries().read()) {
      String k = c.getKey();
      long start = Long.parseLong(k.substring(k.lastIndexOf('@') + 1));
      if (start + windowMillis <= horizon) {
        old.add(k);
      }
    }
    old.forEach(counts::remove);
  }
}
