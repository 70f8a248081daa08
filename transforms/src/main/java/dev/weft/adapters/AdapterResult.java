package dev.weft.adapters;

import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * What an adapter made of one raw record: the events it could build and a failure for each record
 * inside it that it could not. A document of ten spans with one bad span is nine events and one
 * failure; a document that is not JSON at all is one failure.
 */
public final class AdapterResult {
  private final List<Event> events = new ArrayList<>();
  private final List<ParseFailure> failures = new ArrayList<>();

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

  public AdapterResult addAll(AdapterResult other) {
    events.addAll(other.events);
    failures.addAll(other.failures);
    return this;
  }

  public List<Event> events() {
    return events;
  }

  public List<ParseFailure> failures() {
    return failures;
  }

  /** Records found in the input: each becomes an event or a failure, never neither. */
  public int records() {
    return events.size() + failures.size();
  }
}
