package dev.weft.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanModel;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inverse of {@link EventJson#toJson}: one JSON object as Weft writes it in {@code
 * events-*.jsonl} (and in spill files) back into the same {@link Event}, field for field. {@code
 * fromJson(toJson(e)).equals(e)} for every event, and {@code toJson(fromJson(line))} gives the line
 * back byte for byte.
 *
 * <p>It is strict, because a replayed event must be the event that was written: a field the writer
 * never writes (an unknown key, a JSON null) is refused rather than ignored, a required field must
 * be present, enums are read by their exact names and times as ISO-8601 instants. Every refusal is
 * an {@link InvalidEventJson} that names the field. Values are taken as written, without the
 * {@link Event.Builder}'s clean-up, so what was written is what comes back.
 */
public final class EventJsonReader {
  private static final ObjectReader READER =
      new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A key written twice would leave it open which value is the event's: refused.
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final Set<String> EVENT_FIELDS = Set.of("eventId", "idKind", "kind", "rawKind",
      "eventTime", "timeQuality", "observedTime", "origin", "signals", "attributes", "span", "log",
      "config");
  private static final Set<String> ORIGIN_FIELDS = Set.of("format", "resource", "line",
      "byteOffset", "partition", "offset", "pointer");
  private static final Set<String> SPAN_FIELDS = Set.of("traceId", "spanId", "parentSpanId",
      "name", "kind", "rawKind", "durationMicros", "status", "rawStatus", "statusMessage", "shared",
      "model");
  private static final Set<String> LOG_FIELDS = Set.of("severity", "severityNumber",
      "severityText", "body", "traceId", "spanId");
  private static final Set<String> CONFIG_FIELDS = Set.of("objectKind", "apiVersion", "operation",
      "rawOperation", "version", "name", "namespace", "uid", "labels", "selector", "references");
  private static final Set<String> REFERENCE_FIELDS = Set.of("relation", "targetKind",
      "targetName", "targetNamespace", "targetUid");

  private EventJsonReader() {}

  /** One line of {@code events-*.jsonl}; a second JSON value after the first is refused. */
  public static Event fromJson(String json) {
    JsonNode node;
    try {
      node = READER.readTree(json);
    } catch (StreamConstraintsException e) {
      throw new InvalidEventJson(FailureKind.TOO_LARGE, "",
          "the event line exceeds a JSON parser limit: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (column " + e.getLocation().getColumnNr() + ")";
      throw new InvalidEventJson(FailureKind.MALFORMED_SYNTAX, "",
          "the event line is not well-formed JSON: " + e.getOriginalMessage() + where);
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidEventJson(FailureKind.EMPTY_INPUT, "", "the event line holds no JSON value");
    }
    return fromNode(node);
  }

  public static Event fromNode(JsonNode n) {
    object(n, "", EVENT_FIELDS);
    return new Event(
        requiredText(n, "eventId", ""),
        enumOf(IdKind.class, n, "idKind", ""),
        origin(required(n, "origin", ""), "origin"),
        enumOf(EventKind.class, n, "kind", ""),
        optionalText(n, "rawKind", ""),
        instant(n, "eventTime", ""),
        enumOf(TimeQuality.class, n, "timeQuality", ""),
        instant(n, "observedTime", ""),
        map(required(n, "signals", ""), "signals"),
        map(required(n, "attributes", ""), "attributes"),
        part(n, "span") ? Optional.of(span(n.get("span"), "span")) : Optional.empty(),
        part(n, "log") ? Optional.of(log(n.get("log"), "log")) : Optional.empty(),
        part(n, "config") ? Optional.of(config(n.get("config"), "config")) : Optional.empty());
  }

  public static Origin origin(JsonNode n, String path) {
    object(n, path, ORIGIN_FIELDS);
    return new Origin(
        requiredText(n, "format", path),
        requiredText(n, "resource", path),
        optionalLong(n, "line", path),
        optionalLong(n, "byteOffset", path),
        optionalInt(n, "partition", path),
        optionalLong(n, "offset", path),
        optionalText(n, "pointer", path));
  }

  private static SpanPart span(JsonNode n, String path) {
    object(n, path, SPAN_FIELDS);
    JsonNode shared = n.get("shared");
    if (shared != null && !shared.isBoolean()) {
      throw wrongType(at(path, "shared"), "a boolean", shared);
    }
    return new SpanPart(
        requiredText(n, "traceId", path),
        requiredText(n, "spanId", path),
        optionalText(n, "parentSpanId", path),
        optionalText(n, "name", path),
        enumOf(SpanKind.class, n, "kind", path),
        optionalText(n, "rawKind", path),
        optionalLong(n, "durationMicros", path),
        enumOf(StatusCode.class, n, "status", path),
        optionalText(n, "rawStatus", path),
        optionalText(n, "statusMessage", path),
        shared != null && shared.booleanValue(),
        enumOf(SpanModel.class, n, "model", path));
  }

  private static LogPart log(JsonNode n, String path) {
    object(n, path, LOG_FIELDS);
    return new LogPart(
        enumOf(Severity.class, n, "severity", path),
        optionalInt(n, "severityNumber", path),
        optionalText(n, "severityText", path),
        optionalText(n, "body", path),
        optionalText(n, "traceId", path),
        optionalText(n, "spanId", path));
  }

  private static ConfigPart config(JsonNode n, String path) {
    object(n, path, CONFIG_FIELDS);
    JsonNode refs = required(n, "references", path);
    String refsPath = at(path, "references");
    if (!refs.isArray()) {
      throw wrongType(refsPath, "an array", refs);
    }
    List<Reference> references = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      references.add(reference(refs.get(i), refsPath + "[" + i + "]"));
    }
    JsonNode selector = n.get("selector");
    return new ConfigPart(
        requiredText(n, "objectKind", path),
        optionalText(n, "apiVersion", path),
        enumOf(ConfigOperation.class, n, "operation", path),
        optionalText(n, "rawOperation", path),
        optionalText(n, "version", path),
        requiredText(n, "name", path),
        optionalText(n, "namespace", path),
        optionalText(n, "uid", path),
        map(required(n, "labels", path), at(path, "labels")),
        selector == null ? new TreeMap<>() : map(selector, at(path, "selector")),
        references);
  }

  private static Reference reference(JsonNode n, String path) {
    object(n, path, REFERENCE_FIELDS);
    return new Reference(
        requiredText(n, "relation", path),
        requiredText(n, "targetKind", path),
        requiredText(n, "targetName", path),
        optionalText(n, "targetNamespace", path),
        optionalText(n, "targetUid", path));
  }

  /** A part ({@code span}, {@code log}, {@code config}) is present when its key is. */
  private static boolean part(JsonNode n, String field) {
    return n.has(field);
  }

  /** {@code n} is an object whose keys are all among {@code known}. */
  private static void object(JsonNode n, String path, Set<String> known) {
    if (!n.isObject()) {
      throw wrongType(path, "a JSON object", n);
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidEventJson(FailureKind.UNSUPPORTED, at(path, f),
            "not a field of a Weft event" + (path.isEmpty() ? "" : " " + path)
                + "; known fields: " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static JsonNode required(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null) {
      throw new InvalidEventJson(FailureKind.MISSING_FIELD, at(path, field), "required, absent");
    }
    return v;
  }

  private static String requiredText(JsonNode n, String field, String path) {
    JsonNode v = required(n, field, path);
    if (!v.isTextual()) {
      throw wrongType(at(path, field), "a string", v);
    }
    if (v.textValue().isEmpty()) {
      throw new InvalidEventJson(FailureKind.INVALID_VALUE, at(path, field),
          "empty; it is required and never empty");
    }
    return v.textValue();
  }

  /** Absent key: empty; a string (even {@code ""}, if that is what was written): present. */
  private static Optional<String> optionalText(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw wrongType(at(path, field), "a string", v);
    }
    return Optional.of(v.textValue());
  }

  private static Optional<Long> optionalLong(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrongType(at(path, field), "an integer (64-bit)", v);
    }
    return Optional.of(v.longValue());
  }

  private static Optional<Integer> optionalInt(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrongType(at(path, field), "an integer (32-bit)", v);
    }
    return Optional.of(v.intValue());
  }

  private static Instant instant(JsonNode n, String field, String path) {
    JsonNode v = required(n, field, path);
    if (!v.isTextual()) {
      throw wrongType(at(path, field), "an ISO-8601 instant string", v);
    }
    try {
      return Instant.parse(v.textValue());
    } catch (DateTimeParseException e) {
      throw new InvalidEventJson(FailureKind.INVALID_VALUE, at(path, field),
          "'" + v.textValue() + "' is not an ISO-8601 instant (such as 2024-05-01T12:00:00Z)");
    }
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n, String field,
      String path) {
    JsonNode v = required(n, field, path);
    if (!v.isTextual()) {
      throw wrongType(at(path, field), "a string", v);
    }
    try {
      return Enum.valueOf(type, v.textValue());
    } catch (IllegalArgumentException e) {
      throw new InvalidEventJson(FailureKind.INVALID_VALUE, at(path, field),
          "'" + v.textValue() + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  /** An object of string values; a nested value or a null is refused (the writer writes none). */
  private static TreeMap<String, String> map(JsonNode n, String path) {
    if (!n.isObject()) {
      throw wrongType(path, "a JSON object of strings", n);
    }
    TreeMap<String, String> m = new TreeMap<>();
    for (Iterator<java.util.Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      java.util.Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isTextual()) {
        throw wrongType(path + "." + f.getKey(), "a string", f.getValue());
      }
      m.put(f.getKey(), f.getValue().textValue());
    }
    return m;
  }

  private static InvalidEventJson wrongType(String path, String expected, JsonNode actual) {
    return new InvalidEventJson(FailureKind.WRONG_TYPE, path, "expected " + expected + ", found "
        + (actual.isNull() ? "null" : "a " + actual.getNodeType().name().toLowerCase(Locale.ROOT)));
  }

  private static String at(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
