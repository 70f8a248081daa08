package dev.weft.model;

import java.util.SortedMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * An event with the entities it is about, as identity resolution decided: {@code entities} maps an
 * entity type ({@code service}, {@code k8s.pod}, {@code host}, ...) to the entity id of that type,
 * and {@code subject} is the one entity the event is chiefly about (a span's service instance or
 * service, a config event's object, a log line's most specific entity) — the key for ordering and
 * node state.
 *
 * <p>When late knowledge re-binds an event, identity emits the earlier resolution again with
 * {@code retraction = true} and then the corrected one with a higher {@code revision}; graph
 * aggregation subtracts retractions so that a consumer ends with the corrected graph.
 */
@DefaultCoder(ResolvedEventCoder.class)
public record ResolvedEvent(
    Event event,
    String subject,
    SortedMap<String, String> entities,
    int revision,
    boolean retraction) {

  public ResolvedEvent {
    Checks.notNull(event, "event");
    Checks.nonEmpty(subject, "subject");
    entities = Checks.sortedCopy(entities, "entities");
  }
}
