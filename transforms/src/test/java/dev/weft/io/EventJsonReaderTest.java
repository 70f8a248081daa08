package dev.weft.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.Test;

/**
 * {@link EventJsonReader} on hand-built events that carry what the samples do not (a Kafka
 * origin with partition and offset, every optional field present or absent, nanosecond times,
 * empty strings an adapter could leave in an optional) and on lines that are not Weft events,
 * each refused with the field named.
 */
public class EventJsonReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2024-05-01T12:00:00.123456789Z");

  private static Event.Builder base() {
    return Event.builder().eventId("id-1", IdKind.SOURCE_ID)
        .origin(Origin.message("zipkin", "spans", Optional.of(3), Optional.of(42L))
            .at("/0/spans/2"))
        .eventTime(T, TimeQuality.SOURCE).observedTime(T.plusSeconds(5))
        .signal("service.name", "catalog").attribute("http.method", "GET");
  }

  private static Event span() {
    return base().span(new SpanPart("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        Optional.of("00f067aa0ba902b6"), Optional.of("GET /items"), SpanKind.SERVER,
        Optional.of("SERVER"), Optional.of(1500L), StatusCode.ERROR, Optional.of("2"),
        Optional.of("timeout"), true, SpanModel.ZIPKIN)).build();
  }

  private static Event bareSpan() {
    return base().span(new SpanPart("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
        Optional.empty(), Optional.empty(), SpanKind.INTERNAL, Optional.empty(), Optional.empty(),
        StatusCode.UNSET, Optional.empty(), Optional.empty(), false)).build();
  }

  private static Event log() {
    return Event.builder().eventId("h", IdKind.CONTENT_HASH)
        .origin(Origin.fileLine("json-logs", "a.ndjson", Optional.empty(), 77L))
        .eventTime(T, TimeQuality.FALLBACK).observedTime(T)
        .log(new LogPart(Severity.WARN, Optional.of(13), Optional.of("warning"),
            Optional.of("disk \"almost\" full\n\u00e9\u4e2d"), Optional.of("ab"),
            Optional.of("cd"))).build();
  }

  private static Event config() {
    return Event.builder().eventId("c", IdKind.SOURCE_ID)
        .origin(Origin.file("k8s", "x.yaml").atLine(12))
        .eventTime(T, TimeQuality.DERIVED).observedTime(T)
        .config(new ConfigPart("Service", Optional.of("v1"), ConfigOperation.UNKNOWN,
            Optional.of("BOOKMARK"), Optional.of("991"), "web", Optional.of("shop"),
            Optional.of("u-1"), new TreeMap<>(Map.of("app", "web", "tier", "front")),
            new TreeMap<>(Map.of("app", "web")),
            List.of(new Reference("part-of", "Deployment", "web", Optional.of("shop"),
                Optional.of("u-0")), new Reference("runs-on", "Node", "n1", Optional.empty(),
                Optional.empty())))).build();
  }

  /** An event whose optional strings hold "" (the builder never makes one; a record can). */
  private static Event emptyOptionals() {
    return new Event("e", IdKind.CONTENT_HASH, Origin.file("x", "y"), EventKind.UNKNOWN,
        Optional.of(""), T, TimeQuality.SOURCE, T, new TreeMap<>(Map.of("k", "")),
        new TreeMap<>(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  public void handBuiltEventsComeBackEqualAndRenderTheSameLine() {
    for (Event e : List.of(span(), bareSpan(), log(), config(), emptyOptionals(),
        base().kind(EventKind.INVENTORY).build(), base().unknownKind("metric").build())) {
      String line = EventJson.toJson(e);
      Event back = EventJson.fromJson(line);
      assertThat(line, back, equalTo(e));
      assertThat(EventJson.toJson(back), equalTo(line));
    }
  }

  @Test
  public void theSpanModelIsWrittenAndRead() {
    assertThat(tree(span()).at("/span/model").asText(), equalTo("ZIPKIN"));
    assertThat(EventJson.fromJson(EventJson.toJson(span())).span().get().model(),
        equalTo(SpanModel.ZIPKIN));
    assertThat(EventJson.fromJson(EventJson.toJson(bareSpan())).span().get().model(),
        equalTo(SpanModel.OTEL));
  }

  private static InvalidEventJson refused(String line) {
    return assertThrows(InvalidEventJson.class, () -> EventJson.fromJson(line));
  }

  /** The event's line, parsed into a tree. */
  private static ObjectNode tree(Event e) {
    try {
      return (ObjectNode) JSON.readTree(EventJson.toJson(e));
    } catch (JsonProcessingException x) {
      throw new AssertionError("Weft wrote a line that is not JSON", x);
    }
  }

  /** The event's JSON, changed by {@code edit}, then read. */
  private static InvalidEventJson refused(Event e, Consumer<ObjectNode> edit) {
    ObjectNode n = tree(e);
    edit.accept(n);
    return refused(n.toString());
  }

  private static void assertRefused(InvalidEventJson x, FailureKind kind, String field,
      String reason) {
    assertThat(x.getMessage(), x.kind(), equalTo(kind));
    assertThat(x.getMessage(), x.field(), equalTo(field));
    assertThat(x.getMessage(), containsString(reason));
    if (!field.isEmpty()) {
      assertThat(x.getMessage(), containsString("'" + field + "'"));
    }
  }

  @Test
  public void linesThatAreNotJsonAreMalformed() {
    assertRefused(refused("{\"eventId\": \"a\""), FailureKind.MALFORMED_SYNTAX, "",
        "not well-formed JSON");
    assertRefused(refused("not json"), FailureKind.MALFORMED_SYNTAX, "", "not well-formed JSON");
    assertRefused(refused(EventJson.toJson(log()) + " {}"), FailureKind.MALFORMED_SYNTAX, "",
        "not well-formed JSON");
    assertRefused(refused(""), FailureKind.EMPTY_INPUT, "", "no JSON value");
    assertRefused(refused("[1]"), FailureKind.WRONG_TYPE, "", "expected a JSON object");
  }

  @Test
  public void aKeyWrittenTwiceIsRefused() {
    String line = EventJson.toJson(log());
    assertRefused(refused(line.replaceFirst("\\{", "{\"eventId\":\"other\",")),
        FailureKind.MALFORMED_SYNTAX, "", "Duplicate field 'eventId'");
  }

  @Test
  public void requiredFieldsAbsentAreNamed() {
    assertRefused(refused(log(), n -> n.remove("eventId")), FailureKind.MISSING_FIELD,
        "eventId", "required");
    assertRefused(refused(log(), n -> n.remove("observedTime")), FailureKind.MISSING_FIELD,
        "observedTime", "required");
    assertRefused(refused(log(), n -> ((ObjectNode) n.get("origin")).remove("resource")),
        FailureKind.MISSING_FIELD, "origin.resource", "required");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("span")).remove("model")),
        FailureKind.MISSING_FIELD, "span.model", "required");
    assertRefused(refused(config(), n -> ((ObjectNode) n.get("config")).remove("labels")),
        FailureKind.MISSING_FIELD, "config.labels", "required");
    assertRefused(refused(config(), n -> ((ObjectNode) n.at("/config/references/1"))
        .remove("targetKind")), FailureKind.MISSING_FIELD, "config.references[1].targetKind",
        "required");
    assertRefused(refused(log(), n -> n.put("eventId", "")), FailureKind.INVALID_VALUE,
        "eventId", "empty");
  }

  @Test
  public void wrongTypesAreNamed() {
    assertRefused(refused(log(), n -> n.put("eventTime", 1714564800000L)), FailureKind.WRONG_TYPE,
        "eventTime", "expected an ISO-8601 instant string, found a number");
    assertRefused(refused(log(), n -> ((ObjectNode) n.get("origin")).put("line", "12")),
        FailureKind.WRONG_TYPE, "origin.line", "expected an integer");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("origin")).put("partition",
        5_000_000_000L)), FailureKind.WRONG_TYPE, "origin.partition", "32-bit");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("span")).put("durationMicros", 1.5)),
        FailureKind.WRONG_TYPE, "span.durationMicros", "expected an integer");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("span")).put("shared", "true")),
        FailureKind.WRONG_TYPE, "span.shared", "expected a boolean");
    assertRefused(refused(log(), n -> ((ObjectNode) n.get("signals")).putNull("host.name")),
        FailureKind.WRONG_TYPE, "signals.host.name", "found null");
    assertRefused(refused(log(), n -> ((ObjectNode) n.get("attributes")).putObject("nested")),
        FailureKind.WRONG_TYPE, "attributes.nested", "found a object");
    assertRefused(refused(log(), n -> n.put("log", "warn")), FailureKind.WRONG_TYPE, "log",
        "expected a JSON object");
    assertRefused(refused(config(), n -> ((ObjectNode) n.get("config")).put("references", "x")),
        FailureKind.WRONG_TYPE, "config.references", "expected an array");
  }

  @Test
  public void unknownEnumNamesAndBadTimesAreInvalidValues() {
    assertRefused(refused(log(), n -> n.put("kind", "METRIC")), FailureKind.INVALID_VALUE,
        "kind", "'METRIC' is not one of [SPAN, LOG, CONFIG, INVENTORY, UNKNOWN]");
    assertRefused(refused(log(), n -> ((ObjectNode) n.get("log")).put("severity", "warn")),
        FailureKind.INVALID_VALUE, "log.severity", "'warn' is not one of");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("span")).put("model", "JAEGER")),
        FailureKind.INVALID_VALUE, "span.model", "'JAEGER' is not one of [OTEL, ZIPKIN]");
    assertRefused(refused(config(), n -> ((ObjectNode) n.get("config")).put("operation", "X")),
        FailureKind.INVALID_VALUE, "config.operation", "is not one of");
    assertRefused(refused(log(), n -> n.put("eventTime", "2024-05-01 12:00:00")),
        FailureKind.INVALID_VALUE, "eventTime", "not an ISO-8601 instant");
  }

  @Test
  public void fieldsWeftNeverWritesAreRefusedNotDropped() {
    assertRefused(refused(log(), n -> n.put("severity", "WARN")), FailureKind.UNSUPPORTED,
        "severity", "not a field of a Weft event");
    assertRefused(refused(span(), n -> ((ObjectNode) n.get("span")).put("parentId", "x")),
        FailureKind.UNSUPPORTED, "span.parentId", "not a field of a Weft event span");
  }
}
