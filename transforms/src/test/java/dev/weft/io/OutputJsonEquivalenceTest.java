package dev.weft.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.DeadLetters;
import dev.weft.adapters.InventoryAdapter;
import dev.weft.adapters.InventoryMapping;
import dev.weft.adapters.JaegerAdapter;
import dev.weft.adapters.JsonLogsAdapter;
import dev.weft.adapters.KubernetesAdapter;
import dev.weft.adapters.OtlpLogsAdapter;
import dev.weft.adapters.OtlpTracesAdapter;
import dev.weft.adapters.ParseFailure;
import dev.weft.adapters.SourceAdapter;
import dev.weft.adapters.SyslogAdapter;
import dev.weft.adapters.TextPatterns;
import dev.weft.adapters.ZipkinAdapter;
import dev.weft.identity.BindingJson;
import dev.weft.model.Binding;
import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.model.Origin;
import dev.weft.model.RawRecord;
import dev.weft.testing.RealData;
import dev.weft.testing.TreeRenderings;
import dev.weft.testing.VariedRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Events, dead letters and bindings render, through the streaming generator, to exactly the bytes
 * of an independent rendering through Jackson's tree model ({@link TreeRenderings}, the renderers
 * Weft had before): field order, number formatting, escaping, absent values and nested objects
 * unchanged. Over generated hostile records (thousands of each kind) and over every event and dead
 * letter the real adapters make from the project's samples and the real third-party ones
 * (skipped when {@code ../shared/realdata} is absent); the lines also parse as JSON and events
 * read back to the same event.
 */
public class OutputJsonEquivalenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant OBSERVED = Instant.parse("2026-01-01T00:00:00Z");

  private static void assertSameEvent(String what, Event e) throws IOException {
    String line = EventJson.toJson(e);
    assertThat(what, line, equalTo(TreeRenderings.event(e)));
    assertThat(what + ": " + line, EventJson.fromJson(line), equalTo(e));
  }

  private static void assertSameDeadLetter(String what, DeadLetter d) {
    assertThat(what, DeadLetterJson.toJson(d), equalTo(TreeRenderings.deadLetter(d)));
  }

  @Test
  public void generatedEventsRenderTheTreeBytesAndReadBack() throws IOException {
    VariedRecords gen = new VariedRecords(9);
    for (int i = 0; i < 20_000; i++) {
      assertSameEvent("generated event " + i, gen.event());
    }
  }

  @Test
  public void generatedDeadLettersRenderTheTreeBytes() {
    VariedRecords gen = new VariedRecords(10);
    int base64 = 0;
    for (int i = 0; i < 10_000; i++) {
      DeadLetter d = gen.deadLetter();
      base64 += d.payloadEncoding().equals("base64") ? 1 : 0;
      assertSameDeadLetter("generated dead letter " + i, d);
    }
    assertThat("dead letters with non-UTF-8 payloads", base64, greaterThan(1000));
  }

  @Test
  public void generatedBindingsRenderTheTreeBytes() {
    VariedRecords gen = new VariedRecords(11);
    for (int i = 0; i < 10_000; i++) {
      Binding b = gen.binding();
      assertThat("generated binding " + i, BindingJson.toJson(b),
          equalTo(TreeRenderings.binding(b)));
    }
  }

  /** The file as one record (documents) or one record per line, as the readers frame them. */
  private static List<RawRecord> records(SourceAdapter adapter, Path file, boolean lines)
      throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (!lines) {
      return List.of(new RawRecord(b, Origin.file(adapter.format(), file.toString()), OBSERVED));
    }
    List<RawRecord> out = new ArrayList<>();
    int start = 0;
    long line = 1;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n') {
        if (i > start) {
          out.add(new RawRecord(Arrays.copyOfRange(b, start, i), Origin.fileLine(
              adapter.format(), file.toString(), Optional.of(line), start), OBSERVED));
        }
        line++;
        start = i + 1;
      }
    }
    return out;
  }

  /**
   * Every event of the records, and a dead letter for every failure of the records damaged three
   * ways (cut in half, an invalid UTF-8 byte inside, a NUL byte inside), made as Normalize makes
   * them; returns how many of each were compared.
   */
  private static int[] assertSame(SourceAdapter adapter, List<RawRecord> records)
      throws IOException {
    int[] counts = new int[2];
    for (RawRecord r : records) {
      for (Event e : adapter.parse(r).events()) {
        assertSameEvent(r.origin().describe(), e);
        counts[0]++;
      }
      byte[] p = r.payload();
      int mid = p.length / 2;
      byte[] badByte = p.clone();
      byte[] nul = p.clone();
      if (p.length > 0) {
        badByte[mid] = (byte) 0xff;
        nul[mid] = 0;
      }
      for (byte[] damaged : List.of(Arrays.copyOf(p, mid), badByte, nul)) {
        AdapterResult result = adapter.parse(new RawRecord(damaged, r.origin(), OBSERVED));
        for (ParseFailure f : result.failures()) {
          byte[] payload = f.fragment() != null ? f.fragment() : damaged;
          assertSameDeadLetter(r.origin().describe(), DeadLetters.of(adapter.format(), f.kind(),
              f.reason(), f.origin(), payload, payload.length, OBSERVED, 512));
          counts[1]++;
        }
      }
    }
    return counts;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)
          && !p.getFileName().toString().endsWith(".md")).sorted().collect(Collectors.toList());
    }
  }

  private static void add(int[] total, int[] counts) {
    total[0] += counts[0];
    total[1] += counts[1];
  }

  @Test
  public void projectSamplesRenderTheTreeBytes() throws IOException {
    int[] n = new int[2];
    add(n, assertSame(new OtlpTracesAdapter(), records(new OtlpTracesAdapter(),
        RealData.testdata("otlp/shop-traces.json"), false)));
    add(n, assertSame(new ZipkinAdapter(), records(new ZipkinAdapter(),
        RealData.testdata("zipkin/catalog-spans.json"), false)));
    add(n, assertSame(new JaegerAdapter(), records(new JaegerAdapter(),
        RealData.testdata("jaeger/catalog-trace.json"), false)));
    add(n, assertSame(new JsonLogsAdapter(), records(new JsonLogsAdapter(),
        RealData.testdata("logs/shop.ndjson"), true)));
    add(n, assertSame(new SyslogAdapter(), records(new SyslogAdapter(),
        RealData.testdata("syslog/nodes.syslog"), true)));
    add(n, assertSame(new KubernetesAdapter(), records(new KubernetesAdapter(),
        RealData.testdata("k8s/shop-cluster.yaml"), false)));
    add(n, assertSame(new KubernetesAdapter(), records(new KubernetesAdapter(),
        RealData.testdata("k8s/checkout-rollout.ndjson"), true)));
    InventoryAdapter hosts = new InventoryAdapter(
        InventoryMapping.load(RealData.testdata("inventory/cmdb-hosts.yaml")));
    add(n, assertSame(hosts, records(hosts, RealData.testdata("inventory/cmdb-hosts.csv"),
        false)));
    assertThat("events compared", n[0], greaterThan(50));
    assertThat("dead letters compared", n[1], greaterThan(50));
  }

  @Test
  public void realSamplesRenderTheTreeBytes() throws IOException {
    int[] n = new int[2];
    for (Path f : files(RealData.path("zipkin"), ".json")) {
      add(n, assertSame(new ZipkinAdapter(), records(new ZipkinAdapter(), f, false)));
    }
    for (String name : List.of("example_trace.json", "otlp2jaeger-out.json",
        "trace_success.json")) {
      add(n, assertSame(new JaegerAdapter(), records(new JaegerAdapter(),
          RealData.path("jaeger/" + name), false)));
    }
    add(n, assertSame(new OtlpTracesAdapter(), records(new OtlpTracesAdapter(),
        RealData.path("otlp/trace.json"), false)));
    add(n, assertSame(new OtlpLogsAdapter(), records(new OtlpLogsAdapter(),
        RealData.path("otlp/logs.json"), false)));
    for (Path f : files(RealData.path("syslog"), "")) {
      add(n, assertSame(new SyslogAdapter(), records(new SyslogAdapter(), f, true)));
    }
    TextPatterns patterns = TextPatterns.defaults();
    for (String system : List.of("Apache", "HDFS", "Linux", "OpenSSH", "Zookeeper")) {
      SourceAdapter a = patterns.adapter(system.toLowerCase(Locale.ROOT));
      add(n, assertSame(a, records(a, RealData.path("loghub/" + system + "/" + system
          + "_2k.log"), true)));
    }
    List<Path> yaml = new ArrayList<>(files(RealData.path("kubernetes"), ".yaml"));
    yaml.addAll(files(RealData.path("kubernetes"), ".yml"));
    for (Path f : yaml) {
      add(n, assertSame(new KubernetesAdapter(), records(new KubernetesAdapter(), f, false)));
    }
    InventoryAdapter febrl = new InventoryAdapter(
        InventoryMapping.load(RealData.testdata("inventory/febrl.yaml")));
    for (String name : List.of("dataset1", "dataset2", "dataset3", "dataset4a", "dataset4b")) {
      add(n, assertSame(febrl, records(febrl, RealData.path("identity/" + name + ".csv"),
          false)));
    }
    assertThat("events compared", n[0], greaterThan(5000));
    assertThat("dead letters compared", n[1], greaterThan(5000));
    System.out.printf("real samples: %,d events and %,d dead letters render the tree bytes%n",
        n[0], n[1]);
  }
}
