package dev.weft.overload;

import dev.weft.model.Event;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * What happens to an event against its emitter's budget, shared by the streaming counter
 * ({@link BudgetFn}) and the bounded ranking ({@link BoundedBudget}): admitted within the budget,
 * else the policy's action, each counted once under {@link KeyBudget}'s namespace.
 */
final class OverloadActions implements Serializable {
  private final OverloadPolicy policy;
  private final Counter admitted = Metrics.counter(KeyBudget.class, "admitted");
  private final Counter shed = Metrics.counter(KeyBudget.class, "shed");
  private final Counter spilled = Metrics.counter(KeyBudget.class, "spilled");
  private final Counter sampledIn = Metrics.counter(KeyBudget.class, "sampledIn");
  private final Counter sampledOut = Metrics.counter(KeyBudget.class, "sampledOut");

  OverloadActions(OverloadPolicy policy) {
    this.policy = policy;
  }

  void admit(Event e, DoFn.MultiOutputReceiver out) {
    admitted.inc();
    out.get(KeyBudget.ADMITTED).output(e);
  }

  void overBudget(Event e, String emitter, long windowStart, DoFn.MultiOutputReceiver out) {
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
        if (Math.floorMod(mix(samplingUnit(e).hashCode()), policy.sampleEvery()) == 0) {
          sampledIn.inc();
          out.get(KeyBudget.ADMITTED).output(SampleWeight.weighted(e, policy.sampleEvery()));
        } else {
          sampledOut.inc();
        }
      }
    }
  }

  /**
   * What sampling keeps or drops as one: a span's trace (a kept trace keeps every half and
   * fragment, so its calls still pair), otherwise the event itself. Hashed, so the choice does not
   * depend on order.
   */
  static String samplingUnit(Event e) {
    return e.span().map(s -> "trace:" + s.traceId()).orElse(e.eventId());
  }

  /** The start of the budget window an event counts in. */
  static long windowStart(Event e, long windowMillis) {
    return Math.floorDiv(e.eventTime().toEpochMilli(), windowMillis) * windowMillis;
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

  /** A 64-bit hash of a string (FNV-1a over its chars, then mixed): stable on every JVM. */
  static long hash64(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }
}
