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
}
