package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.testing.RealDataDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every real third-party sample through the whole command: the event counts equal the records in
 * each file (spans, log records, objects, lines — counted independently in each adapter's own
 * tests), and the only dead letter is a true statement about its file.
 */
public class RealDataRunTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static WeftRun run;
  private static final Map<String, Integer> EXPECTED = new LinkedHashMap<>();

  @BeforeClass
  public static void runOnAllSamples() throws Exception {
    Path r = RealDataDir.root();
    // FORMAT:PATH -> records in the file(s)
    EXPECTED.put("otlp-traces:" + r + "/otlp/trace.json", 1);
    EXPECTED.put("otlp-traces:" + r + "/jaeger/otlp2jaeger-in.json", 2);
    EXPECTED.put("otlp-logs:" + r + "/otlp/logs.json", 1);
    EXPECTED.put("otlp-logs:" + r + "/otlp/events.json", 1);
    EXPECTED.put("zipkin:" + r + "/zipkin/*.json", 79);
    EXPECTED.put("jaeger:" + r + "/jaeger/example_trace.json", 5);
    EXPECTED.put("jaeger:" + r + "/jaeger/trace_success.json", 2);
    EXPECTED.put("jaeger:" + r + "/jaeger/otlp2jaeger-out.json", 2);
    EXPECTED.put("syslog:" + r + "/syslog/RFC*", 2);
    EXPECTED.put("syslog:" + r + "/syslog/rfc*", 5);
    // 138 objects in 50 files; config/1.yaml is popeye's own settings, not a Kubernetes object.
    EXPECTED.put("k8s:" + r + "/kubernetes/popeye/**/*.yaml", 138);
    for (String[] s : new String[][] {{"apache", "Apache"}, {"hdfs", "HDFS"}, {"linux", "Linux"},
        {"openssh", "OpenSSH"}, {"zookeeper", "Zookeeper"}}) {
      EXPECTED.put("text-logs." + s[0] + ":" + r + "/loghub/" + s[1] + "/" + s[1] + "_2k.log", 2000);
    }
    List<String> args = new ArrayList<>();
    EXPECTED.keySet().forEach(k -> args.add("--sources=" + k));
    run = WeftRun.of(TMP.newFolder("out").toPath(), args.toArray(new String[0]));
  }

  @Test
  public void everyRecordOfEverySampleIsRead() throws Exception {
    assertThat(run.toString(), run.exitCode, equalTo(0));
    JsonNode sources = run.summary().get("sources");
    for (Map.Entry<String, Integer> e : EXPECTED.entrySet()) {
      assertThat(e.getKey(), sources.get(e.getKey()).get("read").asInt(), equalTo(e.getValue()));
    }
  }

  @Test
  public void theOnlyDeadLetterIsPopeyesOwnConfigFile() throws Exception {
    List<JsonNode> letters = run.lines("deadletters-");
    assertThat(letters.size(), equalTo(1));
    JsonNode d = letters.get(0);
    assertThat(d.get("origin").get("resource").asText().endsWith("popeye/config/1.yaml"),
        equalTo(true));
    assertThat(d.get("errorClass").asText(), equalTo("MISSING_FIELD"));
  }

  /**
   * The README's sentence about the real samples ("10,238 records read, ... 14 call edges and 48
   * structural edges") holds figures of this very run: the same sources as testdata/realdata.args.
   */
  @Test
  public void theReadmeFiguresOfTheRealSamplesAreThisRunsFigures() throws Exception {
    Path root = Path.of(System.getProperty("weft.testdata")).getParent();
    java.util.Set<String> argsFile = new java.util.TreeSet<>();
    for (String l : java.nio.file.Files.readAllLines(root.resolve("testdata/realdata.args"))) {
      if (l.startsWith("--sources=")) {
        argsFile.add(l.substring("--sources=".length())
            .replace("../shared/realdata", RealDataDir.root().toString()));
      }
    }
    assertThat(argsFile, equalTo(new java.util.TreeSet<>(EXPECTED.keySet())));

    String readme = java.nio.file.Files.readString(root.resolve("README.md")).replaceAll("\\s+", " ");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("On the real samples .*?: "
        + "([\\d,]+) records read, ([\\d,]+) normalized, (\\d+) dead letter.*? ([\\d,]+) duplicates "
        + ".*? (\\d+) nodes, (\\d+) call edges and (\\d+) structural edges").matcher(readme);
    assertThat("README states the real-sample figures", m.find(), equalTo(true));
    JsonNode s = run.summary();
    JsonNode totals = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(run.output.resolve("graph.json").toFile()).get("totals");
    // All figures at once, so a changed run names every figure the README must change.
    java.util.Map<String, java.util.List<Long>> figures = new java.util.LinkedHashMap<>();
    figures.put("records read", java.util.List.of(number(m.group(1)), s.get("read").asLong()));
    figures.put("normalized", java.util.List.of(number(m.group(2)), s.get("normalized").asLong()));
    figures.put("dead letters", java.util.List.of(number(m.group(3)),
        s.get("deadLettered").asLong()));
    figures.put("duplicates", java.util.List.of(number(m.group(4)), s.get("duplicates").asLong()));
    figures.put("nodes", java.util.List.of(number(m.group(5)), totals.get("nodes").asLong()));
    figures.put("call edges", java.util.List.of(number(m.group(6)),
        totals.get("callEdges").asLong()));
    // Structural edges are an equality again: the 74-or-76 by run was a selector matched against
    // whichever state of popeye's svc1 (two files) arrived last (KubernetesStructureTest).
    figures.put("structural edges", java.util.List.of(number(m.group(7)),
        totals.get("edges").asLong() - totals.get("callEdges").asLong()));
    java.util.List<String> wrong = new java.util.ArrayList<>();
    figures.forEach((name, v) -> {
      if (!v.get(0).equals(v.get(1))) {
        wrong.add(name + ": README " + v.get(0) + ", run " + v.get(1));
      }
    });
    assertThat(String.join("; ", wrong), wrong.isEmpty(), equalTo(true));
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  @Test
  public void theArithmeticHolds() throws Exception {
    JsonNode s = run.summary();
    assertThat(s.get("conserved").asBoolean(), equalTo(true));
    assertThat(s.get("normalized").asInt(), equalTo(10237));
  }
}
