package dev.weft.adapters;

import dev.weft.model.Framing;
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

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class JaegerAdapterTest {
  private final JaegerAdapter adapter = new JaegerAdapter();

  /** Spans in any of the Jaeger shapes of the samples, counted from the tree. */
  static int countSpans(JsonNode root) {
    if (root.has("resourceSpans")) {
      return OtlpTracesAdapterTest.countSpans(root);
    }
    if (root.has("data")) {
      int n = 0;
      for (JsonNode trace : root.get("data")) {
        n += trace.path("spans").size();
      }
      return n;
    }
    return root.size();
  }

  private AdapterResult parseReal(String relative) {
    AdapterResult r = adapter.parse(real(JaegerAdapter.FORMAT, relative));
    assertThat("failures of " + relative, r.failures(), empty());
    assertThat(relative, r.events().size(), equalTo(countSpans(TraceTesting.tree(relative))));
    assertRoundTrips(r.events());
    return r;
  }

  @Test
  public void describesItself() {
    assertThat(adapter.format(), equalTo("jaeger"));
    assertThat(adapter.fileFraming(), equalTo(Framing.DOCUMENT));
  }

  @Test
  public void readsEveryRealFile() {
    for (String f : List.of("jaeger/example_trace.json", "jaeger/trace_success.json",
        "jaeger/otlp2jaeger-out.json", "jaeger/otlp2jaeger-in.json")) {
      parseReal(f);
    }
  }

  @Test
  public void readsTheQueryResponseAsOtlpReadsTheSameSpans() {
    List<Event> jaeger = parseReal("jaeger/otlp2jaeger-out.json").events();
    List<Event> otlp = new OtlpTracesAdapter()
        .parse(real(OtlpTracesAdapter.FORMAT, "jaeger/otlp2jaeger-in.json")).events();
    assertThat(jaeger, hasSize(2));
    // Same span through two formats: one event id, so it is deduplicated downstream.
    assertThat(jaeger.get(0).eventId(), equalTo(otlp.get(0).eventId()));
    assertThat(jaeger.get(1).eventId(), equalTo(otlp.get(0).eventId()));
    Event e = jaeger.get(0);
    SpanPart s = e.span().get();
    assertThat(e.eventTime(), equalTo(otlp.get(0).eventTime()));
    assertThat(e.timeQuality(), equalTo(TimeQuality.SOURCE));
    assertThat(s.kind(), equalTo(SpanKind.SERVER));
    assertThat(s.parentSpanId(), equalTo(Optional.of("909541b92cf05311")));
    assertThat(s.durationMicros(), equalTo(Optional.of(123L)));
    assertThat(s.name(), equalTo(Optional.of("okey-dokey-0")));
    assertThat(e.signals(), equalTo(otlp.get(0).signals()));
    assertThat(e.attributes().get("otel.scope.name"), equalTo("telemetrygen"));
  }

  @Test
  public void readsSpansWithInlineProcessesAndErrors() {
    List<Event> events = parseReal("jaeger/trace_success.json").events();
    Event server = bySpanId(events, "7606ddfe69932d34");
    assertThat(server.span().get().kind(), equalTo(SpanKind.SERVER));
    assertThat(server.span().get().status(), equalTo(StatusCode.UNSET));
    assertThat(server.signals(), hasEntry("service.name", "16af988c443cff37"));
    assertThat(server.span().get().traceId(), equalTo("2be38093ead7a083"));
    assertThat(server.eventId(), equalTo("span:2be38093ead7a083:7606ddfe69932d34"));
    assertThat(server.eventTime(), equalTo(Instant.ofEpochSecond(1605223981L, 761_425_000L)));
    Event client = bySpanId(events, "7bd66f09ba90ea3d");
    assertThat(client.span().get().kind(), equalTo(SpanKind.CLIENT));
    assertThat(client.span().get().status(), equalTo(StatusCode.ERROR));
    assertThat(client.span().get().parentSpanId(), equalTo(Optional.of("7606ddfe69932d34")));
    assertThat(client.signals(), hasEntry("service.name", "3c220036602f839e"));
  }

  @Test
  public void readsOtlpShapedExportsAsOtlp() {
    List<Event> events = parseReal("jaeger/example_trace.json").events();
    assertThat(events, hasSize(5));
    assertThat(bySpanId(events, "0000000000000007").span().get().kind(),
        equalTo(SpanKind.CLIENT));
  }

  @Test
  public void processTagsBecomeSignalsOrAttributes() {
    String json = "{\"data\":[{\"traceID\":\"abc\",\"spans\":[{\"traceID\":\"abc\","
        + "\"spanID\":\"1\",\"operationName\":\"op\",\"startTime\":5,\"duration\":\"0.0015s\","
        + "\"processID\":\"p1\",\"references\":[{\"refType\":\"FOLLOWS_FROM\",\"spanID\":\"9\"},"
        + "{\"refType\":\"FOLLOWS_FROM\",\"spanID\":\"8\"}],"
        + "\"logs\":[{\"timestamp\":5,\"fields\":[{\"key\":\"event\",\"type\":\"string\","
        + "\"value\":\"retry\"}]}],"
        + "\"tags\":[{\"key\":\"n\",\"type\":\"int64\",\"value\":\"42\"},{\"key\":\"f\","
        + "\"type\":\"float64\",\"value\":0.5},{\"key\":\"db.system\",\"type\":\"string\","
        + "\"value\":\"redis\"},{\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":"
        + "\"ERROR\"},{\"key\":\"otel.status_description\",\"type\":\"string\",\"value\":\"bad\"}]}],"
        + "\"processes\":{\"p1\":{\"serviceName\":\"cart\",\"tags\":[{\"key\":\"hostname\","
        + "\"type\":\"string\",\"value\":\"node-1\"},{\"key\":\"ip\",\"type\":\"string\",\"value\":"
        + "\"10.0.0.1\"},{\"key\":\"k8s.pod.name\",\"type\":\"string\",\"value\":\"cart-0\"},"
        + "{\"key\":\"jaeger.version\",\"type\":\"string\",\"value\":\"Go-2.30\"}]}}}]}";
    AdapterResult r = adapter.parse(raw(JaegerAdapter.FORMAT, json));
    assertThat(r.failures(), empty());
    Event e = r.events().get(0);
    assertThat(e.signals(), hasEntry("service.name", "cart"));
    assertThat(e.signals(), hasEntry("host.name", "node-1"));
    assertThat(e.signals(), hasEntry("host.ip", "10.0.0.1"));
    assertThat(e.signals(), hasEntry("k8s.pod.name", "cart-0"));
    assertThat(e.signals(), hasEntry("db.system", "redis"));
    assertThat(e.attributes(), hasEntry("jaeger.version", "Go-2.30"));
    assertThat(e.attributes(), hasEntry("n", "42"));
    assertThat(e.attributes(), hasEntry("f", "0.5"));
    assertThat(e.attributes(), hasEntry("span.links.count", "1"));
    assertThat(e.attributes(), hasEntry("span.events", "[\"retry\"]"));
    SpanPart s = e.span().get();
    assertThat(s.traceId(), equalTo("0000000000000abc"));
    assertThat(s.spanId(), equalTo("0000000000000001"));
    assertThat(s.parentSpanId(), equalTo(Optional.of("0000000000000009")));
    assertThat(s.status(), equalTo(StatusCode.ERROR));
    assertThat(s.statusMessage(), equalTo(Optional.of("bad")));
    assertThat(s.durationMicros(), equalTo(Optional.of(1500L)));
  }

  @Test
  public void eachNdjsonLineIsOneSpanOrOneTrace() throws Exception {
    JsonNode spans = TraceTesting.tree("jaeger/trace_success.json");
    List<Event> lines = new ArrayList<>();
    for (JsonNode span : spans) {
      AdapterResult r = adapter.parse(raw(JaegerAdapter.FORMAT, "line.ndjson",
          TraceTesting.TREE.writeValueAsBytes(span)));
      assertThat(r.failures(), empty());
      lines.addAll(r.events());
    }
    assertThat(lines, hasSize(2));
    JsonNode trace = TraceTesting.tree("jaeger/otlp2jaeger-out.json").get("data").get(0);
    AdapterResult r = adapter.parse(raw(JaegerAdapter.FORMAT, "line.ndjson",
        TraceTesting.TREE.writeValueAsString(trace).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.failures(), empty());
    assertThat(r.events(), hasSize(2));
  }

  @Test
  public void queryErrorsAndWrongTypesAreFailures() {
    AdapterResult errors = adapter.parse(raw(JaegerAdapter.FORMAT,
        "{\"data\":null,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}"));
    assertThat(errors.failures(), hasSize(1));
    assertThat(errors.failures().get(0).reason(), containsString("trace not found"));

    AdapterResult wrong = adapter.parse(raw(JaegerAdapter.FORMAT, "{\"data\":[{\"traceID\":\"1\","
        + "\"spans\":\"none\"},{\"traceID\":\"1\",\"spans\":[{\"traceID\":\"1\",\"spanID\":\"2\","
        + "\"startTime\":{}},{\"traceID\":\"1\",\"spanID\":\"3\",\"startTime\":1}]}]}"));
    assertThat(wrong.events(), hasSize(1));
    assertThat(wrong.failures(), hasSize(2));
    assertThat(wrong.failures().get(0).kind(), equalTo(FailureKind.WRONG_TYPE));
    assertThat(wrong.failures().get(0).reason(), containsString("spans is a string"));
    assertThat(wrong.failures().get(1).origin().pointer(),
        equalTo(Optional.of("/data/1/spans/0")));
    assertThat(wrong.failures().get(1).reason(), containsString("startTime is an object"));
  }
}
