package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import static dev.weft.adapters.TraceTesting.OBSERVED;
import static dev.weft.adapters.TraceTesting.assertRoundTrips;
import static dev.weft.adapters.TraceTesting.raw;
import static dev.weft.adapters.TraceTesting.real;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

public class ZipkinAdapterTest {
  private final ZipkinAdapter adapter = new ZipkinAdapter();

  static List<String> realFiles() throws IOException {
    try (Stream<Path> files = Files.list(RealData.path("zipkin"))) {
      return files.map(p -> "zipkin/" + p.getFileName()).filter(n -> n.endsWith(".json"))
          .sorted().collect(Collectors.toList());
    }
  }

  static int countSpans(JsonNode root) {
    return root.isArray() ? root.size() : 1;
  }

  private AdapterResult parseReal(String relative) {
    AdapterResult r = adapter.parse(real(ZipkinAdapter.FORMAT, relative));
    assertThat("failures of " + relative, r.failures(), empty());
    assertThat(relative, r.events().size(), equalTo(countSpans(TraceTesting.tree(relative))));
    assertRoundTrips(r.events());
    return r;
  }

  @Test
  public void describesItself() {
    assertThat(adapter.format(), equalTo("zipkin"));
    assertThat(adapter.fileFraming(), equalTo(Framing.DOCUMENT));
  }

  @Test
  public void readsEveryRealFileWithDistinctIdsPerSpanHalf() throws IOException {
    List<String> files = realFiles();
    assertThat(files.size(), equalTo(10));
    for (String f : files) {
      AdapterResult r = parseReal(f);
      // None of the samples repeats a span half, so every event id is distinct.
      assertThat(f, TraceTesting.ids(r.events()), hasSize(r.events().size()));
      for (Event e : r.events()) {
        assertThat(e.timeQuality(), equalTo(TimeQuality.SOURCE));
      }
    }
  }

  @Test
  public void clientAndServerHalvesOfOneRpcAreTwoEvents() {
    List<Event> events = parseReal("zipkin/skew.json").events();
    List<Event> halves = events.stream()
        .filter(e -> e.span().get().spanId().equals("74280ae0c10d8062"))
        .collect(Collectors.toList());
    assertThat(halves, hasSize(2));
    Event server = halves.stream().filter(e -> e.span().get().shared()).findFirst().orElseThrow();
    Event client = halves.stream().filter(e -> !e.span().get().shared()).findFirst().orElseThrow();
    // The half, its host and a content hash: the two halves of one id are two events.
    assertThat(server.eventId(), startsWith(
        "span:1e223ff1f80f1c69:74280ae0c10d8062:server-shared@serviceb/192.0.0.0//#"));
    assertThat(server.span().get().kind(), equalTo(SpanKind.SERVER));
    assertThat(server.signals(), hasEntry("service.name", "serviceb"));
    assertThat(client.eventId(), startsWith(
        "span:1e223ff1f80f1c69:74280ae0c10d8062:client@servicea/127.0.0.0//#"));
    assertThat(client.span().get().kind(), equalTo(SpanKind.CLIENT));
    assertThat(client.signals(), hasEntry("service.name", "servicea"));
    assertThat(client.signals(), hasEntry("host.ip", "127.0.0.0"));
    assertThat(client.span().get().parentSpanId(), equalTo(Optional.of("bf396325699c84bf")));
    assertThat(client.eventTime(), equalTo(Instant.ofEpochSecond(1470150004L, 74_202_000L)));
    assertThat(client.span().get().durationMicros(), equalTo(Optional.of(94539L)));
  }

  @Test
  public void envoySpanWithoutLocalServiceNameIsFine() {
    Event e = parseReal("zipkin/envoy.json").events().get(0);
    assertThat(e.signals(), not(hasKey("service.name")));
    assertThat(e.signals(), hasEntry("host.ip", "169.254.65.45"));
    assertThat(e.span().get().shared(), is(true));
    assertThat(e.attributes(), hasEntry("http.url", "http://www.google.com/"));
    assertThat(e.span().get().traceId(), equalTo("978883983d506fa5"));
  }

  @Test
  public void errorTagNonAsciiAndRemoteEndpoint() {
    Event e = parseReal("zipkin/zipkin2-chinese.json").events().get(0);
    SpanPart s = e.span().get();
    assertThat(s.status(), equalTo(StatusCode.ERROR));
    assertThat(s.statusMessage(), equalTo(Optional.of("此用户没有操作权限")));
    assertThat(e.attributes(), not(hasKey("error")));
    assertThat(s.name(), equalTo(Optional.of("个人信息查询")));
    assertThat(e.signals(), hasEntry("service.name", "订单维护服务"));
    assertThat(e.signals(), hasEntry("peer.service", "个人信息服务"));
    assertThat(e.signals(), hasEntry("network.peer.address", "192.168.99.101"));
    assertThat(e.attributes(), hasEntry("network.peer.port", "9000"));
    assertThat(e.signals(), hasEntry("host.ip", "2001:db8::c001"));
    assertThat(s.traceId(), equalTo("4d1e00c0db9010db86154a4ba6e91385"));
  }

  @Test
  public void anEmptyErrorTagIsStillAnError() {
    List<Event> events = parseReal("zipkin/messaging-kafka.json").events();
    long errors = events.stream().filter(e -> e.span().get().isError()).count();
    assertThat(errors, equalTo(3L));
    assertThat(events.stream().filter(e -> e.span().get().isError()
        && e.span().get().statusMessage().isEmpty()).count(), equalTo(1L));
  }

  @Test
  public void annotationsAreCountedAndKept() {
    Event e = parseReal("zipkin/zipkin2-client.json").events().get(0);
    assertThat(e.attributes(), hasEntry("span.events.count", "2"));
    assertThat(e.attributes(), hasEntry("span.events", "[\"foo\",\"bar\"]"));
    assertThat(e.attributes(), hasEntry("clnt/finagle.version", "6.45.0"));
  }

  @Test
  public void aSpanWithoutTimestampTakesItsFirstAnnotationElseTheReadTime() {
    AdapterResult r = adapter.parse(raw(ZipkinAdapter.FORMAT, "[{\"traceId\":\"1\",\"id\":\"2\","
        + "\"annotations\":[{\"timestamp\":20,\"value\":\"b\"},{\"timestamp\":10,\"value\":\"a\"}]},"
        + "{\"traceId\":\"1\",\"id\":\"3\",\"kind\":\"SIDEWAYS\"}]"));
    assertThat(r.failures(), empty());
    Event derived = r.events().get(0);
    assertThat(derived.eventTime(), equalTo(Instant.ofEpochSecond(0, 10_000L)));
    assertThat(derived.timeQuality(), equalTo(TimeQuality.DERIVED));
    assertThat(derived.span().get().traceId(), equalTo("0000000000000001"));
    Event fallback = r.events().get(1);
    assertThat(fallback.eventTime(), equalTo(OBSERVED));
    assertThat(fallback.timeQuality(), equalTo(TimeQuality.FALLBACK));
    assertThat(fallback.span().get().kind(), equalTo(SpanKind.UNKNOWN));
    assertThat(fallback.span().get().rawKind(), equalTo(Optional.of("SIDEWAYS")));
  }

  @Test
  public void eachNdjsonLineIsOneSpanObject() throws IOException {
    for (String f : realFiles()) {
      JsonNode root = TraceTesting.tree(f);
      List<Event> whole = adapter.parse(real(ZipkinAdapter.FORMAT, f)).events();
      List<Event> lines = new ArrayList<>();
      long line = 1;
      for (JsonNode span : root.isArray() ? root : List.of(root)) {
        byte[] bytes = (TraceTesting.TREE.writeValueAsString(span) + "\n")
            .getBytes(StandardCharsets.UTF_8);
        RawRecord raw = new RawRecord(bytes,
            Origin.fileLine(ZipkinAdapter.FORMAT, f, Optional.of(line), 0L), OBSERVED);
        AdapterResult r = adapter.parse(raw);
        assertThat(r.failures(), empty());
        assertThat(r.events(), hasSize(1));
        assertThat(r.events().get(0).origin().line(), equalTo(Optional.of(line)));
        lines.addAll(r.events());
        line++;
      }
      assertThat(lines.size(), equalTo(whole.size()));
      for (int i = 0; i < whole.size(); i++) {
        // Same event apart from where it was read.
        assertThat(lines.get(i).toBuilder().origin(whole.get(i).origin()).build(),
            equalTo(whole.get(i)));
      }
    }
  }

  @Test
  public void aNdjsonFileReadAsOneDocumentKeepsEveryLine() {
    String ndjson = "{\"traceId\":\"a\",\"id\":\"1\",\"timestamp\":1}\n"
        + "{\"traceId\":\"a\",\"id\":\"2\",\"timestamp\":2}\n"
        + "{\"traceId\":\"a\",\"id\":\"3\",\"timestamp\":3}\n";
    AdapterResult r = adapter.parse(raw(ZipkinAdapter.FORMAT, ndjson));
    assertThat(r.failures(), empty());
    assertThat(r.events(), hasSize(3));
    assertThat(r.events().get(2).origin().line(), equalTo(Optional.of(3L)));
  }

  @Test
  public void wrongTypesFailOnlyTheirSpan() {
    AdapterResult r = adapter.parse(raw(ZipkinAdapter.FORMAT, "[{\"traceId\":\"1\",\"id\":\"2\","
        + "\"timestamp\":{}},{\"traceId\":\"1\",\"id\":\"3\"},{\"traceId\":\"1\",\"id\":\"4\","
        + "\"tags\":[]},{\"traceId\":\"1\",\"id\":\"zz\"},\"span\",{\"traceId\":\"1\",\"id\":\"6\","
        + "\"binaryAnnotations\":[]}]"));
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures(), hasSize(5));
    assertThat(r.failures().get(0).kind(), equalTo(FailureKind.WRONG_TYPE));
    assertThat(r.failures().get(0).reason(), containsString("timestamp is an object"));
    assertThat(r.failures().get(0).origin().pointer(), equalTo(Optional.of("/0")));
    assertThat(r.failures().get(1).reason(), containsString("tags is an array"));
    assertThat(r.failures().get(2).kind(), equalTo(FailureKind.INVALID_VALUE));
    assertThat(r.failures().get(3).reason(), containsString("the span is a string"));
    assertThat(r.failures().get(4).kind(), equalTo(FailureKind.UNSUPPORTED));
    assertThat(r.failures().get(4).reason(), containsString("Zipkin v1"));
  }

  @Test
  public void otlpIsRefusedNamingTheRightFormat() {
    AdapterResult r = adapter.parse(real(ZipkinAdapter.FORMAT, "otlp/trace.json"));
    assertThat(r.failures().get(0).kind(), equalTo(FailureKind.UNSUPPORTED));
    assertThat(r.failures().get(0).reason(), containsString("otlp-traces"));
  }
}
