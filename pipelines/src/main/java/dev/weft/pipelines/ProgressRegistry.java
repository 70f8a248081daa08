package dev.weft.pipelines;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counts of a run, kept in this JVM for the progress line: the workers' DoFns add to them,
 * the command's progress thread reads them, whatever the runner does with its own metrics.
 *
 * <p>Why a static map: Beam serializes every DoFn and the runner deserializes its own copies, so
 * a DoFn cannot hold a reference to an object of the command; what survives serialization is a
 * plain value, the run id, and a static lookup by that id reaches the same counts from every
 * copy. That works exactly when the workers run in the command's JVM (Direct, embedded Flink,
 * Spark local) and loads the registry class from the same class loader; on a cluster the workers
 * fill their own, unseen registry, and the command says so instead of printing zeros
 * ({@link ProgressPlace}). The id keeps two runs in one JVM (tests) apart.
 */
final class ProgressRegistry {
  private static final Map<String, Counts> RUNS = new ConcurrentHashMap<>();

  private ProgressRegistry() {}

  /** The counts of a run, created on first use (by the command or by a worker). */
  static Counts counts(String runId) {
    return RUNS.computeIfAbsent(runId, id -> new Counts());
  }

  /** Forgets a finished run. */
  static void forget(String runId) {
    RUNS.remove(runId);
  }

  /** What the workers of one run have counted so far; safe from any number of threads. */
  static final class Counts {
    private final LongAdder events = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAccumulator newestEventMillis = new LongAccumulator(Math::max, Long.MIN_VALUE);

    void event(long eventTimeMillis) {
      events.increment();
      newestEventMillis.accumulate(eventTimeMillis);
    }

    void add(Measure m) {
      switch (m) {
        case DEAD_LETTERS -> deadLetters.increment();
        case DUPLICATES -> duplicates.increment();
        case LATE -> late.increment();
      }
    }

    /**
     * The figures of the progress line. Every record Normalize reads ends as exactly one event or
     * one dead letter (its conservation rule), so read is their sum.
     */
    RunProgress.Snapshot snapshot() {
      long e = events.sum();
      long d = deadLetters.sum();
      long newest = newestEventMillis.get();
      return new RunProgress.Snapshot(e + d, e, d, duplicates.sum(), late.sum(),
          newest == Long.MIN_VALUE ? Optional.empty()
              : Optional.of(Instant.ofEpochMilli(newest)));
    }
  }

  /** What a {@link ProgressTap} counts (events are counted with their time). */
  enum Measure { DEAD_LETTERS, DUPLICATES, LATE }
}
