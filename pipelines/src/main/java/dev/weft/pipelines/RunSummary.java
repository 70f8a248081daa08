package dev.weft.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.adapters.Normalize;
import dev.weft.privacy.Redactor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The run summary of a bounded run: per source and in total, how many records were read,
 * normalized and dead-lettered, and the conservation checks of DESIGN principle 7 — computed from
 * the run's counters AND from the files the run wrote, so a sink that lost records fails the run.
 */
public final class RunSummary {
  private final Map<String, Long> totals = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> perSource = new LinkedHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final ObjectNode extra = JsonNodeFactory.instance.objectNode();

  static final String[] SOURCE_COUNTERS =
      {"units", "read", "normalized", "deadLettered", "filtered", "blankLines",
        "stampedAtArrival"};

  /** Reads the per-source counters of the finished run. */
  public static RunSummary fromRun(PipelineResult result, List<SourceSpec> sources) {
    RunSummary s = new RunSummary();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> counters = new LinkedHashMap<>();
    for (MetricResult<Long> c : metrics.getCounters()) {
      String key = c.getName().getNamespace() + "/" + c.getName().getName();
      counters.merge(key, value(c), Long::sum);
    }
    for (SourceSpec spec : sources) {
      Map<String, Long> m = new LinkedHashMap<>();
      for (String name : SOURCE_COUNTERS) {
        long v = counters.getOrDefault(Normalize.counterNamespace(spec.name()) + "/" + name, 0L);
        m.put(name, v);
        s.totals.merge(name, v, Long::sum);
      }
      s.perSource.put(spec.toString(), m);
    }
    s.counters = counters;
    return s;
  }

  /** The totals of a run that counts into this JVM's live counts (null: none), no checks. */
  static RunSummary fromLiveCounts(dev.weft.progress.LiveCounts live) {
    RunSummary s = new RunSummary();
    if (live != null) {
      s.putTotal("read", live.read());
      s.putTotal("normalized", live.normalized());
      s.putTotal("deadLettered", live.deadLettered());
      s.putTotal("duplicates", live.duplicates());
      s.putTotal("late", live.late());
    }
    return s;
  }

  /**
   * The totals of a run still going, and the one check that holds at any moment: the runner's
   * late-data drops are zero (they only ever grow, and each would be a silent loss).
   */
  void interimTotals() {
    putEventStageTotals();
    putOverloadTotals();
    recordStateBounds();
    checkNoRunnerLateDrops();
  }

  /**
   * The event-time stage's totals (unique, duplicates, late, unpaired spans). {@code late} counts
   * the lines of {@code late-*}: late events (the gate; {@code lateBehindWatermark} of them because
   * their graph window had closed) and late call observations ({@code lateCalls}: linked after
   * their window closed). A peer mention withheld for the same reason carries no count ({@code
   * peersBehindWatermark}).
   */
  private void putEventStageTotals() {
    putTotal("unique", counter(DEDUP, "unique"));
    putTotal("duplicates", counter(DEDUP, "duplicates"));
    long lateCalls = counter(PAIRING, LATE_CALLS);
    putTotal("late", counter(ORDER, LATE_EVENTS) + lateCalls);
    putTotal("lateBehindWatermark", counter(ORDER, "lateBehindWatermark"));
    putTotal("lateCalls", lateCalls);
    putTotal("peersBehindWatermark", counter(PAIRING, "peersBehindWatermark"));
    putTotal("unpairedSpans", counter(PAIRING, "unpairedSpans"));
  }

  /** Beam's own late-data drops: each would be silent, so any is a violation. */
  private void checkNoRunnerLateDrops() {
    long runnerDropped = counterNamed("droppedDueToLateness");
    putTotal("droppedDueToLateness", runnerDropped);
    check("runner late drops == 0", runnerDropped, 0);
  }

  private static final String[] OVERLOAD_ACTIONS =
      {"admitted", "shed", "spilled", "sampledIn", "sampledOut"};

  /** The overload counters as {@code overload.NAME}; returns their sum. */
  private long putOverloadTotals() {
    long acted = 0;
    for (String n : OVERLOAD_ACTIONS) {
      long v = counter(OVERLOAD, n);
      putTotal("overload." + n, v);
      acted += v;
    }
    return acted;
  }

  private Map<String, Long> counters = Map.of();

  /** A counter of the run by namespace and name; 0 when it never moved. */
  public long counter(String namespace, String name) {
    return counters.getOrDefault(namespace + "/" + name, 0L);
  }

  private static long value(MetricResult<Long> c) {
    try {
      Long committed = c.getCommitted();
      return committed == null ? c.getAttempted() : committed;
    } catch (UnsupportedOperationException e) {
      // Some runners only report attempted values.
      return c.getAttempted();
    }
  }

  /** The counters of one source by its {@code FORMAT:LOCATION}; empty when unknown. */
  public Map<String, Long> source(String spec) {
    return perSource.getOrDefault(spec, Map.of());
  }

  public long total(String name) {
    return totals.getOrDefault(name, 0L);
  }

  public void putTotal(String name, long value) {
    totals.put(name, value);
  }

  /** Records an arithmetic identity; a false one is a violation that fails the run. */
  public void check(String identity, long left, long right) {
    String text = identity + " (" + left + " vs " + right + ")";
    if (left == right) {
      checks.add(text);
    } else {
      violations.add(text);
    }
  }

  /**
   * The conservation identities of the sources, and that every event and dead letter was written.
   * @param eventLinesWritten the lines of events-*.jsonl; empty when the run was asked not to write
   *     them ({@code --outputs}), then that check is replaced by a note
   */
  public void checkConservation(java.util.OptionalLong eventLinesWritten,
      long deadLetterLinesWritten) {
    for (Map.Entry<String, Map<String, Long>> e : perSource.entrySet()) {
      Map<String, Long> m = e.getValue();
      check(e.getKey() + ": read == normalized + deadLettered + filtered", m.get("read"),
          m.get("normalized") + m.get("deadLettered") + m.get("filtered"));
    }
    // filtered: records an inventory mapping's where deliberately left out, counted, not written.
    check("read == normalized + deadLettered + filtered", total("read"),
        total("normalized") + total("deadLettered") + total("filtered"));
    if (eventLinesWritten.isPresent()) {
      check("events written == normalized", eventLinesWritten.getAsLong(), total("normalized"));
    } else {
      checks.add("events written: not requested (--outputs)");
    }
    check("dead letters written == deadLettered", deadLetterLinesWritten, total("deadLettered"));
  }

  /**
   * The event-time stage: {@code normalized = unique + duplicates}; every late event written;
   * and the runner's own late-data drops, which must be zero (a drop there would be silent).
   */
  public void checkGraph(long lateLinesWritten) {
    putEventStageTotals();
    putTotal("orderBufferOverflow", counter(ORDER, "bufferOverflow"));
    putTotal("dedupBeyondHorizon", counter(DEDUP, "beyondHorizon"));
    check("normalized == unique + duplicates", total("normalized"),
        total("unique") + total("duplicates"));
    check("late written == late", lateLinesWritten, total("late"));
    checkNoRunnerLateDrops();
  }

  /**
   * The overload policy (no-op without a budget, when every counter is 0): every unique event was
   * admitted, shed, spilled or sampled ({@code unique == admitted + shed + spilled + sampledIn +
   * sampledOut}); every shed id and every spilled event written.
   */
  public void checkOverload(long shedLinesWritten, long spilledLinesWritten) {
    long acted = putOverloadTotals();
    if (acted == 0) {
      return;
    }
    check("unique == admitted + shed + spilled + sampledIn + sampledOut", total("unique"), acted);
    check("shed written == shed", shedLinesWritten, total("overload.shed"));
    check("spilled written == spilled", spilledLinesWritten, total("overload.spilled"));
  }

  /**
   * What the bounds on keyed state did (README, "Keyed state"): expiries and every overflow of a
   * cap, as {@code state.NAME}; all 0 on a bounded run, where nothing expires.
   */
  public void recordStateBounds() {
    String identity = "dev.weft.identity.ResolveIdentity";
    String[][] bounds = {
        {DEDUP, "idsExpired"}, {DEDUP, "idsEvictedOverCap"}, {DEDUP, "beyondHorizon"},
        {OVERLOAD, "emitterWindowsOverCap"},
        {identity, "pending-over-cap-not-rebindable"}, {identity, "block-keys-expired"},
        {identity, "assembly-evicted-over-cap"}, {identity, "revisions-after-retention-dropped"},
        {ORDER, "bufferOverflow"}, {PAIRING, "traceSpansOverCap"}};
    for (String[] b : bounds) {
      putTotal("state." + b[1], counter(b[0], b[1]));
    }
  }

  /**
   * What the privacy policy did, in values (not records: redacting or dropping an attribute
   * keeps its event): redacted, hashed, dropped, and dead-letter payloads scrubbed or omitted.
   */
  public void recordPrivacy() {
    for (String name : new String[] {"redacted", "hashed", "dropped",
        "deadLetterPayloadsScrubbed", "deadLetterPayloadsOmitted"}) {
      putTotal("privacy." + name, counter(Redactor.NAMESPACE, name));
    }
  }

  static final String DEDUP = "dev.weft.time.Deduplicate";
  static final String ORDER = "dev.weft.time.OrderWithinKey";
  static final String PAIRING = "dev.weft.graph.LinkTraces";
  static final String LATE_EVENTS = "late";
  static final String LATE_CALLS = "callsBehindWatermark";

  /**
   * Whether a counter counts lines of {@code late-*}: late events (the gate) and late call
   * observations (the pairing). The summary's {@code late} and the progress line sum the same.
   */
  static boolean countsLateLines(String namespace, String name) {
    return namespace.equals(ORDER) && name.equals(LATE_EVENTS)
        || namespace.equals(PAIRING) && name.equals(LATE_CALLS);
  }
  static final String OVERLOAD = "dev.weft.overload.KeyBudget";

  /** A counter summed over every namespace that has one by this name. */
  public long counterNamed(String name) {
    long n = 0;
    String suffix = "/" + name.toLowerCase(java.util.Locale.ROOT);
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      // Case-blind: the runners do not agree (the Direct runner's GroupAlsoByWindow counts
      // "DroppedDueToLateness", Beam's LateDataDroppingDoFnRunner "droppedDueToLateness").
      if (e.getKey().toLowerCase(java.util.Locale.ROOT).endsWith(suffix)) {
        n += e.getValue();
      }
    }
    return n;
  }

  public ObjectNode extra() {
    return extra;
  }

  public List<String> violations() {
    return violations;
  }

  public String toJson() throws IOException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    totals.forEach(root::put);
    ObjectNode sources = root.putObject("sources");
    perSource.forEach((name, m) -> {
      ObjectNode n = sources.putObject(name);
      m.forEach(n::put);
    });
    root.setAll(extra);
    ArrayNode ok = root.putArray("checks");
    checks.forEach(ok::add);
    ArrayNode bad = root.putArray("violations");
    violations.forEach(bad::add);
    root.put("conserved", violations.isEmpty());
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
        + "\n";
  }
}
