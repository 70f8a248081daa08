package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.weft.io.EventJson;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.Origin;
import dev.weft.model.SpanModel;
import dev.weft.testing.RealData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Every event that a real adapter makes from the project's samples and the real third-party ones
 * comes back unchanged through its JSON line: {@code fromJson(toJson(e)).equals(e)}, {@code
 * toJson(fromJson(toJson(e)))} is the same line, and the {@code weft-events} adapter reading that
 * line as a file would give it yields the same event. Each group also checks that its samples
 * exercise the fields it is there for (parents, shared Zipkin ids, selectors, references, ...), so
 * a sample that stopped producing them would not leave a field untested.
 */
public class WeftEventsRoundTripTest {
  private static final Instant OBSERVED = Instant.parse("2026-01-01T00:00:00Z");
  private static final WeftEventsAdapter REPLAY = new WeftEventsAdapter();

  /** The file as the reader gives a document: one record. */
  private static List<Event> document(SourceAdapter adapter, Path file) throws IOException {
    RawRecord raw = new RawRecord(Files.readAllBytes(file),
        Origin.file(adapter.format(), file.toString()), OBSERVED);
    return adapter.parse(raw).events();
  }

  /** The file as the reader gives a line file: one record per line, with line and byte offset. */
  private static List<Event> lines(SourceAdapter adapter, Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    List<Event> out = new ArrayList<>();
    int start = 0;
    long line = 1;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n') {
        if (i > start) {
          byte[] record = java.util.Arrays.copyOfRange(b, start, i);
          out.addAll(adapter.parse(new RawRecord(record, Origin.fileLine(adapter.format(),
              file.toString(), Optional.of(line), start), OBSERVED)).events());
        }
        line++;
        start = i + 1;
      }
    }
    return out;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
          .collect(Collectors.toList());
    }
  }

  /** The round trip, three ways; returns the events for the coverage checks. */
  private static List<Event> assertRoundTrips(String what, List<Event> events) {
    assertThat(what + " gave no events", events, is(not(empty())));
    for (Event e : events) {
      String line = EventJson.toJson(e);
      Event back = EventJson.fromJson(line);
      assertThat(what + ": " + line, back, equalTo(e));
      assertThat(what, EventJson.toJson(back), equalTo(line));
      AdapterResult replayed = REPLAY.parse(new RawRecord(line.getBytes(StandardCharsets.UTF_8),
          Origin.fileLine(WeftEventsAdapter.FORMAT, "events-00000-of-00001.jsonl",
              Optional.of(7L), 1234L), OBSERVED));
      assertThat(what + ": " + replayed.failures(), replayed.failures(), is(empty()));
      assertThat(what, replayed.events(), equalTo(List.of(e)));
    }
    return events;
  }

  private static void assertSome(String what, List<Event> events, Predicate<Event> p) {
    assertThat(what, events.stream().anyMatch(p), is(true));
  }

  private static Path testdata(String relative) {
    return RealData.testdata(relative);
  }

  private static InventoryAdapter inventory(String mapping) throws IOException {
    return new InventoryAdapter(InventoryMapping.load(testdata("inventory/" + mapping)));
  }

  @Test
  public void projectSpansRoundTrip() throws IOException {
    List<Event> all = new ArrayList<>();
    all.addAll(assertRoundTrips("otlp", document(new OtlpTracesAdapter(),
        testdata("otlp/shop-traces.json"))));
    all.addAll(assertRoundTrips("servicegraph", document(new OtlpTracesAdapter(),
        testdata("servicegraph/otlp-traces.json"))));
    all.addAll(assertRoundTrips("zipkin", document(new ZipkinAdapter(),
        testdata("zipkin/catalog-spans.json"))));
    all.addAll(assertRoundTrips("jaeger", document(new JaegerAdapter(),
        testdata("jaeger/catalog-trace.json"))));
    assertSome("a root span", all, e -> e.span().get().parentSpanId().isEmpty());
    assertSome("a child span", all, e -> e.span().get().parentSpanId().isPresent());
    assertSome("a shared Zipkin half", all, e -> e.span().get().shared());
    assertSome("a Zipkin-model span", all, e -> e.span().get().model() == SpanModel.ZIPKIN);
    assertSome("an OTel-model span", all, e -> e.span().get().model() == SpanModel.OTEL);
    assertSome("a status message", all, e -> e.span().get().statusMessage().isPresent());
    assertSome("a duration", all, e -> e.span().get().durationMicros().isPresent());
    assertSome("a JSON pointer in the origin", all, e -> e.origin().pointer().isPresent());
  }

  @Test
  public void projectLogsRoundTrip() throws IOException {
    List<Event> all = new ArrayList<>();
    all.addAll(assertRoundTrips("json-logs", lines(new JsonLogsAdapter(),
        testdata("logs/shop.ndjson"))));
    all.addAll(assertRoundTrips("syslog", document(new SyslogAdapter(),
        testdata("syslog/nodes.syslog"))));
    assertSome("a log with a trace id", all, e -> e.log().get().traceId().isPresent());
    assertSome("a log without trace context", all, e -> e.log().get().traceId().isEmpty());
    assertSome("a severity number", all, e -> e.log().get().severityNumber().isPresent());
    assertSome("an origin line", all, e -> e.origin().line().isPresent());
    assertSome("an origin byte offset", all, e -> e.origin().byteOffset().isPresent());
  }

  @Test
  public void projectKubernetesObjectsRoundTrip() throws IOException {
    List<Event> all = new ArrayList<>();
    all.addAll(assertRoundTrips("k8s yaml", document(new KubernetesAdapter(),
        testdata("k8s/shop-cluster.yaml"))));
    all.addAll(assertRoundTrips("k8s ndjson", lines(new KubernetesAdapter(),
        testdata("k8s/checkout-rollout.ndjson"))));
    assertSome("a selector", all, e -> !e.config().get().selector().isEmpty());
    assertSome("no selector", all, e -> e.config().get().selector().isEmpty());
    assertSome("labels", all, e -> !e.config().get().labels().isEmpty());
    assertSome("a reference with a uid", all, e -> e.config().get().references().stream()
        .anyMatch(r -> r.targetUid().isPresent()));
    assertSome("a reference with a namespace", all, e -> e.config().get().references().stream()
        .anyMatch(r -> r.targetNamespace().isPresent()));
    assertSome("a reference without a namespace", all, e -> e.config().get().references()
        .stream().anyMatch(r -> r.targetNamespace().isEmpty()));
    assertSome("a watch event's operation", all,
        e -> e.config().get().operation() != ConfigOperation.SNAPSHOT);
  }

  @Test
  public void projectInventoryRoundTrips() throws IOException {
    List<Event> all = new ArrayList<>();
    all.addAll(assertRoundTrips("cmdb hosts", document(inventory("cmdb-hosts.yaml"),
        testdata("inventory/cmdb-hosts.csv"))));
    all.addAll(assertRoundTrips("cmdb services", lines(inventory("cmdb-services.yaml"),
        testdata("inventory/cmdb-services.ndjson"))));
    assertSome("an inventory event", all, e -> e.kind() == EventKind.INVENTORY);
  }

  @Test
  public void realTracesRoundTrip() throws IOException {
    for (Path f : files(RealData.path("zipkin"), ".json")) {
      assertRoundTrips(f.toString(), document(new ZipkinAdapter(), f));
    }
    for (String name : List.of("example_trace.json", "otlp2jaeger-out.json",
        "trace_success.json")) {
      assertRoundTrips(name, document(new JaegerAdapter(), RealData.path("jaeger/" + name)));
    }
    assertRoundTrips("otlp2jaeger-in", document(new OtlpTracesAdapter(),
        RealData.path("jaeger/otlp2jaeger-in.json")));
    assertRoundTrips("otlp trace", document(new OtlpTracesAdapter(),
        RealData.path("otlp/trace.json")));
  }

  @Test
  public void realLogsRoundTrip() throws IOException {
    List<Event> otlp = assertRoundTrips("otlp logs", document(new OtlpLogsAdapter(),
        RealData.path("otlp/logs.json")));
    assertSome("a log with trace and span ids", otlp,
        e -> e.log().get().traceId().isPresent() && e.log().get().spanId().isPresent());
    for (Path f : files(RealData.path("syslog"), "")) {
      if (!f.getFileName().toString().endsWith(".md") && Files.isRegularFile(f)) {
        assertRoundTrips(f.toString(), document(new SyslogAdapter(), f));
      }
    }
    TextPatterns patterns = TextPatterns.defaults();
    for (String system : List.of("Apache", "HDFS", "Linux", "OpenSSH", "Zookeeper")) {
      assertRoundTrips(system, lines(patterns.adapter(system.toLowerCase(java.util.Locale.ROOT)),
          RealData.path("loghub/" + system + "/" + system + "_2k.log")));
    }
  }

  @Test
  public void realKubernetesObjectsRoundTrip() throws IOException {
    List<Path> yaml = new ArrayList<>(files(RealData.path("kubernetes"), ".yaml"));
    yaml.addAll(files(RealData.path("kubernetes"), ".yml"));
    int events = 0;
    for (Path f : yaml) {
      List<Event> made = document(new KubernetesAdapter(), f);
      // A file of a kind the adapter does not model makes failures only; the others must trip.
      if (!made.isEmpty()) {
        events += assertRoundTrips(f.toString(), made).size();
      }
    }
    assertThat("events from the real Kubernetes samples", events > 0, is(true));
  }

  @Test
  public void realInventoryRoundTrips() throws IOException {
    InventoryAdapter febrl = inventory("febrl.yaml");
    for (String name : List.of("dataset1", "dataset2", "dataset3", "dataset4a", "dataset4b")) {
      assertRoundTrips(name, document(febrl, RealData.path("identity/" + name + ".csv")));
    }
    assertRoundTrips("splink", document(inventory("splink.yaml"),
        RealData.path("identity/fake_1000_from_splink_demos.csv")));
  }
}
