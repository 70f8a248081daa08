package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.Decision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Why is X part of entity Y?" from the binding audit: which source identities (rule and signal
 * values) were bound to an entity, how often and when, and which records were refused near it
 * (it was a candidate of a refusal or a conflict) and why. Only the latest revision of each
 * decision counts, as an upserting consumer would see it.
 */
public final class EntityExplanation {
  private EntityExplanation() {}

  /** Keeps the latest revision per upsert key (event and entity type). */
  public static List<Binding> latest(Iterable<Binding> bindings) {
    Map<String, Binding> byKey = new HashMap<>();
    for (Binding b : bindings) {
      byKey.merge(b.upsertKey(), b, (x, y) -> y.revision() > x.revision() ? y : x);
    }
    List<Binding> out = new ArrayList<>(byKey.values());
    out.sort(Comparator.comparing(Binding::eventTime).thenComparing(Binding::eventId)
        .thenComparing(Binding::entityType));
    return out;
  }

  /** The explanation as text, for people. */
  public static String explain(String entityId, List<Binding> latest) {
    StringBuilder out = new StringBuilder();
    Map<String, Group> bound = new TreeMap<>();
    Map<String, Group> near = new TreeMap<>();
    String type = null;
    for (Binding b : latest) {
      if (b.entityId().equals(entityId)) {
        type = b.entityType();
        String key = b.decision() + " by " + b.rule().orElse("(no rule)") + " on " + b.signals();
        bound.computeIfAbsent(key, k -> new Group(b)).add(b);
      } else if (b.candidates().contains(entityId)) {
        String key = b.decision() + " " + b.signals() + " kept as " + b.entityId();
        near.computeIfAbsent(key, k -> new Group(b)).add(b);
      }
    }
    // Refusals that had no candidate at all, but carried a value this entity was bound by (its
    // IP before it was taught, or after it went to another pod): found by their values.
    for (Binding b : latest) {
      if (b.entityId().equals(entityId) || !b.candidates().isEmpty()
          || (b.decision() != Decision.REFUSED_BELOW_FLOOR && b.decision() != Decision.CONFLICT)
          || !sharesAValue(b, entityId, latest)) {
        continue;
      }
      String key = b.decision() + " " + b.signals() + " kept as " + b.entityId()
          + " (no candidate at its time)";
      near.computeIfAbsent(key, k -> new Group(b)).add(b);
    }
    if (bound.isEmpty() && near.isEmpty()) {
      return "entity " + entityId + ": no binding names it\n";
    }
    out.append("entity ").append(entityId);
    if (type != null) {
      out.append(" (type ").append(type).append(')');
    }
    out.append(entityId.contains("~") ? ", provisional: its records were refused a merge\n"
        : "\n");
    out.append("bound source identities (").append(bound.size()).append("):\n");
    for (Map.Entry<String, Group> e : bound.entrySet()) {
      Group g = e.getValue();
      out.append(String.format(Locale.ROOT, "  %s, confidence %.2f: %d event(s) %s .. %s, e.g. %s%n",
          e.getKey(), g.first.confidence(), g.count, g.first.eventTime(), g.last.eventTime(),
          g.first.eventId()));
      // BOUND needs no reason; ALIASED says which event taught the alias and when it is valid,
      // level by level for comparisons; refusals say why.
      g.first.reason().ifPresent(r -> out.append("    why: ").append(r).append('\n'));
    }
    out.append("refused near it (").append(near.size()).append("):\n");
    for (Map.Entry<String, Group> e : near.entrySet()) {
      Group g = e.getValue();
      out.append(String.format(Locale.ROOT, "  %s: %d event(s), e.g. %s at %s%n", e.getKey(),
          g.count, g.first.eventId(), g.first.eventTime()));
      g.first.reason().ifPresent(r -> out.append("    why: ").append(r).append('\n'));
    }
    return out.toString();
  }

  private static boolean sharesAValue(Binding refusal, String entityId, List<Binding> latest) {
    for (Binding b : latest) {
      if (b.entityId().equals(entityId) && b.entityType().equals(refusal.entityType())) {
        for (Map.Entry<String, String> e : refusal.signals().entrySet()) {
          if (e.getValue().equals(b.signals().get(e.getKey()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * "Which entities was this record bound to, and why?": every decision about one event, one per
   * entity type, with rule, signal values, confidence and reason (for an alias: the event that
   * taught it and its validity; for comparisons: each level's weight).
   */
  public static String explainEvent(String eventId, List<Binding> latest) {
    StringBuilder out = new StringBuilder();
    List<Binding> mine = latest.stream().filter(b -> b.eventId().equals(eventId)).toList();
    if (mine.isEmpty()) {
      return "event " + eventId + ": no binding names it\n";
    }
    out.append("event ").append(eventId).append(" at ").append(mine.get(0).eventTime())
        .append(": bound to ").append(mine.size()).append(" entit")
        .append(mine.size() == 1 ? "y" : "ies").append('\n');
    for (Binding b : mine) {
      out.append(String.format(Locale.ROOT, "  %s %s: %s by %s on %s, confidence %.2f%s%n",
          b.entityType(), b.entityId(), b.decision(), b.rule().orElse("(no rule)"), b.signals(),
          b.confidence(), b.revision() > 0 ? ", revision " + b.revision() : ""));
      b.reason().ifPresent(r -> out.append("    why: ").append(r).append('\n'));
      if (!b.candidates().isEmpty()) {
        out.append("    candidates: ").append(b.candidates()).append('\n');
      }
    }
    return out.toString();
  }

  private static final class Group {
    final Binding first;
    Binding last;
    int count;

    Group(Binding first) {
      this.first = first;
      this.last = first;
    }

    void add(Binding b) {
      count++;
      if (b.eventTime().isAfter(last.eventTime())) {
        last = b;
      }
    }
  }
}
