package dev.weft.overload;

import dev.weft.model.Event;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The weight of an event kept by {@link OverloadAction#SAMPLE}: it stands for itself and the
 * N - 1 events sampled out with it, so the graph counts it N times (events of a node, calls of an
 * edge) and the counts remain unbiased estimates. Every other event weighs 1.
 */
public final class SampleWeight {
  /** The attribute that carries the weight; its presence flags the event as sampled. */
  public static final String ATTRIBUTE = "weft.overload.weight";

  private SampleWeight() {}

  public static long of(Event e) {
    String w = e.attributes().get(ATTRIBUTE);
    if (w == null) {
      return 1;
    }
    try {
      return Math.max(1, Long.parseLong(w));
    } catch (NumberFormatException notOurs) {
      return 1;
    }
  }

  /** The event without a weight a source sent itself (only the overload stage may set one). */
  static Event unweighted(Event e) {
    if (!e.attributes().containsKey(ATTRIBUTE)) {
      return e;
    }
    SortedMap<String, String> attributes = new TreeMap<>(e.attributes());
    attributes.remove(ATTRIBUTE);
    return withAttributes(e, attributes);
  }

  static Event weighted(Event e, long weight) {
    SortedMap<String, String> attributes = new TreeMap<>(e.attributes());
    attributes.put(ATTRIBUTE, Long.toString(weight));
    return withAttributes(e, attributes);
  }

  /** The same event with other attributes (the builder only adds attributes). */
  private static Event withAttributes(Event e, SortedMap<String, String> attributes) {
    return new Event(e.eventId(), e.idKind(), e.origin(), e.kind(), e.rawKind(), e.eventTime(),
        e.timeQuality(), e.observedTime(), e.signals(), attributes, e.span(), e.log(),
        e.config());
  }
}
