package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphNode;
import dev.weft.model.LateEvent;
import dev.weft.model.ResolvedEvent;
import dev.weft.time.Deduplicate;
import dev.weft.time.GraphWindowing;
import dev.weft.time.OrderWithinKey;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Normalized events to the graph, in one composite: {@link Deduplicate} → identity resolution →
 * {@link OrderWithinKey} (the lateness gate) → {@link BuildGraph}.
 *
 * <p>In: normalized events at their event-time timestamps. Out ({@link Result}): {@code unique}
 * and {@code duplicates} ({@code normalized = unique + duplicates}); {@code late} (too late,
 * counted, with a reason, absent from the graph); {@code nodes}, {@code edges} (records per window
 * and pane, upsert by key, keep the highest revision); {@code unpairedSpans}. Feed nodes and edges to
 * {@link FinalGraph#assemble} for {@code graph.json}.
 *
 * <p>Identity is a constructor argument; {@link KeyBySignals} stands in until {@code
 * ResolveIdentity} lands.
 */
public final class WeftGraph extends PTransform<PCollection<Event>, WeftGraph.Result> {
  private final GraphParams params;
  private final PTransform<PCollection<Event>, PCollection<ResolvedEvent>> resolver;

  public WeftGraph(GraphParams params) {
    this(params, new KeyBySignals());
  }

  public WeftGraph(GraphParams params,
      PTransform<PCollection<Event>, PCollection<ResolvedEvent>> resolver) {
    this.params = params;
    this.resolver = resolver;
  }

  @Override
  public Result expand(PCollection<Event> events) {
    PCollectionTuple dedup = events.apply("Deduplicate", new Deduplicate(params.dedupHorizon()));
    PCollection<ResolvedEvent> resolved =
        dedup.get(Deduplicate.UNIQUE).apply("ResolveIdentity", resolver);
    PCollectionTuple gated = resolved.apply("OrderWithinKey",
        new OrderWithinKey(params.allowedLateness(), params.bufferCap()));
    GraphWindowing windowing = new GraphWindowing(params.windowSize(), params.allowedLateness(),
        params.earlyFiringDelay());
    BuildGraph.Result graph = gated.get(OrderWithinKey.ORDERED)
        .apply("BuildGraph", new BuildGraph(windowing, params.pairingBound()));
    return new Result(events.getPipeline(), dedup.get(Deduplicate.UNIQUE),
        dedup.get(Deduplicate.DUPLICATES), gated.get(OrderWithinKey.LATE), graph.nodes(),
        graph.edges(), graph.unpairedSpans());
  }

  /** Everything the graph stage produces, by name. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<Event> unique;
    private final PCollection<Event> duplicates;
    private final PCollection<LateEvent> late;
    private final PCollection<GraphNode> nodes;
    private final PCollection<GraphEdge> edges;
    private final PCollection<String> unpairedSpans;

    Result(Pipeline pipeline, PCollection<Event> unique, PCollection<Event> duplicates,
        PCollection<LateEvent> late, PCollection<GraphNode> nodes, PCollection<GraphEdge> edges,
        PCollection<String> unpairedSpans) {
      this.pipeline = pipeline;
      this.unique = unique;
      this.duplicates = duplicates;
      this.late = late;
      this.nodes = nodes;
      this.edges = edges;
      this.unpairedSpans = unpairedSpans;
    }

    public PCollection<Event> unique() {
      return unique;
    }

    public PCollection<Event> duplicates() {
      return duplicates;
    }

    public PCollection<LateEvent> late() {
      return late;
    }

    public PCollection<GraphNode> nodes() {
      return nodes;
    }

    public PCollection<GraphEdge> edges() {
      return edges;
    }

    public PCollection<String> unpairedSpans() {
      return unpairedSpans;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(new TupleTag<Event>("unique"), unique,
          new TupleTag<Event>("duplicates"), duplicates,
          new TupleTag<LateEvent>("late"), late,
          new TupleTag<GraphNode>("nodes"), nodes,
          new TupleTag<GraphEdge>("edges"), edges,
          new TupleTag<String>("unpairedSpans"), unpairedSpans);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }
}
