package dev.weft.graph;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.values.TimestampedValue;

/** Builds canonical events for graph tests, the way adapters would. */
public final class GraphFixtures {
  private GraphFixtures() {}

  public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  public static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  public static org.joda.time.Instant joda(Instant t) {
    return new org.joda.time.Instant(t.toEpochMilli());
  }

  public static TimestampedValue<Event> stamped(Event e) {
    return TimestampedValue.of(e, joda(e.eventTime()));
  }

  /** A span; {@code kind} CLIENT/SERVER; server halves name their parent (OTLP style). */
  public static Event span(String service, String trace, String spanId, String parent,
      SpanKind kind, long atSeconds, long durationMicros, boolean error, boolean shared,
      Map<String, String> attributes) {
    SpanPart part = new SpanPart(trace, spanId, Optional.ofNullable(parent),
        Optional.of("op"), kind, Optional.empty(), Optional.of(durationMicros),
        error ? StatusCode.ERROR : StatusCode.UNSET, Optional.empty(), Optional.empty(), shared);
    return Event.builder()
        .eventId(EventIds.sourceId("test-spans", trace, spanId, kind.name()), IdKind.SOURCE_ID)
        .origin(Origin.file("test-spans", "spans.json"))
        .eventTime(at(atSeconds), TimeQuality.SOURCE)
        .observedTime(T0)
        .signal("service.name", service)
        .attributes(attributes)
        .span(part)
        .build();
  }

  public static Event client(String service, String trace, String spanId, long atSeconds,
      long durationMicros, boolean error) {
    return span(service, trace, spanId, null, SpanKind.CLIENT, atSeconds, durationMicros, error,
        false, Map.of());
  }

  public static Event server(String service, String trace, String spanId, String parent,
      long atSeconds, long durationMicros) {
    return span(service, trace, spanId, parent, SpanKind.SERVER, atSeconds, durationMicros, false,
        false, Map.of());
  }

  public static Event log(String service, Severity severity, long atSeconds, String body) {
    return Event.builder()
        .eventId(EventIds.contentHash("test-logs", service, body, Long.toString(atSeconds)),
            IdKind.CONTENT_HASH)
        .origin(Origin.file("test-logs", "app.log"))
        .eventTime(at(atSeconds), TimeQuality.SOURCE)
        .observedTime(T0)
        .signal("service.name", service)
        .log(new LogPart(severity, Optional.empty(), Optional.of(severity.name()),
            Optional.of(body), Optional.empty(), Optional.empty()))
        .build();
  }

  /** A Kubernetes object event; the id covers object, operation and resourceVersion. */
  public static Event k8s(String kind, String namespace, String name, ConfigOperation op,
      String resourceVersion, long atSeconds, Map<String, String> labels,
      Map<String, String> selector, List<Reference> references) {
    ConfigPart part = new ConfigPart(kind, Optional.of("v1"), op, Optional.empty(),
        Optional.ofNullable(resourceVersion), name, Optional.ofNullable(namespace),
        Optional.of("uid-" + name), new TreeMap<>(labels), new TreeMap<>(selector), references);
    return Event.builder()
        .eventId(EventIds.sourceId("test-k8s", kind, String.valueOf(namespace), name,
            String.valueOf(resourceVersion), op.name()), IdKind.SOURCE_ID)
        .origin(Origin.file("test-k8s", "cluster.yaml"))
        .eventTime(at(atSeconds), TimeQuality.SOURCE)
        .observedTime(T0)
        .config(part)
        .build();
  }

  public static Reference ref(String relation, String kind, String name) {
    return new Reference(relation, kind, name, Optional.empty(), Optional.empty());
  }
}
