package dev.weft.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.identity.IdentityPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the graph page shows, read from a run's output directory into one JSON document: the final
 * graph ({@code graph.json}), every window of the node and edge records ({@code nodes-*.jsonl},
 * {@code edges-*.jsonl}: latest revision per window, how many revisions and whether a late pane
 * corrected it), and per entity its identity explanation ({@link EntityIdentities}).
 */
final class GraphViewModel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private GraphViewModel() {}

  /** The page's data for the run in {@code dir}; graph.json must be there. */
  static ObjectNode read(Path dir, IdentityPolicy policy) throws IOException {
    Path graphFile = dir.resolve("graph.json");
    if (!Files.isRegularFile(graphFile)) {
      throw new InvalidConfiguration("no graph.json in " + dir
          + " (run the pipeline on bounded input first, with --output=" + dir + ")");
    }
    JsonNode graph = JSON.readTree(graphFile.toFile());

    Map<String, ObjectNode> windows = new TreeMap<>();
    Map<String, Map<String, ObjectNode>> nodeWindows = new TreeMap<>();
    Map<String, Map<String, ObjectNode>> edgeWindows = new TreeMap<>();
    forEachLine(files(dir, "nodes-*.jsonl"), r -> latestPerWindow(r, r.path("id").asText(),
        nodeWindows, windows));
    forEachLine(files(dir, "edges-*.jsonl"), r -> latestPerWindow(r, edgeKey(r), edgeWindows,
        windows));

    EntityIdentities identities = new EntityIdentities(policy);
    forEachLine(files(dir, "bindings-*.jsonl"), identities::addBinding);
    identities.addEvents(files(dir, "events-*.jsonl"));
    Map<String, ArrayNode> aliases = identities.aliasesByEntity();

    ObjectNode model = F.objectNode();
    model.put("output", dir.toAbsolutePath().normalize().toString());
    model.set("totals", graph.path("totals"));
    ObjectNode styles = model.putObject("styles");
    NodeTypes.STYLES.forEach((family, s) -> styles.putObject(family).put("colour", s[0])
        .put("shape", s[1]).put("label", s[2]));
    ArrayNode ws = model.putArray("windows");
    windows.values().forEach(ws::add);

    ArrayNode nodes = model.putArray("nodes");
    for (JsonNode n : graph.path("nodes")) {
      ObjectNode node = ((ObjectNode) n).deepCopy();
      String id = n.path("id").asText();
      node.put("family", NodeTypes.family(n.path("type").asText()));
      node.put("label", label(id));
      String ns = namespace(n);
      if (ns != null) {
        node.put("namespace", ns);
      }
      node.set("bindings", identities.bindingsOf(id));
      node.set("aliases", aliases.getOrDefault(id, F.arrayNode()));
      node.set("windows", windowList(nodeWindows.get(id)));
      nodes.add(node);
    }
    ArrayNode edges = model.putArray("edges");
    for (JsonNode e : graph.path("edges")) {
      ObjectNode edge = ((ObjectNode) e).deepCopy();
      String key = edgeKey(e);
      edge.put("id", "e" + edges.size());
      edge.set("records", windowList(edgeWindows.get(key)));
      edges.add(edge);
    }
    return model;
  }

  static String edgeKey(JsonNode e) {
    return e.path("from").asText() + "|" + e.path("relation").asText() + "|"
        + e.path("to").asText();
  }

  /** The entity id without its type prefix; a bare 64-hex container id shortened to 12. */
  static String label(String id) {
    int colon = id.indexOf(':');
    String rest = colon > 0 ? id.substring(colon + 1) : id;
    if (rest.matches("[0-9a-f]{64}")) {
      return rest.substring(0, 12) + "…";
    }
    return rest;
  }

  /** The Kubernetes or service namespace the entity belongs to, for grouping; null if none. */
  static String namespace(JsonNode n) {
    JsonNode a = n.path("attributes");
    if (a.hasNonNull("k8s.namespace.name")) {
      return a.path("k8s.namespace.name").asText();
    }
    if (a.hasNonNull("service.namespace")) {
      return a.path("service.namespace").asText();
    }
    String id = n.path("id").asText();
    String type = n.path("type").asText();
    // Ids like k8s.pod:shop/checkout-… and service:shop/checkout carry the namespace.
    if ((type.startsWith("k8s.") || type.equals("service")) && !type.equals("k8s.node")
        && !type.equals("k8s.namespace")) {
      int colon = id.indexOf(':');
      int slash = id.indexOf('/', colon + 1);
      if (colon > 0 && slash > colon + 1) {
        return id.substring(colon + 1, slash);
      }
    }
    if (type.equals("k8s.namespace")) {
      return label(id);
    }
    return null;
  }

  /**
   * Keeps, per entity (or edge) and window, the record with the highest revision, and counts the
   * revisions and late panes seen for that window: the page's "revised counts" and "late
   * corrections".
   */
  private static void latestPerWindow(JsonNode r, String key,
      Map<String, Map<String, ObjectNode>> byKey, Map<String, ObjectNode> windows) {
    String start = r.path("windowStart").asText();
    windows.computeIfAbsent(start, s -> F.objectNode().put("start", s)
        .put("end", r.path("windowEnd").asText()));
    Map<String, ObjectNode> perWindow = byKey.computeIfAbsent(key, k -> new TreeMap<>());
    ObjectNode kept = perWindow.get(start);
    long panes = kept == null ? 0 : kept.path("panes").asLong();
    boolean late = (kept != null && kept.path("late").asBoolean())
        || "LATE".equals(r.path("timing").asText());
    if (kept == null || r.path("revision").asLong() > kept.path("revision").asLong()) {
      kept = ((ObjectNode) r).deepCopy();
      kept.remove(List.of("upsertKey", "attributes", "from", "to", "relation", "id", "type"));
      perWindow.put(start, kept);
    }
    kept.put("panes", panes + 1);
    kept.put("late", late);
  }

  private static ArrayNode windowList(Map<String, ObjectNode> perWindow) {
    ArrayNode out = F.arrayNode();
    if (perWindow != null) {
      perWindow.values().forEach(out::add);
    }
    return out;
  }

  static List<Path> files(Path dir, String glob) throws IOException {
    TreeSet<Path> out = new TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
      s.forEach(out::add);
    }
    return new ArrayList<>(out);
  }

  private static void forEachLine(List<Path> files, Consumer<JsonNode> each) throws IOException {
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          try {
            each.accept(JSON.readTree(line));
          } catch (JsonProcessingException e) {
            throw new InvalidConfiguration(f + ":" + n + ": not a JSON record: "
                + e.getOriginalMessage());
          }
        }
      }
    }
  }
}
