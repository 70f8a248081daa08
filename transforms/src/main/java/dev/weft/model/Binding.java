package dev.weft.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One identity decision, kept so that "why is X part of entity Y?" has an answer: the event it is
 * about, the entity it bound to (or the provisional entity it was kept under), the rule that fired,
 * the signals (names and values) it used, the confidence, the decision and, for refusals and
 * conflicts, the candidates and a reason. {@code revision} grows when late knowledge re-binds the
 * same event.
 */
@DefaultCoder(BindingCoder.class)
public record Binding(
    String eventId,
    Instant eventTime,
    String entityType,
    String entityId,
    Decision decision,
    Optional<String> rule,
    SortedMap<String, String> signals,
    double confidence,
    List<String> candidates,
    Optional<String> reason,
    int revision) {

  public Binding {
    Checks.nonEmpty(eventId, "eventId");
    Checks.notNull(eventTime, "eventTime");
    Checks.nonEmpty(entityType, "entityType");
    Checks.nonEmpty(entityId, "entityId");
    Checks.notNull(decision, "decision");
    Checks.notNull(rule, "rule");
    signals = Checks.sortedCopy(signals, "signals");
    candidates = Checks.listCopy(candidates, "candidates");
    Checks.notNull(reason, "reason");
  }

  /** The key an upserting consumer uses: one decision per event and entity type. */
  public String upsertKey() {
    return eventId + "|" + entityType;
  }
}
