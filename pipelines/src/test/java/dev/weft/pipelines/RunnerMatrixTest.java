package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import dev.weft.options.WeftOptions;
import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The same pipeline on every runner that runs here: the demo input (every sample under testdata/)
 * on Direct, Flink (embedded mini-cluster) and Spark (local[2]) must produce byte-identical
 * graph.json and the same conserved counts. Runs under {@code mvn -Prunners ...}, which puts the
 * Flink and Spark runners on the test classpath; skipped otherwise. Wall time per runner is
 * printed and written to {@code target/runner-matrix.txt}.
 */
public class RunnerMatrixTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(7200);

  static final Map<String, Long> MILLIS = new LinkedHashMap<>();

  @BeforeClass
  public static void onlyUnderTheRunnersProfile() {
    Assume.assumeTrue("runner matrix: run with -Prunners (Flink and Spark on the classpath)",
        Boolean.getBoolean("weft.runnerMatrix"));
  }

  @AfterClass
  public static void report() throws Exception {
    if (MILLIS.isEmpty()) {
      return;
    }
    StringBuilder s = new StringBuilder("runner matrix wall times (ms):\n");
    MILLIS.forEach((k, v) -> s.append("  ").append(k).append(": ").append(v).append('\n'));
    System.out.print(s);
    Files.writeString(Path.of("target", "runner-matrix.txt"), s.toString());
  }

  /** The demo arguments with absolute paths (tests run in the module folder). */
  static List<String> demoArgs() throws Exception {
    Path testdata = Path.of(System.getProperty("weft.testdata"));
    List<String> args = new ArrayList<>();
    for (String line : Files.readAllLines(testdata.resolve("demo.args"), StandardCharsets.UTF_8)) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("--output=")) {
        continue;
      }
      if (l.startsWith("--sources=inventory") && Boolean.getBoolean("weft.matrix.noInventory")) {
        continue;
      }
      args.add(l.replace("testdata/", testdata + "/"));
    }
    // For diagnosis: more arguments from the command line (-Dweft.matrix.args="--a=1 --b=2").
    String extra = System.getProperty("weft.matrix.args", "").trim();
    if (!extra.isEmpty()) {
      args.addAll(List.of(extra.split("\\s+")));
    }
    return args;
  }

  @Test
  public void boundedGraphIsByteIdenticalOnDirectFlinkAndSpark() throws Exception {
    Map<String, String[]> runners = runners();
    Map<String, List<String>> demoBindings = new LinkedHashMap<>();
    Map<String, String> graphs = new LinkedHashMap<>();
    Map<String, String> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> r : runners.entrySet()) {
      List<String> args = new ArrayList<>(demoArgs());
      args.addAll(List.of(r.getValue()));
      Path out = TMP.newFolder(r.getKey()).toPath();
      long t0 = System.nanoTime();
      WeftRun run = WeftRun.of(out, args.toArray(new String[0]));
      MILLIS.put("bounded demo on " + r.getKey(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(r.getKey() + ": " + run, run.exitCode, equalTo(0));
      graphs.put(r.getKey(), Files.readString(out.resolve("graph.json")));
      List<String> lines = new ArrayList<>();
      run.lines("bindings-").forEach(b -> lines.add(b.toString()));
      java.util.Collections.sort(lines);
      demoBindings.put(r.getKey(), lines);
      // Kept for a diff when runners disagree.
      Files.createDirectories(Path.of("target", "runner-matrix"));
      Files.copy(out.resolve("graph.json"), Path.of("target", "runner-matrix",
          r.getKey() + "-graph.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(out.resolve("summary.json"), Path.of("target", "runner-matrix",
          r.getKey() + "-summary.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      JsonNode s = run.summary();
      counts.put(r.getKey(), "read=" + s.path("read") + " normalized=" + s.path("normalized")
          + " deadLettered=" + s.path("deadLettered") + " conserved=" + s.path("conserved"));
    }
    String direct = graphs.get("DirectRunner");
    assertThat(direct.length() > 100, equalTo(true));
    assertThat("Flink graph.json", graphs.get("FlinkRunner"), equalTo(direct));
    assertThat("Spark graph.json", graphs.get("SparkRunner"), equalTo(direct));
    assertThat("Flink bindings", demoBindings.get("FlinkRunner"),
        equalTo(demoBindings.get("DirectRunner")));
    assertThat("Spark bindings", demoBindings.get("SparkRunner"),
        equalTo(demoBindings.get("DirectRunner")));
    assertThat(counts.get("FlinkRunner"), equalTo(counts.get("DirectRunner")));
    assertThat(counts.get("SparkRunner"), equalTo(counts.get("DirectRunner")));
    assertThat(counts.get("DirectRunner"), containsString("conserved=true"));
  }

  /**
   * Generated Zipkin traffic at scale (200,000 lines by default, {@code -Dweft.matrix.spans=N}),
   * with redeliveries, disorder and late arrivals: graph.json byte-identical, the bindings the
   * same multiset of lines (a redelivered event bound twice would show), the same conserved counts
   * and nothing late on every runner. Small inputs hid runner-dependent results before.
   */
  @Test
  public void generatedTrafficGivesTheSameGraphAndBindingsOnEveryRunner() throws Exception {
    int spans = Integer.getInteger("weft.matrix.spans", 200_000);
    Path file = TMP.newFolder("generated").toPath().resolve("spans.ndjson");
    new TraceGenerator(GeneratorSettings.defaults(spans, 7, GeneratorSettings.Format.ZIPKIN))
        .write(file);
    Map<String, String> graphs = new LinkedHashMap<>();
    Map<String, List<String>> bindings = new LinkedHashMap<>();
    Map<String, String> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> r : runners().entrySet()) {
      List<String> args = new ArrayList<>(List.of("--sources=zipkin:" + file));
      args.addAll(List.of(r.getValue()));
      Path out = TMP.newFolder("generated-" + r.getKey()).toPath();
      long t0 = System.nanoTime();
      WeftRun run = WeftRun.of(out, args.toArray(new String[0]));
      MILLIS.put(spans + " generated spans on " + r.getKey(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(r.getKey() + ": " + run, run.exitCode, equalTo(0));
      graphs.put(r.getKey(), Files.readString(out.resolve("graph.json")));
      keep(out, "generated-" + r.getKey());
      List<String> lines = new ArrayList<>();
      for (JsonNode b : run.lines("bindings-")) {
        lines.add(b.toString());
      }
      java.util.Collections.sort(lines);
      bindings.put(r.getKey(), lines);
      JsonNode s = run.summary();
      assertThat(r.getKey() + " late", s.path("late").asLong(), equalTo(0L));
      counts.put(r.getKey(), "read=" + s.path("read") + " unique=" + s.path("unique")
          + " duplicates=" + s.path("duplicates") + " bindings=" + s.path("bindings")
          + " unpairedSpans=" + s.path("unpairedSpans") + " conserved=" + s.path("conserved"));
    }
    String direct = graphs.get("DirectRunner");
    assertThat(direct, containsString("\"CALL\""));
    assertThat(counts.get("DirectRunner"), containsString("read=" + spans));
    for (String runner : List.of("FlinkRunner", "SparkRunner")) {
      assertThat(runner + " graph.json", graphs.get(runner), equalTo(direct));
      assertThat(runner + " bindings", bindings.get(runner).size(),
          equalTo(bindings.get("DirectRunner").size()));
      assertThat(runner + " bindings", bindings.get(runner), equalTo(bindings.get("DirectRunner")));
      assertThat(runner + " counts", counts.get(runner), equalTo(counts.get("DirectRunner")));
    }
  }

  static Map<String, String[]> runners() {
    Map<String, String[]> runners = new LinkedHashMap<>();
    runners.put("DirectRunner", new String[] {"--runner=DirectRunner"});
    runners.put("FlinkRunner", new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"});
    runners.put("SparkRunner", new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]"});
    return runners;
  }

  /** Kept under target/runner-matrix for a diff when runners disagree. */
  static void keep(Path out, String name) throws Exception {
    Path dir = Path.of("target", "runner-matrix", name);
    Files.createDirectories(dir);
    try (java.util.stream.Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("graph")
          || f.getFileName().toString().startsWith("summary")
          || f.getFileName().toString().startsWith("bindings")).toList()) {
        Files.copy(f, dir.resolve(f.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  public void sparkRefusesAStreamingRunAtStartNamingTheFeature() throws Exception {
    WeftOptions options = PipelineOptionsFactory.fromArgs(
            "--runner=SparkRunner", "--sparkMaster=local[2]",
            "--sources=zipkin:kafka://127.0.0.1:9/zipkin-spans",
            "--output=" + TMP.newFolder("spark-streaming").toPath())
        .withValidation().as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    long t0 = System.nanoTime();
    try {
      WeftPipeline.build(p, options, new AdapterCatalog(options));
      throw new AssertionError("a streaming pipeline on Spark must be refused at start");
    } catch (InvalidConfiguration e) {
      MILLIS.put("Spark streaming refusal", (System.nanoTime() - t0) / 1_000_000);
      assertThat(e.getMessage(), containsString("event-time timers in streaming mode"));
      assertThat(e.getMessage(), containsString("FlinkRunner"));
    }
  }

  @Test
  public void streamingKafkaEndsInTheSameUpsertedGraphOnDirectAndFlink() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start();
        KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      long t0 = System.nanoTime();
      KafkaStreamingTest.RevisionRun direct = KafkaStreamingTest.revisionScenario(topics,
          broker.bootstrapServers(), "direct", TMP.newFolder("kafka-direct").toPath(), false);
      MILLIS.put("streaming Kafka on DirectRunner", (System.nanoTime() - t0) / 1_000_000);
      t0 = System.nanoTime();
      KafkaStreamingTest.RevisionRun flink = KafkaStreamingTest.revisionScenario(topics,
          broker.bootstrapServers(), "flink", TMP.newFolder("kafka-flink").toPath(), true,
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
          "--streaming=true", "--attachedMode=false", "--checkpointingInterval=1000");
      MILLIS.put("streaming Kafka on FlinkRunner", (System.nanoTime() - t0) / 1_000_000);

      assertThat(withoutPane(flink.latest()), equalTo(withoutPane(direct.latest())));
      JsonNode instance = flink.latest().get(
          KafkaStreamingTest.latestKey(flink.graph(), KafkaStreamingTest.INSTANCE));
      assertThat(instance.path("timing").asText(), equalTo("LATE"));
      assertThat(instance.path("events").asLong(), equalTo(4L));
      // Flink finalizes checkpoints, and the source commits the offsets of all 5 records.
      assertThat(flink.committed(), equalTo(5L));
    }
  }

  /**
   * The quiet-key case on Flink's unbounded run: an event of a quiet key in a window the watermark
   * has closed is written to late-* by the lateness gate, never dropped by Flink's windows.
   */
  @Test
  public void aQuietKeysEventInAClosedWindowIsWrittenLateOnFlink() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start();
        KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      long t0 = System.nanoTime();
      List<JsonNode> late = KafkaStreamingTest.quietKeyScenario(topics,
          broker.bootstrapServers(), "flink", TMP.newFolder("quiet-flink").toPath(),
          "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2",
          "--streaming=true", "--attachedMode=false", "--checkpointingInterval=1000");
      MILLIS.put("quiet key on FlinkRunner", (System.nanoTime() - t0) / 1_000_000);
      KafkaStreamingTest.assertQuietKeyLate(late);
    }
  }

  /**
   * The final graph without what depends on when panes fired (timing, index, revision): window
   * keys and contents must agree, the firing history may differ between runners.
   */
  private static Map<String, String> withoutPane(Map<String, JsonNode> latest) {
    Map<String, String> out = new java.util.TreeMap<>();
    latest.forEach((k, v) -> {
      com.fasterxml.jackson.databind.node.ObjectNode copy =
          ((com.fasterxml.jackson.databind.node.ObjectNode) v).deepCopy();
      copy.remove(List.of("timing", "paneIndex", "final", "revision"));
      out.put(k.replaceAll("\\|\\d{4}-\\d\\d-\\d\\dT[^|]*$", "|WINDOW"), copy.toString()
          .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "T"));
    });
    return out;
  }
}
