package dev.weft.pipelines.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.OtlpTracesAdapter;
import dev.weft.model.RawRecord;
import dev.weft.adapters.ZipkinAdapter;
import dev.weft.model.Origin;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * The generator's promises, checked on its output with independent readers (Zipkin's own codec,
 * Jackson) rather than on its own counters: determinism, exact size, the rates, and that every
 * shape it claims to write is in the file.
 */
public class TraceGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String generate(GeneratorSettings s) throws IOException {
    StringWriter w = new StringWriter();
    new TraceGenerator(s).write(w);
    return w.toString();
  }

  private static GeneratorSettings zipkin(long lines, long seed) {
    return GeneratorSettings.defaults(lines, seed, GeneratorSettings.Format.ZIPKIN);
  }

  @Test
  public void sameSettingsGiveSameBytesAndAnotherSeedOthers() throws IOException {
    String a = generate(zipkin(3000, 7));
    assertThat(generate(zipkin(3000, 7)), equalTo(a));
    assertThat(generate(zipkin(3000, 8)), not(equalTo(a)));
    GeneratorSettings otlp = GeneratorSettings.defaults(2000, 7, GeneratorSettings.Format.OTLP);
    assertThat(generate(otlp), equalTo(generate(otlp)));
  }

  @Test
  public void writesExactlyTheRequestedLinesWithTheRequestedRates() throws IOException {
    String text = generate(zipkin(20_000, 3));
    String[] lines = text.split("\n", -1);
    assertThat(lines.length - 1, is(20_000));
    assertThat(lines[lines.length - 1], is(""));
    Set<String> seen = new HashSet<>();
    int copies = 0;
    int behind = 0;
    long maxTimestamp = 0;
    for (int i = 0; i < 20_000; i++) {
      if (!seen.add(lines[i])) {
        copies++;
      }
      JsonNode span = JSON.readTree(lines[i]);
      if (span.has("timestamp")) {
        long ts = span.get("timestamp").asLong();
        // A line behind the frontier by more than the 30 s redelivery delay arrived out of order.
        if (ts < maxTimestamp - 30_000_000L) {
          behind++;
        }
        maxTimestamp = Math.max(maxTimestamp, ts);
      }
    }
    assertThat(copies / 20_000.0, closeTo(0.05, 0.01));
    assertThat(behind, greaterThan(200));
  }

  @Test
  public void everyZipkinLineIsReadByZipkinsCodecAndByWeftsAdapter() throws IOException {
    ZipkinAdapter adapter = new ZipkinAdapter();
    for (String line : generate(zipkin(5000, 11)).split("\n")) {
      byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
      SpanBytesDecoder.JSON_V2.decodeOne(bytes);
      AdapterResult r = adapter.parse(new RawRecord(bytes, Origin.file("zipkin", "gen.ndjson"),
          Instant.EPOCH));
      assertThat(line, r.failures(), empty());
      assertThat(r.events().size(), is(1));
    }
  }

  @Test
  public void everyOtlpLineIsReadByWeftsAdapter() throws IOException {
    OtlpTracesAdapter adapter = new OtlpTracesAdapter();
    GeneratorSettings s = GeneratorSettings.defaults(5000, 11, GeneratorSettings.Format.OTLP);
    for (String line : generate(s).split("\n")) {
      AdapterResult r = adapter.parse(new RawRecord(line.getBytes(StandardCharsets.UTF_8),
          Origin.file("otlp-traces", "gen.ndjson"), Instant.EPOCH));
      assertThat(line, r.failures(), empty());
      assertThat(r.events().size(), is(1));
    }
  }

  /** Each Zipkin shape recognised in the decoded spans, by its definition, not by the generator. */
  @Test
  public void theZipkinFileHoldsEveryShape() throws IOException {
    List<Span> spans = new ArrayList<>();
    Map<String, List<Span>> byId = new HashMap<>();
    Map<String, Span> byTraceAndId = new HashMap<>();
    for (String line : new HashSet<>(List.of(generate(zipkin(20_000, 5)).split("\n")))) {
      Span s = SpanBytesDecoder.JSON_V2.decodeOne(line.getBytes(StandardCharsets.UTF_8));
      spans.add(s);
      byId.computeIfAbsent(s.traceId() + s.id(), k -> new ArrayList<>()).add(s);
      if (s.kind() == Span.Kind.SERVER || s.kind() == null) {
        byTraceAndId.putIfAbsent(s.traceId() + s.id() + s.kind(), s);
      }
    }
    Map<String, Integer> found = new HashMap<>();
    for (List<Span> same : byId.values()) {
      long clients = same.stream().filter(s -> s.kind() == Span.Kind.CLIENT).count();
      long servers = same.stream().filter(s -> s.kind() == Span.Kind.SERVER).count();
      boolean flagged = same.stream().anyMatch(s -> Boolean.TRUE.equals(s.shared()));
      if (clients == 1 && servers == 1) {
        found.merge(flagged ? "shared flagged" : "shared unflagged", 1, Integer::sum);
      }
      if (clients == 1 && servers >= 2 && same.stream().filter(s -> s.kind() == Span.Kind.SERVER)
          .map(s -> s.localEndpoint().ipv4()).distinct().count() >= 2) {
        found.merge("multi-host server", 1, Integer::sum);
      }
      if (clients == 1 && same.stream().anyMatch(s -> s.kind() == null
          && s.timestamp() == null && !s.annotations().isEmpty())) {
        found.merge("kind-less fragment", 1, Integer::sum);
      }
    }
    for (Span s : spans) {
      Span parentServer = s.parentId() == null ? null
          : byTraceAndId.get(s.traceId() + s.parentId() + Span.Kind.SERVER);
      if (s.kind() == Span.Kind.SERVER && parentServer != null
          && !byId.get(s.traceId() + s.id()).stream().anyMatch(o -> o.kind() == Span.Kind.CLIENT)
          && !parentServer.localServiceName().equals(s.localServiceName())) {
        found.merge("server to server", 1, Integer::sum);
      }
      Span parentLocal = s.parentId() == null ? null
          : byTraceAndId.get(s.traceId() + s.parentId() + "null");
      if (s.kind() == Span.Kind.CLIENT && parentLocal != null
          && parentLocal.remoteEndpoint() == null && parentLocal.timestamp() != null) {
        found.merge("local between", 1, Integer::sum);
      }
      if (s.kind() == Span.Kind.CLIENT && s.remoteServiceName() != null
          && List.of(ServiceTopology.DATABASES).contains(s.remoteServiceName())) {
        found.merge("uninstrumented remote", 1, Integer::sum);
      }
      if (s.kind() == Span.Kind.PRODUCER && "kafka".equals(s.remoteServiceName())) {
        found.merge("producer to broker", 1, Integer::sum);
      }
      if (s.kind() == Span.Kind.CONSUMER && s.remoteServiceName() != null) {
        found.merge("consumer from broker", 1, Integer::sum);
      }
      if (s.tags().containsKey("error")) {
        found.merge("error " + s.kind(), 1, Integer::sum);
      }
      if (s.kind() == Span.Kind.SERVER && s.timestamp() == null) {
        found.merge("server without timestamp", 1, Integer::sum);
      }
      if (s.kind() == Span.Kind.SERVER && s.parentId() == null) {
        found.merge(s.remoteServiceName() != null ? "root with caller" : "root", 1,
            Integer::sum);
      }
    }
    for (String shape : List.of("shared flagged", "shared unflagged", "multi-host server",
        "kind-less fragment", "server to server", "local between", "uninstrumented remote",
        "producer to broker", "consumer from broker", "error CLIENT", "error SERVER",
        "server without timestamp", "root", "root with caller")) {
      assertThat(shape + " in " + found, found.getOrDefault(shape, 0), greaterThan(5));
    }
  }

  @Test
  public void theOtlpFileHoldsEveryShape() throws IOException {
    GeneratorSettings s = GeneratorSettings.defaults(20_000, 5, GeneratorSettings.Format.OTLP);
    Map<String, Integer> found = new HashMap<>();
    Set<String> clientIds = new HashSet<>();
    List<JsonNode> spans = new ArrayList<>();
    for (String line : generate(s).split("\n")) {
      JsonNode span = JSON.readTree(line).at("/resourceSpans/0/scopeSpans/0/spans/0");
      spans.add(span);
      if (span.get("kind").asInt() == 3) {
        clientIds.add(span.get("spanId").asText());
      }
    }
    for (JsonNode span : spans) {
      int kind = span.get("kind").asInt();
      Map<String, String> attrs = new HashMap<>();
      span.path("attributes").forEach(a -> attrs.put(a.get("key").asText(),
          a.get("value").elements().next().asText()));
      if (kind == 2 && !span.has("parentSpanId")) {
        found.merge("root server", 1, Integer::sum);
      }
      if (kind == 2 && clientIds.contains(span.path("parentSpanId").asText())) {
        found.merge("client/server by parent", 1, Integer::sum);
      }
      if (kind == 3) {
        for (String k : List.of("peer.service", "db.name", "db.system", "server.address",
            "net.peer.name", "http.url")) {
          if (attrs.containsKey(k)) {
            found.merge(k, 1, Integer::sum);
          }
        }
      }
      if (kind == 4) {
        found.merge("producer", 1, Integer::sum);
      }
      String code = attrs.getOrDefault("http.response.status_code",
          attrs.get("http.status_code"));
      boolean statusError = span.path("status").path("code").asInt() == 2;
      if (code != null && code.charAt(0) != '2') {
        found.merge(code.charAt(0) + "xx " + (statusError ? "error" : "unset"), 1, Integer::sum);
      }
    }
    for (String shape : List.of("root server", "client/server by parent", "peer.service",
        "db.name", "db.system", "server.address", "net.peer.name", "http.url", "producer",
        "4xx error", "4xx unset", "5xx error", "5xx unset")) {
      assertThat(shape + " in " + found, found.getOrDefault(shape, 0), greaterThan(5));
    }
  }

  @Test
  public void aShapeLeftOutIsNotWritten() throws IOException {
    GeneratorSettings only = zipkin(3000, 9).withShapes(EnumSet.of(Shape.ZIPKIN_SHARED_UNFLAGGED));
    for (String line : generate(only).split("\n")) {
      Span s = SpanBytesDecoder.JSON_V2.decodeOne(line.getBytes(StandardCharsets.UTF_8));
      assertThat(line, s.shared(), is(org.hamcrest.Matchers.nullValue()));
      assertThat(line, s.kind() == Span.Kind.CLIENT || s.kind() == Span.Kind.SERVER, is(true));
      assertThat(line, s.tags().containsKey("error"), is(false));
      assertThat(line, s.timestamp(), is(org.hamcrest.Matchers.notNullValue()));
    }
  }
}
