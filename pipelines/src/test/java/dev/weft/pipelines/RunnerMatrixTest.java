package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import dev.weft.options.WeftOptions;
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
  @Rule public final Timeout timeout = Timeout.seconds(900);

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
    Map<String, String[]> runners = new LinkedHashMap<>();
    runners.put("DirectRunner", new String[] {"--runner=DirectRunner"});
    runners.put("FlinkRunner", new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2"});
    runners.put("SparkRunner", new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]"});

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
    assertThat(counts.get("FlinkRunner"), equalTo(counts.get("DirectRunner")));
    assertThat(counts.get("SparkRunner"), equalTo(counts.get("DirectRunner")));
    assertThat(counts.get("DirectRunner"), containsString("conserved=true"));
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
