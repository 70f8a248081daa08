package dev.weft.adapters;

import dev.weft.model.Framing;
import static dev.weft.adapters.TraceTesting.OBSERVED;
import static dev.weft.adapters.TraceTesting.assertRoundTrips;
import static dev.weft.adapters.TraceTesting.bySpanId;
import static dev.weft.adapters.TraceTesting.raw;
import static dev.weft.adapters.TraceTesting.real;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.Test;

public class OtlpTracesAdapterTest {
  private final OtlpTracesAdapter adapter = new OtlpTracesAdapter();

  /** Spans in an OTLP/JSON trace request, counted from the tree. */
  static int countSpans(JsonNode root) {
    int n = 0;
    for (JsonNode rs : root.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        n += ss.path("spans").size();
      }
    }
    return n;
  }

  private AdapterResult parseReal(String relative) {
    AdapterResult r = adapter.parse(real(OtlpTracesAdapter.FORMAT, relative));
    assertThat("failures of " + relative, r.failures(), empty());
    assertThat(r.events().size(), equalTo(countSpans(TraceTesting.tree(relative))));
    assertRoundTrips(r.events());
    return r;
  }

  @Test
  public void describesItself() {
    assertThat(adapter.format(), equalTo("otlp-traces"));
    assertThat(adapter.fileFraming(), equalTo(Framing.DOCUMENT));
  }

  @Test
  public void readsTheCanonicalTraceRequest() {
    AdapterResult r = parseReal("otlp/trace.json");
    Event e = r.events().get(0);
    assertThat(e.eventId(), equalTo("span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174"));
    assertThat(e.idKind(), equalTo(IdKind.SOURCE_ID));
    assertThat(e.kind(), equalTo(EventKind.SPAN));
    assertThat(e.eventTime(), equalTo(Instant.ofEpochSecond(1544712660L)));
    assertThat(e.timeQuality(), equalTo(TimeQuality.SOURCE));
    assertThat(e.observedTime(), equalTo(OBSERVED));
    assertThat(e.signals(), hasEntry("service.name", "my.service"));
    assertThat(e.attributes(), hasEntry("my.span.attr", "some value"));
    assertThat(e.attributes(), hasEntry("otel.scope.name", "my.library"));
    assertThat(e.attributes(), hasEntry("otel.scope.version", "1.0.0"));
    assertThat(e.attributes(), hasEntry("my.scope.attribute", "some scope attribute"));
    assertThat(e.origin().pointer(), equalTo(Optional.of("/resourceSpans/0/scopeSpans/0/spans/0")));
    SpanPart s = e.span().orElseThrow();
    assertThat(s.traceId(), equalTo("5b8efff798038103d269b633813fc60c"));
    assertThat(s.spanId(), equalTo("eee19b7ec3c1b174"));
    assertThat(s.parentSpanId(), equalTo(Optional.of("eee19b7ec3c1b173")));
    assertThat(s.kind(), equalTo(SpanKind.SERVER));
    assertThat(s.name(), equalTo(Optional.of("I'm a server span")));
    assertThat(s.durationMicros(), equalTo(Optional.of(1_000_000L)));
    assertThat(s.status(), equalTo(StatusCode.UNSET));
    assertThat(s.shared(), is(false));
  }

  @Test
  public void readsJaegersFiveSpanExampleWithEventsCounted() {
    AdapterResult r = parseReal("jaeger/example_trace.json");
    assertThat(r.events(), hasSize(5));
    assertThat(bySpanId(r.events(), "0000000000000006").span().get().kind(),
        equalTo(SpanKind.SERVER));
    assertThat(bySpanId(r.events(), "0000000000000007").span().get().kind(),
        equalTo(SpanKind.CLIENT));
    Event four = bySpanId(r.events(), "0000000000000004");
    assertThat(four.span().get().kind(), equalTo(SpanKind.UNSPECIFIED));
    assertThat(four.span().get().parentSpanId(), equalTo(Optional.empty()));
    assertThat(four.signals(), hasEntry("service.name", "example-service-2"));
    assertThat(four.attributes(), hasEntry("span.events.count", "2"));
    assertThat(four.span().get().durationMicros(), equalTo(Optional.of(100L)));
    assertThat(r.events().stream().map(e -> e.signals().get("service.name")).distinct().count(),
        equalTo(3L));
  }

  @Test
  public void theSameSpanDeliveredTwiceHasOneEventId() {
    AdapterResult r = parseReal("jaeger/otlp2jaeger-in.json");
    assertThat(r.events(), hasSize(2));
    assertThat(TraceTesting.ids(r.events()), hasSize(1));
    Event e = r.events().get(0);
    assertThat(e.signals(), hasEntry("peer.service", "telemetrygen-client"));
    assertThat(e.signals(), hasEntry("net.peer.ip", "1.2.3.4"));
    assertThat(e.attributes(), hasEntry("peer.service", "telemetrygen-client"));
    assertThat(e.span().get().durationMicros(), equalTo(Optional.of(123L)));
  }

  @Test
  public void metricsAreRefusedWithAHelpfulReason() {
    AdapterResult r = adapter.parse(real(OtlpTracesAdapter.FORMAT, "otlp/metrics.json"));
    assertThat(r.events(), empty());
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), equalTo(FailureKind.UNSUPPORTED));
    assertThat(r.failures().get(0).reason(), containsString("ExportMetricsServiceRequest"));
  }

  @Test
  public void logsAreRefusedNamingTheRightFormat() {
    AdapterResult r = adapter.parse(real(OtlpTracesAdapter.FORMAT, "otlp/logs.json"));
    assertThat(r.failures().get(0).reason(), containsString("otlp-logs"));
  }

  @Test
  public void readsSnakeCaseLegacyScopeEnumNamesAndNumbers() {
    String json = "{\"resource_spans\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"k8s.pod.uid\",\"value\":{\"string_value\":\"uid-1\"}}]},"
        + "\"instrumentation_library_spans\":[{\"instrumentation_library\":{\"name\":\"lib\"},"
        + "\"spans\":[{\"trace_id\":\"0102030405060708090a0b0c0d0e0f10\","
        + "\"span_id\":\"0102030405060708\",\"parent_span_id\":\"\",\"kind\":\"SPAN_KIND_CLIENT\","
        + "\"start_time_unix_nano\":1544712660000000001,\"end_time_unix_nano\":\"1544712660000002001\","
        + "\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"boom\"},"
        + "\"links\":[{},{}],"
        + "\"attributes\":[{\"key\":\"server.address\",\"value\":{\"stringValue\":\"db1\"}},"
        + "{\"key\":\"n\",\"value\":{\"int_value\":7}},"
        + "{\"key\":\"b\",\"value\":{\"bytesValue\":\"AQI=\"}},"
        + "{\"key\":\"nested\",\"value\":{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},"
        + "{\"boolValue\":false},{\"doubleValue\":1.5},{\"kvlistValue\":{\"values\":["
        + "{\"key\":\"q\",\"value\":{\"stringValue\":\"a\\\"b\"}}]}}]}}}]}]}]}]}";
    AdapterResult r = adapter.parse(raw(OtlpTracesAdapter.FORMAT, json));
    assertThat(r.failures(), empty());
    Event e = r.events().get(0);
    SpanPart s = e.span().get();
    assertThat(s.parentSpanId(), equalTo(Optional.empty()));
    assertThat(s.kind(), equalTo(SpanKind.CLIENT));
    assertThat(s.status(), equalTo(StatusCode.ERROR));
    assertThat(s.statusMessage(), equalTo(Optional.of("boom")));
    assertThat(s.durationMicros(), equalTo(Optional.of(2L)));
    assertThat(e.eventTime(), equalTo(Instant.ofEpochSecond(1544712660L, 1)));
    assertThat(e.signals(), hasEntry("k8s.pod.uid", "uid-1"));
    assertThat(e.signals(), hasEntry("server.address", "db1"));
    assertThat(e.attributes(), hasEntry("otel.scope.name", "lib"));
    assertThat(e.attributes(), hasEntry("span.links.count", "2"));
    assertThat(e.attributes(), hasEntry("n", "7"));
    assertThat(e.attributes(), hasEntry("b", "AQI="));
    assertThat(e.attributes(), hasEntry("nested", "[1,false,1.5,{\"q\":\"a\\\"b\"}]"));
    assertRoundTrips(r.events());
  }

  @Test
  public void unknownKindAndStatusKeepTheirRawValue() {
    AdapterResult r = adapter.parse(raw(OtlpTracesAdapter.FORMAT, oneSpan(
        "\"kind\":9,\"status\":{\"code\":7}")));
    SpanPart s = r.events().get(0).span().get();
    assertThat(s.kind(), equalTo(SpanKind.UNKNOWN));
    assertThat(s.rawKind(), equalTo(Optional.of("9")));
    assertThat(s.status(), equalTo(StatusCode.UNKNOWN));
    assertThat(s.rawStatus(), equalTo(Optional.of("7")));
  }

  @Test
  public void aSpanWithoutStartTimeFallsBackToTheObservedTime() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0102030405060708\"}]}]}]}";
    Event e = adapter.parse(raw(OtlpTracesAdapter.FORMAT, json)).events().get(0);
    assertThat(e.eventTime(), equalTo(OBSERVED));
    assertThat(e.timeQuality(), equalTo(TimeQuality.FALLBACK));
    assertThat(e.span().get().durationMicros(), equalTo(Optional.empty()));
  }

  @Test
  public void aBadSpanIsOneFailurePointingAtItAndTheOthersStay() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
        + span("0000000000000001", "") + "," + span("0000000000000002", "") + ","
        + span("0000000000000003", "") + ","
        + "{\"traceId\":\"xyz\",\"spanId\":\"0000000000000004\"},"
        + span("0000000000000000", "") + ","
        + span("0000000000000006", ",\"startTimeUnixNano\":{}") + "]}]}]}";
    AdapterResult r = adapter.parse(raw(OtlpTracesAdapter.FORMAT, json));
    assertThat(r.events(), hasSize(3));
    assertThat(r.failures(), hasSize(3));
    assertThat(r.records(), equalTo(6));
    ParseFailure badHex = r.failures().get(0);
    assertThat(badHex.kind(), equalTo(FailureKind.INVALID_VALUE));
    assertThat(badHex.origin().pointer(),
        equalTo(Optional.of("/resourceSpans/0/scopeSpans/0/spans/3")));
    assertThat(badHex.reason(), containsString("traceId \"xyz\" is not 32 hex digits"));
    assertThat(new String(badHex.fragment(), StandardCharsets.UTF_8), containsString("xyz"));
    assertThat(r.failures().get(1).reason(), containsString("spanId is all zeros"));
    assertThat(r.failures().get(2).kind(), equalTo(FailureKind.WRONG_TYPE));
    assertThat(r.failures().get(2).reason(), containsString("startTimeUnixNano is an object"));
  }

  @Test
  public void spansAsAStringIsOneWrongTypeFailure() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":\"nope\"}]}]}";
    AdapterResult r = adapter.parse(raw(OtlpTracesAdapter.FORMAT, json));
    assertThat(r.events(), empty());
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), equalTo(FailureKind.WRONG_TYPE));
    assertThat(r.failures().get(0).origin().pointer(),
        equalTo(Optional.of("/resourceSpans/0/scopeSpans/0/spans")));
    assertThat(r.failures().get(0).reason(), containsString("is a string, expected an array"));
  }

  @Test
  public void anEmptyRequestHoldsNothing() {
    AdapterResult r = adapter.parse(raw(OtlpTracesAdapter.FORMAT, "{}"));
    assertThat(r.records(), equalTo(0));
  }

  @Test
  public void acceptsBase64IdsAsProtobufWritesThem() {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
        + "\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\",\"spanId\":\"7uGbfsPBsXQ=\","
        + "\"startTimeUnixNano\":\"1\"}]}]}]}";
    SpanPart s = adapter.parse(raw(OtlpTracesAdapter.FORMAT, json)).events().get(0).span().get();
    assertThat(s.traceId(), equalTo("5b8efff798038103d269b633813fc60c"));
    assertThat(s.spanId(), equalTo("eee19b7ec3c1b174"));
  }

  @Test
  public void eventsKeepTheirNames() {
    Event e = adapter.parse(raw(OtlpTracesAdapter.FORMAT, oneSpan(
        "\"events\":[{\"name\":\"exception\"},{\"name\":\"retry\"}]"))).events().get(0);
    assertThat(e.attributes(), hasEntry("span.events", "[\"exception\",\"retry\"]"));
    assertThat(e.attributes(), hasEntry("span.events.count", "2"));
    assertThat(e.attributes(), not(hasEntry("span.links.count", "0")));
  }

  static String span(String spanId, String extra) {
    return "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"" + spanId
        + "\",\"startTimeUnixNano\":\"1544712660000000000\"" + extra + "}";
  }

  static String oneSpan(String extra) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span("0000000000000001",
        "," + extra) + "]}]}]}";
  }
}
