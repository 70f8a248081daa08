package dev.weft.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the stream taught about one entity under one blocking key: "these signal values belong to
 * {@code entityId}, seen from {@code from} to {@code last}" (and, when the source said the object
 * was deleted, not after {@code until}). {@code values} holds every normalized value seen per
 * signal, so weak rules can compare against all of them. {@code taughtBy} is the event of the
 * earliest sighting (ties: the smallest event id, so it does not depend on arrival order): what
 * {@code explain} names as the event that taught the alias.
 */
public record Alias(
    String type,
    String blockKey,
    String entityId,
    Instant from,
    Instant last,
    Optional<Instant> until,
    SortedMap<String, List<String>> values,
    String taughtBy) {

  public Alias {
    SortedMap<String, List<String>> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(new TreeSet<>(v))));
    values = Collections.unmodifiableSortedMap(copy);
  }

  /** True when some value seen for {@code signal} equals {@code value}. */
  public boolean has(String signal, String value) {
    List<String> seen = values.get(signal);
    return seen != null && Collections.binarySearch(seen, value) >= 0;
  }

  /** This alias extended by another sighting of the same entity. */
  Alias merge(Alias sighting) {
    SortedMap<String, List<String>> merged = new TreeMap<>();
    values.forEach((k, v) -> merged.put(k, new ArrayList<>(v)));
    for (Map.Entry<String, List<String>> e : sighting.values.entrySet()) {
      merged.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(e.getValue());
    }
    Instant f = sighting.from.isBefore(from) ? sighting.from : from;
    Instant l = sighting.last.isAfter(last) ? sighting.last : last;
    Optional<Instant> u = sighting.until.isPresent() ? sighting.until : until;
    boolean theirs = sighting.from.isBefore(from)
        || (sighting.from.equals(from) && sighting.taughtBy.compareTo(taughtBy) < 0);
    return new Alias(type, blockKey, entityId, f, l, u, merged,
        theirs ? sighting.taughtBy : taughtBy);
  }
}
