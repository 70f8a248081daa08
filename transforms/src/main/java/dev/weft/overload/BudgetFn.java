package dev.weft.overload;

import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Counts the events of each (emitter, budget window) of a stream and applies the policy's action
 * to those beyond the budget. Keyed by a shard of the emitter, holding one count per (emitter,
 * window) of the shard. A count is forgotten once the shard's event-time high-water mark is two
 * windows past its window, so the state is bounded by the emitters active in about three windows.
 * (Bounded input takes {@link BoundedBudget} instead.) No timers
 * (the same reasoning as {@code Deduplicate}: they run unchanged on every runner).
 *
 * <p>Which events of a window fall within the budget depends on the order they arrive in (the
 * first {@code budget} are admitted); how many are admitted, and how many get the action, does not.
 */
final class BudgetFn extends DoFn<KV<Integer, Event>, Event> {
  private final OverloadPolicy policy;
  private final long windowMillis;

  @StateId("counts")
  private final StateSpec<MapState<String, Long>> countsSpec =
      StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  @StateId("highWater")
  private final StateSpec<ValueState<Long>> highWaterSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("lastSweep")
  private final StateSpec<ValueState<Long>> lastSweepSpec = StateSpecs.value(VarLongCoder.of());

  /** How many (emitter, window) counts {@code counts} holds (map state has no size). */
  @StateId("size")
  private final StateSpec<ValueState<Integer>> sizeSpec =
      StateSpecs.value(org.apache.beam.sdk.coders.VarIntCoder.of());

  private final OverloadActions actions;
  private final int maxCounts;
  private final org.apache.beam.sdk.metrics.Counter overCap =
      org.apache.beam.sdk.metrics.Metrics.counter(KeyBudget.class, "emitterWindowsOverCap");

  /**
   * @param maxCounts (emitter, window) counts a shard holds at most: an event that would open one
   *     more is part of a storm of emitters, not of one, and gets the policy's action (counted
   *     {@code emitterWindowsOverCap}, besides the action's own counter)
   */
  BudgetFn(OverloadPolicy policy, int maxCounts) {
    this.policy = policy;
    this.windowMillis = policy.window().getMillis();
    this.actions = new OverloadActions(policy);
    this.maxCounts = maxCounts;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Event> element,
      @StateId("counts") MapState<String, Long> counts,
      @StateId("highWater") ValueState<Long> highWaterState,
      @StateId("lastSweep") ValueState<Long> lastSweepState,
      @StateId("size") ValueState<Integer> sizeState,
      MultiOutputReceiver out) {
    Event e = SampleWeight.unweighted(element.getValue());
    long t = e.eventTime().toEpochMilli();
    long windowStart = OverloadActions.windowStart(e, windowMillis);
    String emitter = Emitter.of(e);
    String key = emitter + "@" + windowStart;
    Long before = counts.get(key).read();
    Integer sizeRead = sizeState.read();
    int size = sizeRead == null ? 0 : sizeRead;
    if (before == null && size >= maxCounts) {
      overCap.inc();
      actions.overBudget(e, emitter, windowStart, out);
    } else {
      long n = (before == null ? 0 : before) + 1;
      counts.put(key, n);
      if (before == null) {
        size++;
      }
      if (n <= policy.budget()) {
        actions.admit(e, out);
      } else {
        actions.overBudget(e, emitter, windowStart, out);
      }
    }
    Long highWater = highWaterState.read();
    if (highWater == null || t > highWater) {
      highWater = t;
      highWaterState.write(t);
    }
    sizeState.write(size - sweep(counts, lastSweepState, highWater));
  }

  /** Forgets the counts two windows behind the high-water mark; returns how many. */
  private int sweep(MapState<String, Long> counts, ValueState<Long> lastSweepState,
      long highWater) {
    Long last = lastSweepState.read();
    if (last != null && highWater < last + windowMillis) {
      return 0;
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
    return old.size();
  }
}
