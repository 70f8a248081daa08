package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The graph page on a graph of about 300 nodes in a real browser (headless Chromium): a Weft run
 * over generated Zipkin traffic (tens of services calling each other, with their hosts and
 * instances) plus generated Kubernetes objects in ten namespaces, both made here from fixed
 * seeds. The page's default layout must keep it readable, as measured with Cytoscape's own
 * geometry after the page has laid it out and fitted it into the window:
 *
 * <ul>
 *   <li>no browser warning or error;
 *   <li>every drawn node inside the visible canvas;
 *   <li>no two node shapes overlapping (their bounding boxes without labels, 0.5 px tolerance);
 *   <li>each namespace box holds its namespace's nodes and no other node, and no two namespace
 *       boxes overlap;
 *   <li>for every call edge whose ends are in different strongly connected components of the call
 *       graph (the acyclic part, computed here from graph.json with JGraphT, not by the page), the
 *       caller's centre is above the callee's centre.
 * </ul>
 *
 * A screenshot is kept at {@code target/view-300-screenshot.png}, the run and its page in {@code
 * target/view-300-run/}.
 */
public class LargeGraphViewBrowserTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOLERANCE = 0.5;
  static final int NAMESPACES = 10;

  private static HeadlessChromium browser;
  private static JsonNode graph;
  private static Map<String, Box> nodes;
  private static Map<String, Box> groups;
  private static Box canvas;
  private static long pageMillis;

  /** A node's or group's box: model coordinates, rendered ones, and its namespace parent. */
  record Box(String id, String parent, double x1, double y1, double x2, double y2,
      double rx1, double ry1, double rx2, double ry2) {
    boolean overlaps(Box o) {
      return x1 + TOLERANCE < o.x2 && o.x1 + TOLERANCE < x2 && y1 + TOLERANCE < o.y2
          && o.y1 + TOLERANCE < y2;
    }

    boolean contains(Box o) {
      return o.x1 >= x1 && o.x2 <= x2 && o.y1 >= y1 && o.y2 <= y2;
    }

    double centreY() {
      return (y1 + y2) / 2;
    }
  }

  @BeforeClass
  public static void openLargePage() throws Exception {
    HeadlessChromium.assumeInstalled();
    Path in = TMP.newFolder("in").toPath();
    Path spans = in.resolve("spans.ndjson");
    new TraceGenerator(GeneratorSettings.defaults(1500, 7, GeneratorSettings.Format.ZIPKIN)
        .withRates(0, 0, 0)).write(spans);
    Path cluster = in.resolve("cluster.ndjson");
    writeCluster(cluster);
    // Kept under target/ with the screenshot, so a person can open the page the test measured.
    Path out = Path.of("target", "view-300-run").toAbsolutePath();
    deleteRecursively(out);
    WeftRun run = WeftRun.of(out, "--sources=zipkin:" + spans, "--sources=k8s:" + cluster);
    assertThat(run.toString(), run.exitCode, equalTo(0));
    graph = JSON.readTree(out.resolve("graph.json").toFile());
    Path page = ViewCommand.write(out);
    long start = System.nanoTime();
    browser = HeadlessChromium.open(page, Duration.ofSeconds(120));
    pageMillis = (System.nanoTime() - start) / 1_000_000;
    readGeometry();
    System.out.printf("LargeGraphViewBrowserTest: %d nodes, %d edges; Chromium started, loaded the"
        + " page and laid it out in %d ms (layout %s ms in the page), zoom after fit %.2f%n", graph.path("nodes").size(),
        graph.path("edges").size(), pageMillis, browser.js("return weftView.layoutMillis;"),
        ((Number) browser.js("return weftView.cy.zoom();")).doubleValue());
    browser.screenshot("view-300-screenshot.png");
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  @AfterClass
  public static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  /**
   * Kubernetes objects in {@link #NAMESPACES} namespaces on four nodes: per namespace the
   * namespace, two deployments with a replica set and four pods each, and a service selecting
   * each deployment's pods (the structural edges the page draws dashed).
   */
  static void writeCluster(Path file) throws Exception {
    String created = "2026-01-01T00:00:00Z";
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int n = 1; n <= 4; n++) {
        ObjectNode node = object("v1", "Node", "node-" + n, null, created);
        node.putObject("status").putArray("addresses").addObject().put("type", "InternalIP")
            .put("address", "192.168.10." + n);
        w.write(JSON.writeValueAsString(node) + "\n");
      }
      for (int s = 0; s < NAMESPACES; s++) {
        String ns = String.format("team-%02d", s);
        w.write(JSON.writeValueAsString(object("v1", "Namespace", ns, null, created)) + "\n");
        for (String app : new String[] {"api", "worker"}) {
          ObjectNode dep = object("apps/v1", "Deployment", app, ns, created);
          dep.with("metadata").putObject("labels").put("app", app);
          dep.putObject("spec").putObject("selector").putObject("matchLabels").put("app", app);
          w.write(JSON.writeValueAsString(dep) + "\n");
          String rsName = app + "-" + (100 + s);
          ObjectNode rs = object("apps/v1", "ReplicaSet", rsName, ns, created);
          owner(rs, "apps/v1", "Deployment", app, ns);
          rs.with("metadata").putObject("labels").put("app", app);
          w.write(JSON.writeValueAsString(rs) + "\n");
          for (int p = 0; p < 4; p++) {
            ObjectNode pod = object("v1", "Pod", rsName + "-p" + p, ns, created);
            owner(pod, "apps/v1", "ReplicaSet", rsName, ns);
            pod.with("metadata").putObject("labels").put("app", app);
            pod.putObject("spec").put("nodeName", "node-" + (1 + (s + p) % 4));
            pod.putObject("status").put("phase", "Running")
                .put("podIP", "10.1." + s + "." + (app.equals("api") ? 10 + p : 20 + p))
                .put("hostIP", "192.168.10." + (1 + (s + p) % 4));
            w.write(JSON.writeValueAsString(pod) + "\n");
          }
          ObjectNode svc = object("v1", "Service", app + "-svc", ns, created);
          svc.putObject("spec").putObject("selector").put("app", app);
          w.write(JSON.writeValueAsString(svc) + "\n");
        }
      }
    }
  }

  private static ObjectNode object(String apiVersion, String kind, String name, String ns,
      String created) {
    ObjectNode o = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = o.putObject("metadata").put("name", name).put("resourceVersion", "1")
        .put("creationTimestamp", created)
        .put("uid", kind.toLowerCase() + "-" + (ns == null ? "" : ns + "-") + name);
    if (ns != null) {
      meta.put("namespace", ns);
    }
    return o;
  }

  private static void owner(ObjectNode o, String apiVersion, String kind, String name, String ns) {
    ArrayNode refs = o.with("metadata").putArray("ownerReferences");
    refs.addObject().put("apiVersion", apiVersion).put("kind", kind).put("name", name)
        .put("uid", kind.toLowerCase() + "-" + ns + "-" + name).put("controller", true);
  }

  /** Every drawn node's and namespace box's geometry as Cytoscape has it after layout and fit. */
  @SuppressWarnings("unchecked")
  private static void readGeometry() {
    List<Map<String, Object>> raw = (List<Map<String, Object>>) browser.js(
        "var cy = weftView.cy, o = { includeLabels: false, includeOverlays: false,"
            + " includeUnderlays: false };"
            + "return cy.nodes().filter(function (n) { return n.visible(); }).map(function (n) {"
            + "  var b = n.boundingBox(o), r = n.renderedBoundingBox(o);"
            + "  return { id: n.id(), group: n.hasClass('group'), parent: n.isChild()"
            + "    ? n.parent().id() : null, x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2,"
            + "    rx1: r.x1, ry1: r.y1, rx2: r.x2, ry2: r.y2 }; });");
    nodes = new HashMap<>();
    groups = new HashMap<>();
    for (Map<String, Object> m : raw) {
      Box b = new Box((String) m.get("id"), (String) m.get("parent"), num(m, "x1"), num(m, "y1"),
          num(m, "x2"), num(m, "y2"), num(m, "rx1"), num(m, "ry1"), num(m, "rx2"), num(m, "ry2"));
      (Boolean.TRUE.equals(m.get("group")) ? groups : nodes).put(b.id(), b);
    }
    Map<String, Object> size = (Map<String, Object>) browser.js(
        "return { w: weftView.cy.width(), h: weftView.cy.height() };");
    canvas = new Box("canvas", null, 0, 0, num(size, "w"), num(size, "h"), 0, 0, num(size, "w"),
        num(size, "h"));
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }

  @Test
  public void theRunGivesAbout300NodesAndThePageDrawsThemWithoutBrowserProblems() {
    assertThat(graph.path("nodes").size(), greaterThanOrEqualTo(290));
    assertThat(nodes.size(), greaterThanOrEqualTo(graph.path("nodes").size()));
    assertThat(groups.size(), equalTo(NAMESPACES));
    assertThat(browser.problems().toString(), browser.problems(), is(empty()));
  }

  @Test
  public void everyNodeIsInsideTheCanvasAfterFit() {
    List<String> outside = new ArrayList<>();
    for (Box b : nodes.values()) {
      if (b.rx1() < 0 || b.ry1() < 0 || b.rx2() > canvas.x2() || b.ry2() > canvas.y2()) {
        outside.add(b.id());
      }
    }
    assertThat(outside.size() + " of " + nodes.size() + " nodes outside the canvas "
        + canvas.x2() + "x" + canvas.y2() + ", e.g. " + sample(outside), outside, is(empty()));
  }

  @Test
  public void noTwoNodesOverlap() {
    List<Box> all = new ArrayList<>(nodes.values());
    List<String> overlaps = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        if (all.get(i).overlaps(all.get(j))) {
          overlaps.add(all.get(i).id() + " ~ " + all.get(j).id());
        }
      }
    }
    assertThat(overlaps.size() + " overlapping pairs, e.g. " + sample(overlaps), overlaps,
        is(empty()));
  }

  @Test
  public void eachNamespaceBoxHoldsItsNodesAndNoOther() {
    List<String> wrong = new ArrayList<>();
    for (Box g : groups.values()) {
      for (Box n : nodes.values()) {
        boolean member = g.id().equals(n.parent());
        if (member && !g.contains(n)) {
          wrong.add(n.id() + " outside its box " + g.id());
        } else if (!member && g.overlaps(n)) {
          wrong.add(n.id() + " inside the foreign box " + g.id());
        }
      }
      for (Box h : groups.values()) {
        if (g.id().compareTo(h.id()) < 0 && g.overlaps(h)) {
          wrong.add(g.id() + " overlaps " + h.id());
        }
      }
    }
    // Every namespaced node of graph.json is in its namespace's box.
    for (JsonNode n : graph.path("nodes")) {
      String ns = GraphViewModel.namespace(n);
      if (ns != null && !("ns:" + ns).equals(nodes.get(n.path("id").asText()).parent())) {
        wrong.add(n.path("id").asText() + " not in ns:" + ns);
      }
    }
    assertThat(wrong.size() + " problems, e.g. " + sample(wrong), wrong, is(empty()));
  }

  @Test
  public void callersAreAboveTheirCalleesWhereTheCallsHaveNoCycle() {
    Graph<String, DefaultEdge> calls = new DefaultDirectedGraph<>(DefaultEdge.class);
    List<String[]> callEdges = new ArrayList<>();
    for (JsonNode e : graph.path("edges")) {
      if (e.path("kind").asText().equals("CALL")) {
        String from = e.path("from").asText();
        String to = e.path("to").asText();
        calls.addVertex(from);
        calls.addVertex(to);
        if (!from.equals(to)) {
          calls.addEdge(from, to);
          callEdges.add(new String[] {from, to});
        }
      }
    }
    Map<String, Integer> component = new HashMap<>();
    List<Set<String>> sccs = new KosarajuStrongConnectivityInspector<>(calls)
        .stronglyConnectedSets();
    for (int i = 0; i < sccs.size(); i++) {
      for (String v : sccs.get(i)) {
        component.put(v, i);
      }
    }
    int acyclic = 0;
    List<String> upward = new ArrayList<>();
    for (String[] e : callEdges) {
      if (!component.get(e[0]).equals(component.get(e[1]))) {
        acyclic++;
        if (!(nodes.get(e[0]).centreY() < nodes.get(e[1]).centreY())) {
          upward.add(e[0] + " -> " + e[1]);
        }
      }
    }
    assertThat("call edges across components", acyclic, greaterThan(50));
    assertThat(upward.size() + " of " + acyclic + " acyclic call edges do not go down, e.g. "
        + sample(upward), upward, is(empty()));
  }

  private static List<String> sample(List<String> all) {
    return all.subList(0, Math.min(5, all.size()));
  }
}
