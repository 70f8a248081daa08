package dev.weft.progress;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counts of one run, kept in this JVM for the command's progress line: the DoFns that count
 * read, normalized, dead-lettered, duplicate and late records for Beam's metrics add here too,
 * and the command's progress thread reads them while the runner is still busy (Beam's Flink
 * runner returns from a batch {@code run()} only when the job is over, and Spark's metrics are
 * not live either).
 *
 * <p>Why a static map keyed by a run id: Beam serializes every DoFn and the runner works on its
 * own deserialized copies, so a DoFn cannot hold a reference to an object of the command. What
 * survives serialization is a plain value, the run id given to the transform's constructor, and
 * a static lookup by that id reaches the same counts from every copy. That holds exactly when the
 * workers run in the command's JVM and load this class from the same class loader (Direct,
 * embedded Flink, Spark local); on a cluster each worker fills its own unseen map, and the command
 * says where to look instead of printing zeros. The id keeps two runs in one JVM (tests) apart.
 */
public final class LiveCounts {
  private static final Map<String, LiveCounts> RUNS = new ConcurrentHashMap<>();

  private final LongAdder normalized = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder filtered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAccumulator newestEventMillis =
      new LongAccumulator(Math::max, Long.MIN_VALUE);

  private LiveCounts() {}

  /** The counts of a run, created on first use (by the command or by a worker's DoFn). */
  public static LiveCounts of(String runId) {
    return RUNS.computeIfAbsent(runId, id -> new LiveCounts());
  }

  /** The counts of a run, or null for a transform built without a run id (no live progress). */
  public static LiveCounts orNull(String runId) {
    return runId == null ? null : of(runId);
  }

  /** Forgets a finished run. */
  public static void forget(String runId) {
    RUNS.remove(runId);
  }

  public void countNormalized(long eventTimeMillis) {
    normalized.increment();
    newestEventMillis.accumulate(eventTimeMillis);
  }

  public void countDeadLettered() {
    deadLettered.increment();
  }

  /** Records an inventory mapping's where deliberately left out: read, but not events. */
  public void countFiltered(long n) {
    filtered.add(n);
  }

  public void countDuplicate() {
    duplicates.increment();
  }

  public void countLate() {
    late.increment();
  }

  /** Records read: every one ends as exactly one event or one dead letter (Normalize's rule). */
  public long read() {
    return normalized.sum() + deadLettered.sum() + filtered.sum();
  }

  public long normalized() {
    return normalized.sum();
  }

  public long deadLettered() {
    return deadLettered.sum();
  }

  public long duplicates() {
    return duplicates.sum();
  }

  public long late() {
    return late.sum();
  }

  /** The newest event time normalized so far, if any. */
  public OptionalLong newestEventMillis() {
    long m = newestEventMillis.get();
    return m == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(m);
  }
}
