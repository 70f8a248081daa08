package dev.weft.graph;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.weft.model.EdgeKind;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphNode;
import dev.weft.model.OutputJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Assembles {@code graph.json}, the final graph of a bounded run, from the stream of node and edge
 * records (all panes, any order): the latest revision of every upsert key, then, per node and per
 * edge, the windows merged — node counts added, attributes overlaid in window order (a later window
 * holds later writes), validity from the latest configuration write; structural validity from the
 * earliest statement to the last end; call edges with their windows and their totals over the run.
 *
 * <p>The rendering is byte-deterministic: nodes sorted by id, edges by (from, relation, to), fields
 * in a fixed order, LF line ends, and no pane metadata (revisions and pane timing depend on arrival,
 * the graph does not). Replaying the same input, duplicated or shuffled within the lateness bound,
 * yields the same bytes (latency percentiles come from {@link LatencySketch}, whose merge does not
 * depend on order).
 */
public final class FinalGraph {
  private FinalGraph() {}

  /**
   * The graph as one string, emitted once when the watermark reaches the end of time (the end of a
   * bounded input). Two groupings: per node or edge, its records merged over windows and rendered
   * as its part of the document; then the parts, one per node and edge, joined in one place. (One
   * grouping of every record was quadratic on the Direct runner, which copies a key's whole buffer
   * for each bundle that adds to it: a window record arrives per bundle.)
   */
  public static PCollection<String> assemble(PCollection<GraphNode> nodes,
      PCollection<GraphEdge> edges) {
    // Each grouping is read in ONE pass: a CoGroupByKey result read tag by tag re-iterates the
    // group, which Flink's batch runner refuses for a large group ("GBK result is not
    // re-iterable": a 200k-span run failed here).
    PCollection<KV<String, RawUnionValue>> keyedNodes = nodes
        .apply("NodesAtEnd", Window.<GraphNode>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterWatermark.pastEndOfWindow()))
            .withAllowedLateness(Duration.ZERO).discardingFiredPanes())
        .apply("KeyNodesById", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(RawUnionValue.class)))
            .via((GraphNode n) -> KV.of(nodeKey(n), new RawUnionValue(NODE, n))));
    PCollection<KV<String, RawUnionValue>> keyedEdges = edges
        .apply("EdgesAtEnd", Window.<GraphEdge>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterWatermark.pastEndOfWindow()))
            .withAllowedLateness(Duration.ZERO).discardingFiredPanes())
        .apply("KeyEdgesByEnds", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(RawUnionValue.class)))
            .via((GraphEdge e) -> KV.of(edgeKey(e), new RawUnionValue(EDGE, e))));
    KvCoder<String, RawUnionValue> coder = KvCoder.of(StringUtf8Coder.of(),
        UnionCoder.of(List.of(nodes.getCoder(), edges.getCoder())));
    keyedNodes.setCoder(coder);
    keyedEdges.setCoder(coder);
    return PCollectionList.of(keyedNodes).and(keyedEdges)
        .apply("NodesAndEdges", Flatten.pCollections())
        .apply("RecordsPerNodeOrEdge", GroupByKey.create())
        .apply("MergeWindows", ParDo.of(
            new DoFn<KV<String, Iterable<RawUnionValue>>, KV<Integer, EntityFragment>>() {
              @ProcessElement
              public void process(@Element KV<String, Iterable<RawUnionValue>> records,
                  OutputReceiver<KV<Integer, EntityFragment>> out) {
                List<GraphNode> nodeRecords = new ArrayList<>();
                List<GraphEdge> edgeRecords = new ArrayList<>();
                for (RawUnionValue v : records.getValue()) {
                  if (v.getUnionTag() == NODE) {
                    nodeRecords.add((GraphNode) v.getValue());
                  } else {
                    edgeRecords.add((GraphEdge) v.getValue());
                  }
                }
                fragments(nodeRecords, edgeRecords).forEach(f -> out.output(KV.of(0, f)));
              }
            }))
        .setCoder(KvCoder.of(VarIntCoder.of(), EntityFragment.Coder.INSTANCE))
        .apply("AllParts", GroupByKey.create())
        .apply("RenderGraphJson", ParDo.of(
            new DoFn<KV<Integer, Iterable<EntityFragment>>, String>() {
              @ProcessElement
              public void process(@Element KV<Integer, Iterable<EntityFragment>> parts,
                  OutputReceiver<String> out) {
                out.output(document(parts.getValue()));
              }
            }))
        .setCoder(StringUtf8Coder.of());
  }

  private static final int NODE = 0;
  private static final int EDGE = 1;

  private static String nodeKey(GraphNode n) {
    return n.id();
  }

  private static String edgeKey(GraphEdge e) {
    return e.from() + "\u0000" + e.relation() + "\u0000" + e.to();
  }

  /** The latest revision per upsert key; equal revisions resolved by content, never by order. */
  static <T> Map<String, T> latest(Iterable<T> records, java.util.function.Function<T, String> key,
      java.util.function.ToLongFunction<T> revision, java.util.function.Function<T, String> json) {
    Map<String, T> out = new TreeMap<>();
    for (T r : records) {
      out.merge(key.apply(r), r, (a, b) -> {
        int c = Long.compare(revision.applyAsLong(a), revision.applyAsLong(b));
        if (c == 0) {
          c = json.apply(a).compareTo(json.apply(b));
        }
        return c >= 0 ? a : b;
      });
    }
    return out;
  }

  /** Renders graph.json from node and edge records of any panes, in any order. */
  public static String render(Iterable<GraphNode> nodeRecords, Iterable<GraphEdge> edgeRecords) {
    return document(fragments(nodeRecords, edgeRecords));
  }

  /**
   * Each node and edge of the records merged over its windows (latest revision per window first)
   * and rendered as it stands in the document.
   */
  static List<EntityFragment> fragments(Iterable<GraphNode> nodeRecords,
      Iterable<GraphEdge> edgeRecords) {
    Map<String, List<GraphNode>> nodes = new TreeMap<>();
    latest(nodeRecords, GraphNode::upsertKey, n -> n.pane().revision(), GraphNode::toJson)
        .values().forEach(n -> nodes.computeIfAbsent(nodeKey(n), k -> new ArrayList<>()).add(n));
    Map<String, List<GraphEdge>> edges = new TreeMap<>();
    latest(edgeRecords, GraphEdge::upsertKey, e -> e.pane().revision(), GraphEdge::toJson)
        .values().forEach(e -> edges.computeIfAbsent(edgeKey(e), k -> new ArrayList<>()).add(e));
    List<EntityFragment> out = new ArrayList<>();
    nodes.forEach((key, windows) -> out.add(new EntityFragment(true, key,
        part(g -> writeNode(g, windows)), false, 0, 0)));
    edges.forEach((key, windows) -> {
      boolean call = windows.get(0).kind() == EdgeKind.CALL;
      long calls = 0;
      long errors = 0;
      for (GraphEdge e : windows) {
        calls += call ? e.count() : 0;
        errors += call ? e.errors() : 0;
      }
      out.add(new EntityFragment(false, key, part(g -> writeEdge(g, windows)), call, calls,
          errors));
    });
    return out;
  }

  /** The document from its parts (any order): nodes sorted by id, edges by (from, relation, to). */
  static String document(Iterable<EntityFragment> parts) {
    TreeMap<String, EntityFragment> nodes = new TreeMap<>();
    TreeMap<String, EntityFragment> edges = new TreeMap<>();
    for (EntityFragment f : parts) {
      (f.node() ? nodes : edges).put(f.sortKey(), f);
    }
    long calls = 0;
    long callErrors = 0;
    long callEdges = 0;
    for (EntityFragment f : edges.values()) {
      if (f.call()) {
        callEdges++;
        calls += f.calls();
        callErrors += f.errors();
      }
    }
    long[] totals = {nodes.size(), edges.size(), callEdges, calls, callErrors};
    return OutputJson.render(prettyPrinter(), g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("nodes");
      for (EntityFragment f : nodes.values()) {
        g.writeRawValue(f.json());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("edges");
      for (EntityFragment f : edges.values()) {
        g.writeRawValue(f.json());
      }
      g.writeEndArray();
      g.writeObjectFieldStart("totals");
      g.writeNumberField("nodes", totals[0]);
      g.writeNumberField("edges", totals[1]);
      g.writeNumberField("callEdges", totals[2]);
      g.writeNumberField("calls", totals[3]);
      g.writeNumberField("callErrors", totals[4]);
      g.writeEndObject();
      g.writeEndObject();
    }) + "\n";
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    return new DefaultPrettyPrinter()
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
  }

  /**
   * One node or edge rendered as it stands inside the document's "nodes" or "edges" array, two
   * levels deep: its inner lines carry that depth's indentation, its first line none (the
   * document's generator writes the separator and indentation before a raw value).
   */
  private static String part(OutputJson.Body writing) {
    return OutputJson.render(prettyPrinter(), writing).replace("\n", "\n" + "    ");
  }

  private static void writeNode(JsonGenerator g, List<GraphNode> windows) throws IOException {
    windows.sort(Comparator.comparing((GraphNode n) -> n.pane().windowStart()));
    GraphNode first = windows.get(0);
    long events = 0;
    Optional<Instant> firstSeen = Optional.empty();
    Optional<Instant> lastSeen = Optional.empty();
    SortedMap<String, Long> logs = new TreeMap<>();
    SortedMap<String, String> attributes = new TreeMap<>();
    GraphNode lastWriter = null;
    for (GraphNode n : windows) {
      events += n.events();
      firstSeen = min(firstSeen, n.firstSeen());
      lastSeen = max(lastSeen, n.lastSeen());
      n.logsBySeverity().forEach((k, v) -> logs.merge(k, v, Long::sum));
      attributes.putAll(n.attributes());
      if (n.lastWrite().isPresent() && (lastWriter == null
          || !n.lastWrite().get().isBefore(lastWriter.lastWrite().get()))) {
        lastWriter = n;
      }
    }
    g.writeStartObject();
    g.writeStringField("id", first.id());
    g.writeStringField("type", first.type());
    g.writeBooleanField("inferred", events == 0 && firstSeen.isEmpty());
    g.writeNumberField("events", events);
    OutputJson.optInstant(g, "firstSeen", firstSeen);
    OutputJson.optInstant(g, "lastSeen", lastSeen);
    OutputJson.optInstant(g, "validTo", lastWriter == null ? Optional.empty() : lastWriter.validTo());
    OutputJson.longMap(g, "logsBySeverity", logs);
    OutputJson.stringMap(g, "attributes", attributes);
    g.writeEndObject();
  }

  private static void writeEdge(JsonGenerator g, List<GraphEdge> windows) throws IOException {
    windows.sort(Comparator.comparing((GraphEdge e) -> e.pane().windowStart()));
    GraphEdge first = windows.get(0);
    g.writeStartObject();
    g.writeStringField("from", first.from());
    g.writeStringField("relation", first.relation());
    g.writeStringField("to", first.to());
    g.writeStringField("kind", first.kind().name());
    if (first.kind() == EdgeKind.CALL) {
      long count = 0;
      long errors = 0;
      for (GraphEdge e : windows) {
        count += e.count();
        errors += e.errors();
      }
      g.writeNumberField("count", count);
      g.writeNumberField("errors", errors);
      g.writeArrayFieldStart("windows");
      for (GraphEdge e : windows) {
        g.writeStartObject();
        OutputJson.instant(g, "windowStart", e.pane().windowStart());
        OutputJson.instant(g, "windowEnd", e.pane().windowEnd());
        g.writeNumberField("count", e.count());
        g.writeNumberField("errors", e.errors());
        OutputJson.optLong(g, "p50Micros", e.p50Micros());
        OutputJson.optLong(g, "p90Micros", e.p90Micros());
        OutputJson.optLong(g, "p99Micros", e.p99Micros());
        g.writeEndObject();
      }
      g.writeEndArray();
    } else {
      Optional<Instant> validFrom = Optional.empty();
      Optional<Instant> lastObserved = Optional.empty();
      Optional<Instant> ended = Optional.empty();
      for (GraphEdge e : windows) {
        validFrom = min(validFrom, e.validFrom());
        lastObserved = max(lastObserved, e.lastObserved());
        ended = max(ended, e.validTo());
      }
      boolean over = ended.isPresent()
          && (lastObserved.isEmpty() || !ended.get().isBefore(lastObserved.get()));
      OutputJson.optInstant(g, "validFrom", validFrom);
      OutputJson.optInstant(g, "validTo", over ? ended : Optional.empty());
    }
    g.writeEndObject();
  }

  private static Optional<Instant> min(Optional<Instant> a, Optional<Instant> b) {
    if (a.isPresent() && b.isPresent()) {
      return a.get().isBefore(b.get()) ? a : b;
    }
    return a.isPresent() ? a : b;
  }

  private static Optional<Instant> max(Optional<Instant> a, Optional<Instant> b) {
    if (a.isPresent() && b.isPresent()) {
      return a.get().isAfter(b.get()) ? a : b;
    }
    return a.isPresent() ? a : b;
  }
}
