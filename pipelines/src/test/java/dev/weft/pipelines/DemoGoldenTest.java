package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo (every sample under testdata/, Direct runner) against its golden graph,
 * {@code testdata/expected/graph.json}: every node id, and every edge with its endpoints, relation,
 * kind, call count and errors (CALL) or validity (STRUCTURAL). {@code testdata/expected/EXPECTED.md}
 * traces each edge to the input records that make it. Latency quantiles and node attributes are
 * not part of the golden file.
 */
public class DemoGoldenTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reviewed fields of a graph.json, in its own order. */
  static JsonNode reviewed(JsonNode graph) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode nodes = out.putArray("nodes");
    graph.get("nodes").forEach(n -> nodes.add(n.get("id").asText()));
    ArrayNode edges = out.putArray("edges");
    for (JsonNode e : graph.get("edges")) {
      ObjectNode o = edges.addObject();
      for (String f : List.of("from", "relation", "to", "kind")) {
        o.set(f, e.get(f));
      }
      List<String> fields = e.get("kind").asText().equals("CALL")
          ? List.of("count", "errors") : List.of("validFrom", "validTo");
      for (String f : fields) {
        if (e.has(f)) {
          o.set(f, e.get(f));
        }
      }
    }
    return out;
  }

  @Test
  public void theDemoGivesTheReviewedGraph() throws Exception {
    Path testdata = Path.of(System.getProperty("weft.testdata"));
    WeftRun run = WeftRun.of(TMP.newFolder("demo").toPath(),
        RunnerMatrixTest.demoArgs().toArray(new String[0]));
    assertThat(run.toString(), run.exitCode, equalTo(0));
    JsonNode actual = reviewed(JSON.readTree(run.output.resolve("graph.json").toFile()));
    JsonNode expected = JSON.readTree(testdata.resolve("expected/graph.json").toFile());
    // Compared as pretty text so that a failure shows the differing lines.
    assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual),
        equalTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected)));
  }

  /**
   * {@code --outputs=none}: no events-*.jsonl, no bindings-*.jsonl, the same reviewed graph, and a
   * summary whose checks still hold (the events-written check says it was not requested).
   */
  @Test
  public void theDemoWithoutEventsAndBindingsGivesTheSameGraph() throws Exception {
    Path testdata = Path.of(System.getProperty("weft.testdata"));
    List<String> args = new java.util.ArrayList<>(RunnerMatrixTest.demoArgs());
    args.add("--outputs=none");
    WeftRun run = WeftRun.of(TMP.newFolder("demo-graph-only").toPath(),
        args.toArray(new String[0]));
    assertThat(run.toString(), run.exitCode, equalTo(0));
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(run.output)) {
      List<String> names = files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("events-") || n.startsWith("bindings-"))
          .collect(java.util.stream.Collectors.toList());
      assertThat(names.toString(), names.isEmpty(), equalTo(true));
    }
    JsonNode actual = reviewed(JSON.readTree(run.output.resolve("graph.json").toFile()));
    JsonNode expected = JSON.readTree(testdata.resolve("expected/graph.json").toFile());
    assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual),
        equalTo(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected)));
    JsonNode summary = JSON.readTree(run.output.resolve("summary.json").toFile());
    assertThat(summary.toString(), summary.path("violations").size(), equalTo(0));
    assertThat(summary.toString(), summary.path("checks").toString(),
        org.hamcrest.Matchers.containsString("events written: not requested (--outputs)"));
  }

  @Test
  public void anUnknownOutputNameIsRefusedWithTheChoices() throws Exception {
    List<String> args = new java.util.ArrayList<>(RunnerMatrixTest.demoArgs());
    args.add("--outputs=events,graph");
    WeftRun run = WeftRun.of(TMP.newFolder("demo-bad-outputs").toPath(),
        args.toArray(new String[0]));
    assertThat(run.toString(), run.exitCode, org.hamcrest.Matchers.not(equalTo(0)));
    assertThat(run.toString(), run.toString(),
        org.hamcrest.Matchers.containsString("unknown output 'graph'"));
  }
}
