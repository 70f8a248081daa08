package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;
import org.jgrapht.nio.graphml.GraphMLExporter;
import org.jgrapht.nio.graphml.GraphMLExporter.AttributeCategory;

/**
 * {@code graph.json} in the standard formats graph tools open: DOT for Graphviz, GraphML for Gephi
 * and yEd. The conversion goes through JGraphT's exporters (escaping and syntax are theirs); this
 * class only says what each node and edge carries: its id, type or relation, and for call edges the
 * counts and the worst p99 over the windows.
 */
public final class GraphExports {
  private GraphExports() {}

  /** The formats {@code --graphFormat} accepts, with the file each one writes. */
  public enum Format {
    JSON("graph.json"), DOT("graph.dot"), GRAPHML("graph.graphml");

    private final String fileName;

    Format(String fileName) {
      this.fileName = fileName;
    }

    public String fileName() {
      return fileName;
    }

    /** The formats named by {@code --graphFormat}; an unknown name is a configuration error. */
    public static Set<Format> parse(List<String> names) {
      Set<Format> out = new LinkedHashSet<>();
      for (String n : names) {
        String name = n.trim();
        if (name.isEmpty()) {
          continue;
        }
        try {
          out.add(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfiguration("--graphFormat: unknown format '" + name
              + "'; use json, dot or graphml (comma-separated)");
        }
      }
      if (out.isEmpty()) {
        throw new InvalidConfiguration("--graphFormat: name at least one of json, dot, graphml");
      }
      return out;
    }
  }

  /** One edge of graph.json; distinct per (from, relation, to), as graph.json's keys are. */
  record Edge(String from, String relation, String to, JsonNode json) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** graph.json's text as DOT or GraphML text. */
  public static String convert(String graphJson, Format format) {
    switch (format) {
      case JSON:
        return graphJson;
      case DOT:
        return toDot(graphJson);
      case GRAPHML:
        return toGraphMl(graphJson);
      default:
        throw new IllegalArgumentException("no exporter for " + format);
    }
  }

  /** The graph of graph.json: vertices are entity ids, each edge keeps its JSON. */
  static Graph<String, Edge> read(String graphJson, Map<String, JsonNode> nodesOut) {
    JsonNode root;
    try {
      root = JSON.readTree(graphJson);
    } catch (IOException e) {
      throw new UncheckedIOException("graph.json is not JSON", e);
    }
    Graph<String, Edge> g = new DirectedPseudograph<>(Edge.class);
    for (JsonNode n : root.path("nodes")) {
      g.addVertex(n.path("id").asText());
      nodesOut.put(n.path("id").asText(), n);
    }
    for (JsonNode e : root.path("edges")) {
      Edge edge = new Edge(e.path("from").asText(), e.path("relation").asText(),
          e.path("to").asText(), e);
      // An edge to an entity graph.json has no node for still belongs in the export.
      g.addVertex(edge.from());
      g.addVertex(edge.to());
      g.addEdge(edge.from(), edge.to(), edge);
    }
    return g;
  }

  static String toDot(String graphJson) {
    Map<String, JsonNode> nodes = new HashMap<>();
    Graph<String, Edge> g = read(graphJson, nodes);
    // DOT ids must be identifiers or numbers; the entity id goes into the label instead.
    Map<String, String> ids = numbered(g.vertexSet(), "n");
    DOTExporter<String, Edge> dot = new DOTExporter<>(ids::get);
    dot.setGraphIdProvider(() -> "weft");
    dot.setGraphAttributeProvider(() -> {
      Map<String, Attribute> a = new LinkedHashMap<>();
      a.put("rankdir", DefaultAttribute.createAttribute("LR"));
      a.put("fontname", DefaultAttribute.createAttribute("Helvetica"));
      a.put("overlap", DefaultAttribute.createAttribute("false"));
      return a;
    });
    dot.setVertexAttributeProvider(v -> {
      String type = type(nodes.get(v));
      Map<String, Attribute> a = new LinkedHashMap<>();
      a.put("label", DefaultAttribute.createAttribute(v));
      a.put("shape", DefaultAttribute.createAttribute(dotShape(type)));
      a.put("style", DefaultAttribute.createAttribute("filled"));
      a.put("fillcolor", DefaultAttribute.createAttribute(NodeTypes.colour(type)));
      a.put("fontcolor", DefaultAttribute.createAttribute(
          NodeTypes.dark(NodeTypes.colour(type)) ? "white" : "black"));
      a.put("fontname", DefaultAttribute.createAttribute("Helvetica"));
      a.put("fontsize", DefaultAttribute.createAttribute(10));
      a.put("type", DefaultAttribute.createAttribute(type));
      return a;
    });
    dot.setEdgeAttributeProvider(e -> {
      Map<String, Attribute> a = new LinkedHashMap<>();
      a.put("fontname", DefaultAttribute.createAttribute("Helvetica"));
      a.put("fontsize", DefaultAttribute.createAttribute(9));
      a.put("relation", DefaultAttribute.createAttribute(e.relation()));
      if (isCall(e)) {
        long calls = e.json().path("count").asLong();
        long errors = e.json().path("errors").asLong();
        a.put("label", DefaultAttribute.createAttribute(callLabel(e)));
        a.put("penwidth", DefaultAttribute.createAttribute(
            String.format(Locale.ROOT, "%.1f", 1 + Math.log(1 + calls) / Math.log(2))));
        a.put("color", DefaultAttribute.createAttribute(errors > 0 ? "#d62728" : "#333333"));
      } else {
        a.put("label", DefaultAttribute.createAttribute(e.relation()));
        a.put("style", DefaultAttribute.createAttribute("dashed"));
        a.put("color", DefaultAttribute.createAttribute("#888888"));
      }
      return a;
    });
    StringWriter w = new StringWriter();
    dot.exportGraph(g, w);
    return w.toString();
  }

  static String toGraphMl(String graphJson) {
    Map<String, JsonNode> nodes = new HashMap<>();
    Graph<String, Edge> g = read(graphJson, nodes);
    // GraphML ids are XML name tokens (no ':' or '/'); the entity id goes into the label.
    Map<String, String> ids = numbered(g.vertexSet(), "n");
    Map<Edge, String> edgeIds = numbered(g.edgeSet(), "e");
    GraphMLExporter<String, Edge> ml = new GraphMLExporter<>(ids::get);
    ml.setEdgeIdProvider(edgeIds::get);
    ml.registerAttribute("label", AttributeCategory.NODE, AttributeType.STRING);
    ml.registerAttribute("type", AttributeCategory.NODE, AttributeType.STRING);
    ml.registerAttribute("events", AttributeCategory.NODE, AttributeType.LONG);
    ml.registerAttribute("firstSeen", AttributeCategory.NODE, AttributeType.STRING);
    ml.registerAttribute("lastSeen", AttributeCategory.NODE, AttributeType.STRING);
    ml.registerAttribute("relation", AttributeCategory.EDGE, AttributeType.STRING);
    ml.registerAttribute("kind", AttributeCategory.EDGE, AttributeType.STRING);
    ml.registerAttribute("calls", AttributeCategory.EDGE, AttributeType.LONG);
    ml.registerAttribute("errors", AttributeCategory.EDGE, AttributeType.LONG);
    ml.registerAttribute("p99Micros", AttributeCategory.EDGE, AttributeType.LONG);
    ml.registerAttribute("validFrom", AttributeCategory.EDGE, AttributeType.STRING);
    ml.registerAttribute("validTo", AttributeCategory.EDGE, AttributeType.STRING);
    ml.setVertexAttributeProvider(v -> {
      JsonNode n = nodes.get(v);
      Map<String, Attribute> a = new LinkedHashMap<>();
      a.put("label", DefaultAttribute.createAttribute(v));
      a.put("type", DefaultAttribute.createAttribute(type(n)));
      if (n != null) {
        a.put("events", DefaultAttribute.createAttribute(n.path("events").asLong()));
        text(n, "firstSeen", a);
        text(n, "lastSeen", a);
      }
      return a;
    });
    ml.setEdgeAttributeProvider(e -> {
      Map<String, Attribute> a = new LinkedHashMap<>();
      a.put("relation", DefaultAttribute.createAttribute(e.relation()));
      a.put("kind", DefaultAttribute.createAttribute(e.json().path("kind").asText()));
      if (isCall(e)) {
        a.put("calls", DefaultAttribute.createAttribute(e.json().path("count").asLong()));
        a.put("errors", DefaultAttribute.createAttribute(e.json().path("errors").asLong()));
        long p99 = maxP99(e);
        if (p99 >= 0) {
          a.put("p99Micros", DefaultAttribute.createAttribute(p99));
        }
      } else {
        text(e.json(), "validFrom", a);
        text(e.json(), "validTo", a);
      }
      return a;
    });
    StringWriter w = new StringWriter();
    ml.exportGraph(g, w);
    return w.toString();
  }

  /** prefix0, prefix1, … in the graph's (insertion) order, so the output is deterministic. */
  private static <T> Map<T, String> numbered(Set<T> items, String prefix) {
    Map<T, String> ids = new HashMap<>();
    for (T item : items) {
      ids.put(item, prefix + ids.size());
    }
    return ids;
  }

  private static void text(JsonNode n, String field, Map<String, Attribute> a) {
    if (n.hasNonNull(field)) {
      a.put(field, DefaultAttribute.createAttribute(n.path(field).asText()));
    }
  }

  private static String type(JsonNode n) {
    return n == null ? "unknown" : n.path("type").asText("unknown");
  }

  private static boolean isCall(Edge e) {
    return "CALL".equals(e.json().path("kind").asText());
  }

  /** The worst per-window p99 of a call edge (windows are not merged: t-digests are gone). */
  private static long maxP99(Edge e) {
    long p99 = -1;
    for (JsonNode w : e.json().path("windows")) {
      if (w.has("p99Micros")) {
        p99 = Math.max(p99, w.path("p99Micros").asLong());
      }
    }
    return p99;
  }

  private static String callLabel(Edge e) {
    List<String> parts = new ArrayList<>();
    parts.add(e.json().path("count").asLong() + " calls");
    parts.add(e.json().path("errors").asLong() + " err");
    long p99 = maxP99(e);
    if (p99 >= 0) {
      parts.add("p99 " + NodeTypes.millis(p99));
    }
    return String.join(", ", parts);
  }

  private static String dotShape(String type) {
    switch (NodeTypes.family(type)) {
      case "service":
        return "box";
      case "service.instance":
        return "ellipse";
      case "database":
        return "cylinder";
      case "queue":
        return "cds";
      case "external":
        return "doubleoctagon";
      case "k8s.pod":
        return "hexagon";
      case "k8s.node":
      case "host":
        return "box3d";
      case "container":
        return "component";
      case "k8s.service":
        return "diamond";
      case "workload":
        return "pentagon";
      case "k8s.namespace":
        return "tab";
      default:
        return "ellipse";
    }
  }
}
