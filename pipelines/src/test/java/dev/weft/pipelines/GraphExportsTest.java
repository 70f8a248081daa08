package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.graphml.GraphMLImporter;
import org.junit.Assume;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * graph.json exported to DOT and GraphML: the GraphML read back by JGraphT's importer and a plain
 * XML parser holds graph.json's nodes and edges; Graphviz renders the demo's DOT file.
 */
public class GraphExportsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two nodes, one entity only named by an edge, a call and two relations between one pair. */
  private static final String SMALL = "{\"nodes\":["
      + "{\"id\":\"service:a\",\"type\":\"service\",\"events\":3,\"firstSeen\":\"2024-05-01T10:00:00Z\"},"
      + "{\"id\":\"k8s.pod:shop/a-1\",\"type\":\"k8s.pod\",\"events\":1}],"
      + "\"edges\":["
      + "{\"from\":\"service:a\",\"relation\":\"calls\",\"to\":\"database:pg@db\",\"kind\":\"CALL\","
      + "\"count\":4,\"errors\":1,\"windows\":[{\"p99Micros\":1500},{\"p99Micros\":120000}]},"
      + "{\"from\":\"k8s.pod:shop/a-1\",\"relation\":\"runs-on\",\"to\":\"service:a\","
      + "\"kind\":\"STRUCTURAL\",\"validFrom\":\"2024-05-01T10:00:00Z\"},"
      + "{\"from\":\"k8s.pod:shop/a-1\",\"relation\":\"uses\",\"to\":\"service:a\","
      + "\"kind\":\"STRUCTURAL\",\"validFrom\":\"2024-05-01T10:00:00Z\"}]}";

  @Test
  public void graphMlReadBackByJGraphTHoldsEveryNodeAndEdge() throws Exception {
    String xml = GraphExports.convert(SMALL, GraphExports.Format.GRAPHML);
    Graph<String, DefaultEdge> g = new DirectedPseudograph<>(DefaultEdge.class);
    GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
    importer.setVertexFactory(id -> id);
    Map<String, String> labels = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    importer.addVertexAttributeConsumer((p, a) -> {
      if (p.getSecond().equals("label")) {
        labels.put(a.getValue(), p.getFirst());
      } else if (p.getSecond().equals("type")) {
        types.put(p.getFirst(), a.getValue());
      }
    });
    // The importer validates against the GraphML schema: an invalid id fails here.
    importer.importGraph(g, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    // The entity named only by an edge (the inferred database) is a node of the export too.
    assertThat(labels.keySet(),
        equalTo(Set.of("service:a", "k8s.pod:shop/a-1", "database:pg@db")));
    assertThat(g.vertexSet().size(), is(3));
    assertThat(g.edgeSet().size(), is(3));
    assertThat(g.getAllEdges(labels.get("k8s.pod:shop/a-1"), labels.get("service:a")).size(),
        is(2));
    assertThat(types.get(labels.get("k8s.pod:shop/a-1")), is("k8s.pod"));
  }

  @Test
  public void dotCarriesCallCountsTheWorstP99AndDashedStructuralEdges() {
    String dot = GraphExports.convert(SMALL, GraphExports.Format.DOT);
    assertThat(dot, containsString("digraph weft {"));
    assertThat(dot, containsString("label=\"4 calls, 1 err, p99 120 ms\""));
    assertThat(dot, containsString("label=\"database:pg@db\""));
    assertThat(dot.split("style=\"dashed\"", -1).length - 1, is(2));
  }

  @Test
  public void unknownFormatIsAConfigurationErrorNamingTheFlag() {
    try {
      GraphExports.Format.parse(List.of("json", "svg"));
      throw new AssertionError("svg accepted");
    } catch (InvalidConfiguration e) {
      assertThat(e.getMessage(), containsString("--graphFormat: unknown format 'svg'"));
    }
  }

  /** The id of the GraphML key that holds node labels. */
  private static String labelKey(Document doc) {
    NodeList keys = doc.getElementsByTagName("key");
    for (int i = 0; i < keys.getLength(); i++) {
      Element k = (Element) keys.item(i);
      if (k.getAttribute("for").equals("node") && k.getAttribute("attr.name").equals("label")) {
        return k.getAttribute("id");
      }
    }
    throw new AssertionError("no node label key in the GraphML");
  }

  @Test
  public void demoExportsMatchGraphJsonAndGraphvizRendersTheDot() throws Exception {
    Path out = DemoOutput.get();
    JsonNode graph = JSON.readTree(out.resolve("graph.json").toFile());
    Set<String> ids = new HashSet<>();
    graph.path("nodes").forEach(n -> ids.add(n.path("id").asText()));
    graph.path("edges").forEach(e -> {
      ids.add(e.path("from").asText());
      ids.add(e.path("to").asText());
    });

    // An independent reader: the JDK's XML parser, not JGraphT.
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(out.resolve("graph.graphml").toFile());
    NodeList nodes = doc.getElementsByTagName("node");
    Set<String> exported = new HashSet<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      NodeList data = ((Element) nodes.item(i)).getElementsByTagName("data");
      for (int j = 0; j < data.getLength(); j++) {
        Element d = (Element) data.item(j);
        if (d.getAttribute("key").equals(labelKey(doc))) {
          exported.add(d.getTextContent());
        }
      }
    }
    assertThat(nodes.getLength(), is(ids.size()));
    assertThat(exported, equalTo(ids));
    assertThat(doc.getElementsByTagName("edge").getLength(), is(graph.path("edges").size()));

    String dot = Files.readString(out.resolve("graph.dot"));
    assertThat(dot.split(" -> ", -1).length - 1, is(graph.path("edges").size()));

    Assume.assumeTrue("Graphviz 'dot' is not installed and could not be (apt-get install graphviz)",
        Tools.ensureInstalled("dot", "graphviz"));
    Path svg = Files.createTempFile("weft-demo-", ".svg");
    Process p = new ProcessBuilder("dot", "-Tsvg", out.resolve("graph.dot").toString(),
        "-o", svg.toString()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("dot -Tsvg finished", p.waitFor(60, TimeUnit.SECONDS), is(true));
    assertThat("dot -Tsvg said: " + said, p.exitValue(), is(0));
    assertThat(Files.readString(svg), containsString("<svg"));
  }
}
