package dev.weft.overload;

import dev.weft.model.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigEndianLongCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The overload budget on a bounded input, where every event of a window is known before any is
 * admitted: of an (emitter, window) with more than {@code budget} events, the {@code budget} with
 * the smallest {@link Rank} are admitted and the rest get the action. The rank is a hash of the
 * sampling unit (a span's trace, else the event) and then of the event id, so which events are
 * admitted does not depend on arrival order or runner, and whole traces are admitted before split
 * ones.
 *
 * <p>No per-key state: a combine keeps, per (emitter, window), a count and the {@code budget}
 * smallest ranks (bounded by the budget), and only the windows over budget reach the side input
 * that the admitting step reads. The events themselves are never grouped.
 */
final class BoundedBudget extends PTransform<PCollection<Event>, PCollectionTuple> {
  private final OverloadPolicy policy;

  BoundedBudget(OverloadPolicy policy) {
    this.policy = policy;
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> events) {
    long windowMillis = policy.window().getMillis();
    PCollectionView<Map<String, Rank>> thresholds = events
        .apply("RankInEmitterWindow", ParDo.of(new DoFn<Event, KV<String, Rank>>() {
          @ProcessElement
          public void process(@Element Event e, OutputReceiver<KV<String, Rank>> out) {
            out.output(KV.of(budgetKey(e, windowMillis), Rank.of(e)));
          }
        }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RankCoder.INSTANCE))
        .apply("OneWindowForThresholds", Window.into(new GlobalWindows()))
        .apply("LastAdmittedRank", Combine.perKey(new LastAdmittedRankFn(policy.budget())))
        .apply("OnlyOverBudget", Filter.by(kv -> !kv.getValue().equals(Rank.NONE)))
        .apply("ThresholdsByKey", View.asMap());
    OverloadActions actions = new OverloadActions(policy);
    PCollectionTuple out = events.apply("AdmitWithinBudget",
        ParDo.of(new DoFn<Event, Event>() {
          @ProcessElement
          public void process(@Element Event element, ProcessContext c,
              MultiOutputReceiver receiver) {
            Event e = SampleWeight.unweighted(element);
            String key = budgetKey(e, windowMillis);
            Rank last = c.sideInput(thresholds).get(key);
            if (last == null || Rank.of(e).compareTo(last) <= 0) {
              actions.admit(e, receiver);
            } else {
              actions.overBudget(e, Emitter.of(e),
                  OverloadActions.windowStart(e, windowMillis), receiver);
            }
          }
        }).withSideInputs(thresholds)
            .withOutputTags(KeyBudget.ADMITTED,
                TupleTagList.of(KeyBudget.SHED).and(KeyBudget.SPILLED)));
    return out;
  }

  private static String budgetKey(Event e, long windowMillis) {
    return Emitter.of(e) + "@" + OverloadActions.windowStart(e, windowMillis);
  }

  /** The order in which a window's events are admitted: smallest first. */
  record Rank(long unit, long id) implements Comparable<Rank> {
    /** The threshold of a window within its budget: everything is admitted. */
    static final Rank NONE = new Rank(Long.MAX_VALUE, Long.MAX_VALUE);

    static Rank of(Event e) {
      return new Rank(OverloadActions.hash64(OverloadActions.samplingUnit(e)),
          OverloadActions.hash64(e.eventId()));
    }

    @Override
    public int compareTo(Rank o) {
      int c = Long.compare(unit, o.unit);
      return c != 0 ? c : Long.compare(id, o.id);
    }
  }

  static final class RankCoder extends AtomicCoder<Rank> {
    static final RankCoder INSTANCE = new RankCoder();
    private static final BigEndianLongCoder LONG = BigEndianLongCoder.of();

    @Override
    public void encode(Rank r, OutputStream out) throws IOException {
      LONG.encode(r.unit(), out);
      LONG.encode(r.id(), out);
    }

    @Override
    public Rank decode(InputStream in) throws IOException {
      return new Rank(LONG.decode(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** A window's count and its {@code budget} smallest ranks so far (largest on top). */
  static final class Smallest {
    long count;
    final PriorityQueue<Rank> ranks = new PriorityQueue<>(Collections.reverseOrder());
  }

  /**
   * Per (emitter, window): the largest admitted rank if the window is over budget, else {@link
   * Rank#NONE}. Holds at most {@code budget} ranks however many events the window has.
   */
  static final class LastAdmittedRankFn extends Combine.CombineFn<Rank, Smallest, Rank> {
    private final long budget;

    LastAdmittedRankFn(long budget) {
      this.budget = budget;
    }

    @Override
    public Smallest createAccumulator() {
      return new Smallest();
    }

    @Override
    public Smallest addInput(Smallest acc, Rank r) {
      acc.count++;
      keep(acc, r);
      return acc;
    }

    private void keep(Smallest acc, Rank r) {
      if (acc.ranks.size() < budget) {
        acc.ranks.add(r);
      } else if (r.compareTo(acc.ranks.peek()) < 0) {
        acc.ranks.poll();
        acc.ranks.add(r);
      }
    }

    @Override
    public Smallest mergeAccumulators(Iterable<Smallest> accs) {
      Smallest merged = new Smallest();
      for (Smallest a : accs) {
        merged.count += a.count;
        a.ranks.forEach(r -> keep(merged, r));
      }
      return merged;
    }

    @Override
    public Rank extractOutput(Smallest acc) {
      return acc.count > budget ? acc.ranks.peek() : Rank.NONE;
    }

    @Override
    public Coder<Smallest> getAccumulatorCoder(CoderRegistry registry, Coder<Rank> input) {
      return new SmallestCoder();
    }

    @Override
    public Coder<Rank> getDefaultOutputCoder(CoderRegistry registry, Coder<Rank> input) {
      return RankCoder.INSTANCE;
    }
  }

  static final class SmallestCoder extends CustomCoder<Smallest> {
    @Override
    public void encode(Smallest s, OutputStream out) throws IOException {
      VarLongCoder.of().encode(s.count, out);
      VarLongCoder.of().encode((long) s.ranks.size(), out);
      for (Rank r : s.ranks) {
        RankCoder.INSTANCE.encode(r, out);
      }
    }

    @Override
    public Smallest decode(InputStream in) throws IOException {
      Smallest s = new Smallest();
      s.count = VarLongCoder.of().decode(in);
      long n = VarLongCoder.of().decode(in);
      List<Rank> ranks = new ArrayList<>();
      for (long i = 0; i < n; i++) {
        ranks.add(RankCoder.INSTANCE.decode(in));
      }
      s.ranks.addAll(ranks);
      return s;
    }
  }
}
