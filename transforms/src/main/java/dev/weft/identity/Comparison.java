package dev.weft.identity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * One field's comparison in a Fellegi–Sunter (Splink-style) policy: the signal it compares (or
 * several, compared as their values joined by a blank: a full name whose parts may be swapped,
 * for a {@code token-set} level) and its ordered levels. Comparing an event's value with a candidate's values picks the FIRST level that
 * any candidate value satisfies; that level's weight (a log2 Bayes factor: positive is evidence
 * for a match, negative against) is added to the candidate's match weight. When the event or the
 * candidate has no value for the signal, the comparison is "null" and adds nothing: absence is not
 * evidence either way.
 */
public record Comparison(String name, List<String> signals, List<Level> levels)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Joined values of a candidate are capped: a cluster's name variants, not a combinatorial set. */
  private static final int MAX_JOINED = 64;

  public Comparison {
    signals = List.copyOf(signals);
    levels = List.copyOf(levels);
  }

  /** The compared value of a record: its signals' values joined by a blank; empty if none. */
  public Optional<String> valueOf(Map<String, String> signalValues) {
    List<String> parts = new ArrayList<>();
    for (String s : signals) {
      String v = signalValues.get(s);
      if (v != null) {
        parts.add(v);
      }
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", parts));
  }

  /** Every compared value a candidate was seen with (one signal: its values; several: joined). */
  public List<String> valuesOf(Map<String, List<String>> aliasValues) {
    List<String> out = new ArrayList<>();
    out.add("");
    for (String s : signals) {
      List<String> vs = aliasValues.get(s);
      if (vs == null || vs.isEmpty()) {
        continue;
      }
      List<String> next = new ArrayList<>();
      for (String prefix : out) {
        for (String v : vs) {
          if (next.size() < MAX_JOINED) {
            next.add(prefix.isEmpty() ? v : prefix + " " + v);
          }
        }
      }
      out = next;
    }
    return out.size() == 1 && out.get(0).isEmpty() ? List.of() : out;
  }

  /** One level: a test with its parameter and the weight it contributes when it is the first hit. */
  public record Level(LevelTest test, double parameter, double weight) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How the level is shown in explanations and bindings, e.g. {@code jaro-winkler>=0.92}. */
    public String label() {
      return test.label(parameter);
    }
  }

  /** The outcome of one comparison for one candidate: which level, and its weight. */
  public record Outcome(String comparison, String level, double weight) implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s %+.2f", comparison, level, weight);
    }
  }

  /** The null outcome: one side has no value. */
  static final String NULL_LEVEL = "null";

  /**
   * Compares the event's value with every value the candidate was seen with; the first level any
   * of them satisfies wins (so a cluster is compared by its closest member).
   */
  public Outcome compare(Optional<String> eventValue, List<String> candidateValues) {
    if (eventValue.isEmpty() || candidateValues == null || candidateValues.isEmpty()) {
      return new Outcome(name, NULL_LEVEL, 0.0);
    }
    for (Level level : levels) {
      for (String c : candidateValues) {
        if (level.test().matches(eventValue.get(), c, level.parameter())) {
          return new Outcome(name, level.label(), level.weight());
        }
      }
    }
    return new Outcome(name, "no-level", 0.0);
  }
}
