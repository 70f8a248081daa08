package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Measures identity resolution against an answer key: runs the mechanism over records in the
 * given (deterministic) order with an in-memory alias store, then compares the pairs of records
 * Weft put in one entity with the pairs the answer key puts together. The answer key is read from
 * an attribute the policy never sees as a signal.
 *
 * <p>With {@code crossOnly}, only pairs of records from two different groups count (Febrl 4a and
 * 4b are a 1:1 linkage between two files; pairs inside one file are not part of the task).
 */
public final class LinkageEvaluation {
  private LinkageEvaluation() {}

  /** Pair counts and scores of one data set. */
  public record Scores(String name, long records, long truePairs, long mergedPairs,
      long truePositives, Map<Decision, Long> decisions) {

    /**
     * Correct merged pairs over merged pairs; undefined ({@code NaN}) when nothing was merged: a
     * policy that merges nothing has not shown it merges correctly.
     */
    public double precision() {
      return mergedPairs == 0 ? Double.NaN : (double) truePositives / mergedPairs;
    }

    /** Correct merged pairs over true pairs; undefined ({@code NaN}) on an empty answer key. */
    public double recall() {
      return truePairs == 0 ? Double.NaN : (double) truePositives / truePairs;
    }

    /** The harmonic mean of precision and recall; 0 when either is undefined or both are 0. */
    public double f1() {
      double p = precision();
      double r = recall();
      if (Double.isNaN(p) || Double.isNaN(r) || p + r == 0) {
        return 0;
      }
      return 2 * p * r / (p + r);
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "%-22s records %6d  true pairs %6d  merged pairs %6d  correct %6d  precision %s  "
              + "recall %s  F1 %.4f  decisions %s",
          name, records, truePairs, mergedPairs, truePositives, shown(precision()),
          shown(recall()), f1(), decisions);
    }

    private static String shown(double v) {
      return Double.isNaN(v) ? "   n/a" : String.format(java.util.Locale.ROOT, "%.4f", v);
    }
  }

  /**
   * Resolves {@code records} of {@code entityType} in order and scores the merged pairs.
   *
   * @param answer the true cluster of a record (from the answer-key attribute)
   * @param group the group of a record (its file), used when {@code crossOnly}
   */
  public static Scores evaluate(String name, List<Event> records, IdentityPolicy policy,
      String entityType, Function<Event, String> answer, Function<Event, String> group,
      boolean crossOnly) {
    IdentityResolver resolver = new IdentityResolver(policy);
    InMemoryAliasStore store = new InMemoryAliasStore();
    Map<String, Map<String, Map<String, Long>>> byEntity = new HashMap<>();
    Map<String, Map<String, Long>> byAnswer = new HashMap<>();
    Map<Decision, Long> decisions = new EnumMap<>(Decision.class);
    for (Event e : records) {
      Optional<Binding> b = resolver.resolve(e, store).bindings().stream()
          .filter(x -> x.entityType().equals(entityType)).findFirst();
      String entity = b.map(Binding::entityId).orElse("unresolved~" + e.eventId());
      b.ifPresent(x -> decisions.merge(x.decision(), 1L, Long::sum));
      String truth = answer.apply(e);
      String g = group.apply(e);
      byEntity.computeIfAbsent(entity, k -> new HashMap<>())
          .computeIfAbsent(truth, k -> new HashMap<>()).merge(g, 1L, Long::sum);
      byAnswer.computeIfAbsent(truth, k -> new HashMap<>()).merge(g, 1L, Long::sum);
    }
    long truePairs = 0;
    for (Map<String, Long> groups : byAnswer.values()) {
      truePairs += pairs(groups, crossOnly);
    }
    long merged = 0;
    long correct = 0;
    for (Map<String, Map<String, Long>> cluster : byEntity.values()) {
      Map<String, Long> all = new HashMap<>();
      for (Map<String, Long> groups : cluster.values()) {
        correct += pairs(groups, crossOnly);
        groups.forEach((g, n) -> all.merge(g, n, Long::sum));
      }
      merged += pairs(all, crossOnly);
    }
    return new Scores(name, records.size(), truePairs, merged, correct, decisions);
  }

  /** Pairs among records counted per group: all pairs, or only pairs across two groups. */
  private static long pairs(Map<String, Long> groups, boolean crossOnly) {
    long n = 0;
    long sumSquares = 0;
    for (long c : groups.values()) {
      n += c;
      sumSquares += c * c;
    }
    return crossOnly ? (n * n - sumSquares) / 2 : n * (n - 1) / 2;
  }
}
