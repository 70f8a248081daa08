package dev.weft.adapters;

import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * What an adapter made of one raw record: the events it could build and a failure for each record
 * inside it that it could not. A document of ten spans with one bad span is nine events and one
 * failure; a document that is not JSON at all is one failure. A well-formed record the source's
 * configuration chose not to take (an inventory record that matches no mapping's {@code where}) is
 * a {@code filtered} record: counted, never silently gone, but not an error either.
 */
public final class AdapterResult {
  private final List<Event> events = new ArrayList<>();
  private final List<ParseFailure> failures = new ArrayList<>();
  private final List<String> filtered = new ArrayList<>();

  public static AdapterResult failure(ParseFailure f) {
    AdapterResult r = new AdapterResult();
    r.failures.add(f);
    return r;
  }

  public AdapterResult add(Event e) {
    events.add(e);
    return this;
  }

  public AdapterResult fail(ParseFailure f) {
    failures.add(f);
    return this;
  }

  /** A record deliberately not taken; {@code why} says which condition it failed. */
  public AdapterResult filter(String why) {
    filtered.add(why);
    return this;
  }

  public AdapterResult addAll(AdapterResult other) {
    events.addAll(other.events);
    failures.addAll(other.failures);
    filtered.addAll(other.filtered);
    return this;
  }

  public List<Event> events() {
    return events;
  }

  public List<ParseFailure> failures() {
    return failures;
  }

  /** Why each filtered record was not taken, in input order. */
  public List<String> filtered() {
    return filtered;
  }

  /** Records found in the input: each becomes an event, a failure or a filtered record. */
  public int records() {
    return events.size() + failures.size() + filtered.size();
  }
}
