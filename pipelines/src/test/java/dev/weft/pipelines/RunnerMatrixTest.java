package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
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
      args.add(l.replace("testdata/", testdata + "/"));
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
}
