package dev.weft.model;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The canonical event: what every adapter produces and everything downstream consumes. Nothing
 * downstream asks which source an event came from in order to interpret it.
 *
 * <p>{@code signals} are identity signals named by the OpenTelemetry semantic conventions ({@code
 * service.name}, {@code host.name}, {@code k8s.pod.uid}, ...); {@code attributes} hold everything
 * else. Exactly one of {@code span}, {@code log}, {@code config} is present for kinds SPAN, LOG and
 * CONFIG; INVENTORY events carry their fields as signals and attributes, and a config part only
 * to carry the references their mapping's relations state (kind stays INVENTORY).
 */
@DefaultCoder(EventCoder.class)
public record Event(
    String eventId,
    IdKind idKind,
    Origin origin,
    EventKind kind,
    Optional<String> rawKind,
    Instant eventTime,
    TimeQuality timeQuality,
    Instant observedTime,
    SortedMap<String, String> signals,
    SortedMap<String, String> attributes,
    Optional<SpanPart> span,
    Optional<LogPart> log,
    Optional<ConfigPart> config) {

  public Event {
    Checks.nonEmpty(eventId, "eventId");
    Checks.notNull(idKind, "idKind");
    Checks.notNull(origin, "origin");
    Checks.notNull(kind, "kind");
    Checks.notNull(rawKind, "rawKind");
    Checks.notNull(eventTime, "eventTime");
    Checks.notNull(timeQuality, "timeQuality");
    Checks.notNull(observedTime, "observedTime");
    signals = Checks.sortedCopy(signals, "signals");
    attributes = Checks.sortedCopy(attributes, "attributes");
    Checks.notNull(span, "span");
    Checks.notNull(log, "log");
    Checks.notNull(config, "config");
  }

  /** The format that produced the event ({@code zipkin}, {@code text-logs.hdfs}, ...). */
  public String format() {
    return origin.format();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.eventId = eventId;
    b.idKind = idKind;
    b.origin = origin;
    b.kind = kind;
    b.rawKind = rawKind;
    b.eventTime = eventTime;
    b.timeQuality = timeQuality;
    b.observedTime = observedTime;
    b.signals.putAll(signals);
    b.attributes.putAll(attributes);
    b.span = span;
    b.log = log;
    b.config = config;
    return b;
  }

  /**
   * Builds events; adapters set what they know and the builder drops absent or empty values, so
   * "no value" is always {@code Optional.empty()} or a missing map entry, never {@code ""}.
   */
  public static final class Builder {
    private String eventId;
    private IdKind idKind;
    private Origin origin;
    private EventKind kind = EventKind.UNKNOWN;
    private Optional<String> rawKind = Optional.empty();
    private Instant eventTime;
    private TimeQuality timeQuality;
    private Instant observedTime;
    private final SortedMap<String, String> signals = new TreeMap<>();
    private final SortedMap<String, String> attributes = new TreeMap<>();
    private Optional<SpanPart> span = Optional.empty();
    private Optional<LogPart> log = Optional.empty();
    private Optional<ConfigPart> config = Optional.empty();

    private Builder() {}

    public Builder eventId(String id, IdKind how) {
      this.eventId = id;
      this.idKind = how;
      return this;
    }

    public Builder origin(Origin origin) {
      this.origin = origin;
      return this;
    }

    public Builder kind(EventKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder unknownKind(String raw) {
      this.kind = EventKind.UNKNOWN;
      this.rawKind = Optional.ofNullable(raw);
      return this;
    }

    public Builder eventTime(Instant time, TimeQuality quality) {
      this.eventTime = time;
      this.timeQuality = quality;
      return this;
    }

    public Builder observedTime(Instant observedTime) {
      this.observedTime = observedTime;
      return this;
    }

    /** Adds an identity signal; null or blank values are ignored (absent, not empty). */
    public Builder signal(String name, String value) {
      if (value != null && !value.isBlank()) {
        signals.put(name, value);
      }
      return this;
    }

    public Builder signals(Map<String, String> values) {
      values.forEach(this::signal);
      return this;
    }

    /** Adds an attribute; null or empty values are ignored. */
    public Builder attribute(String name, String value) {
      if (value != null && !value.isEmpty()) {
        attributes.put(name, value);
      }
      return this;
    }

    public Builder attributes(Map<String, String> values) {
      values.forEach(this::attribute);
      return this;
    }

    public Builder span(SpanPart span) {
      this.kind = EventKind.SPAN;
      this.span = Optional.of(span);
      return this;
    }

    public Builder log(LogPart log) {
      this.kind = EventKind.LOG;
      this.log = Optional.of(log);
      return this;
    }

    public Builder config(ConfigPart config) {
      this.kind = EventKind.CONFIG;
      this.config = Optional.of(config);
      return this;
    }

    public Builder clearSpan() {
      this.span = Optional.empty();
      return this;
    }

    public Event build() {
      return new Event(eventId, idKind, origin, kind, rawKind, eventTime, timeQuality,
          observedTime, signals, attributes, span, log, config);
    }
  }
}
