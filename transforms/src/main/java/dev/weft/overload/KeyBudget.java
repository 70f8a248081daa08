package dev.weft.overload;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Applies an {@link OverloadPolicy} to unique events, before identity resolution and the graph.
 *
 * <p>In: events (after deduplication, so a redelivery never spends budget). Out: {@link #ADMITTED}
 * (within budget, or kept by sampling with a {@link SampleWeight}), {@link #SHED} (one JSON line
 * per shed event), {@link #SPILLED} (whole events, to be written where {@code --sources} can
 * replay them). Counters (namespace {@code dev.weft.overload.KeyBudget}): {@code admitted},
 * {@code shed}, {@code spilled}, {@code sampledIn}, {@code sampledOut}; always {@code in =
 * admitted + shed + spilled + sampledIn + sampledOut} when a budget is set.
 *
 * <p>On a bounded input, which events of a window over budget are admitted does not depend on
 * arrival order or runner ({@link BoundedBudget}: a combine, no per-key state); on a stream, the
 * first {@code budget} to arrive are ({@link BudgetFn}: a count per emitter and window, forgotten
 * two windows behind the shard's high-water mark).
 *
 * <p>Without a budget every event is admitted; a weight an event brought from its source is
 * removed either way (only this stage may weight an event).
 */
public final class KeyBudget extends PTransform<PCollection<Event>, PCollectionTuple> {
  public static final TupleTag<Event> ADMITTED = new TupleTag<Event>("admitted") {};
  public static final TupleTag<String> SHED = new TupleTag<String>("shed") {};
  public static final TupleTag<Event> SPILLED = new TupleTag<Event>("spilled") {};

  /** Emitter shards: a fixed, small number of keys (the Direct runner is superlinear in keys). */
  static final int SHARDS = 64;

  /**
   * (emitter, window) counts a shard holds at most on a stream: 64 shards, 640,000 counts, three
   * windows' worth of 200,000 emitters. Beyond it an event of a new emitter gets the action.
   */
  static final int MAX_COUNTS_PER_SHARD = 10_000;

  private final OverloadPolicy policy;

  public KeyBudget(OverloadPolicy policy) {
    this.policy = policy;
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> events) {
    if (!policy.limited()) {
      PCollection<Event> admitted = events
          .apply("DropSourceWeights", ParDo.of(new DoFn<Event, Event>() {
            @ProcessElement
            public void process(@Element Event e, OutputReceiver<Event> out) {
              out.output(SampleWeight.unweighted(e));
            }
          }))
          .setCoder(EventCoder.of());
      return PCollectionTuple.of(ADMITTED, admitted)
          .and(SHED, events.getPipeline().apply("NothingShed", Create.empty(StringUtf8Coder.of())))
          .and(SPILLED, events.getPipeline().apply("NothingSpilled", Create.empty(EventCoder.of())));
    }
    PCollectionTuple out = events.isBounded() == PCollection.IsBounded.BOUNDED
        ? events.apply("RankAgainstBudget", new BoundedBudget(policy))
        : events
        .apply("ShardByEmitter", ParDo.of(new DoFn<Event, KV<Integer, Event>>() {
          @ProcessElement
          public void process(@Element Event e, OutputReceiver<KV<Integer, Event>> o) {
            o.output(KV.of(Math.floorMod(Emitter.of(e).hashCode(), SHARDS), e));
          }
        }))
        .setCoder(KvCoder.of(VarIntCoder.of(), EventCoder.of()))
        .apply("CountAgainstBudget", ParDo.of(new BudgetFn(policy, MAX_COUNTS_PER_SHARD))
            .withOutputTags(ADMITTED, TupleTagList.of(SHED).and(SPILLED)));
    out.get(ADMITTED).setCoder(EventCoder.of());
    out.get(SHED).setCoder(StringUtf8Coder.of());
    out.get(SPILLED).setCoder(EventCoder.of());
    return out;
  }
}
