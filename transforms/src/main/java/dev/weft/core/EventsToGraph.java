package dev.weft.core;

import dev.weft.graph.BuildGraph;
import dev.weft.graph.KeyBySignals;
import dev.weft.identity.ResolveIdentity;
import dev.weft.identity.ResolvedIdentity;
import dev.weft.model.Binding;
import dev.weft.model.BindingCoder;
import dev.weft.model.Event;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphNode;
import dev.weft.model.LateEvent;
import dev.weft.model.LateEventCoder;
import dev.weft.model.ResolvedEvent;
import dev.weft.overload.KeyBudget;
import dev.weft.overload.OverloadPolicy;
import dev.weft.time.Deduplicate;
import dev.weft.time.GraphWindowing;
import dev.weft.time.OrderWithinKey;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Normalized events to the graph, in one composite: {@link Deduplicate} → the overload budget
 * ({@link KeyBudget}; none unless {@link #withOverload} sets one) → identity resolution →
 * {@link OrderWithinKey} (the lateness gate, unbounded input only: a bounded input has nothing
 * late) → {@link BuildGraph}.
 *
 * <p>In: normalized events at their event-time timestamps. Out ({@link Result}): {@code unique}
 * and {@code duplicates} ({@code normalized = unique + duplicates}); {@code late} (too late,
 * counted, with a reason, absent from the graph); {@code nodes}, {@code edges} (records per window
 * and pane, upsert by key, keep the highest revision); {@code unpairedSpans}. Feed nodes and edges to
 * {@link dev.weft.graph.FinalGraph#assemble} for {@code graph.json}.
 *
 * <p>Identity is a constructor argument: {@link ResolveIdentity} (the policy-driven resolver,
 * whose binding audit comes out as {@code bindings}), or any other Event → ResolvedEvent transform
 * such as the {@link KeyBySignals} stand-in (no bindings).
 *
 * <p>It lives in a package of its own because it composes {@code time}, {@code overload}, {@code
 * identity} and {@code graph} and belongs to none of them; those packages never import it. Its
 * step names ({@code Deduplicate}, {@code OverloadBudget}, {@code ResolveIdentity}, {@code
 * OrderWithinKey}, {@code BuildGraph}, {@code AllLate}, ...) are the names a streaming job restored
 * from a checkpoint finds its operator state by: renaming one loses that state.
 */
public final class EventsToGraph extends PTransform<PCollection<Event>, EventsToGraph.Result> {
  private final GraphParams params;
  private final PTransform<PCollection<Event>, PCollection<ResolvedEvent>> resolver;
  private final ResolveIdentity identity;
  private java.util.List<String> peerAttributes = BuildGraph.defaultPeerAttributes();
  private boolean userClient;
  /** Null: no live progress. */
  private String progressRunId;
  private OverloadPolicy overload = OverloadPolicy.unlimited();

  /**
   * The OpenTelemetry call semantics: span attributes that name a virtual peer (first present wins;
   * the servicegraph connector's default is {@code peer.service, db.name, db.system}) and whether
   * root server spans get a virtual {@code user} client.
   */
  public EventsToGraph withCallSemantics(java.util.List<String> peerAttributes, boolean userClient) {
    EventsToGraph copy = identity != null ? new EventsToGraph(params, identity)
        : new EventsToGraph(params, resolver);
    copy.peerAttributes = java.util.List.copyOf(peerAttributes);
    copy.userClient = userClient;
    copy.progressRunId = progressRunId;
    copy.overload = overload;
    return copy;
  }

  /**
   * The same graph behind an overload policy: unique events beyond their emitter's budget are
   * shed, sampled or spilled ({@link KeyBudget}) before identity resolution.
   */
  public EventsToGraph withOverload(OverloadPolicy policy) {
    EventsToGraph copy = withCallSemantics(peerAttributes, userClient);
    copy.overload = policy;
    return copy;
  }

  /**
   * The same graph, whose deduplication and lateness gate also count into the run's
   * {@link dev.weft.progress.LiveCounts} for live progress.
   */
  public EventsToGraph withProgress(String runId) {
    EventsToGraph copy = withCallSemantics(peerAttributes, userClient);
    copy.progressRunId = runId;
    return copy;
  }

  public EventsToGraph(GraphParams params) {
    this(params, new KeyBySignals());
  }

  public EventsToGraph(GraphParams params,
      PTransform<PCollection<Event>, PCollection<ResolvedEvent>> resolver) {
    this.params = params;
    this.resolver = resolver;
    this.identity = null;
  }

  /** The graph over policy-driven identity resolution; its bindings are part of the result. */
  public EventsToGraph(GraphParams params, ResolveIdentity identity) {
    this.params = params;
    this.resolver = null;
    this.identity = identity;
  }

  @Override
  public Result expand(PCollection<Event> events) {
    PCollectionTuple dedup = events.apply("Deduplicate", new Deduplicate(params.dedupHorizon()).withProgress(progressRunId));
    PCollectionTuple budgeted = dedup.get(Deduplicate.UNIQUE)
        .apply("OverloadBudget", new KeyBudget(overload));
    PCollection<Event> admitted = budgeted.get(KeyBudget.ADMITTED);
    PCollection<ResolvedEvent> resolved;
    PCollection<Binding> bindings;
    if (identity != null) {
      ResolvedIdentity r = admitted.apply("ResolveIdentity", identity);
      resolved = r.resolved();
      bindings = r.bindings();
    } else {
      resolved = admitted.apply("ResolveIdentity", resolver);
      bindings = events.getPipeline().apply("NoBindings", Create.empty(BindingCoder.of()));
    }
    GraphWindowing windowing = new GraphWindowing(params.windowSize(), params.allowedLateness(),
        params.earlyFiringDelay());
    PCollection<ResolvedEvent> inTime;
    PCollection<LateEvent> late;
    if (resolved.isBounded() == PCollection.IsBounded.BOUNDED) {
      // A bounded input has no lateness: every event is known before any result is final, and
      // nothing downstream depends on the order of a key's events (every merge is commutative).
      // Gating it would only make the result depend on how a runner delivers a key's events.
      inTime = resolved;
      late = events.getPipeline().apply("NothingLateInBoundedInput",
          Create.empty(LateEventCoder.of()));
    } else {
      PCollectionTuple gated = resolved.apply("OrderWithinKey",
          new OrderWithinKey(windowing, params.bufferCap()).withProgress(progressRunId));
      inTime = gated.get(OrderWithinKey.ORDERED);
      late = gated.get(OrderWithinKey.LATE);
    }
    BuildGraph.Result graph = inTime.apply("BuildGraph", new BuildGraph(windowing,
        params.pairingBound(), peerAttributes, userClient));
    // Late events (the gate) and late call observations (the pairing): one late-* output.
    PCollection<LateEvent> allLate = PCollectionList.of(late).and(graph.lateCalls())
        .apply("AllLate", Flatten.pCollections());
    return new Result(events.getPipeline(), dedup.get(Deduplicate.UNIQUE),
        dedup.get(Deduplicate.DUPLICATES), allLate, graph.nodes(),
        graph.edges(), graph.unpairedSpans(), bindings, budgeted.get(KeyBudget.SHED),
        budgeted.get(KeyBudget.SPILLED));
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
    private final PCollection<Binding> bindings;
    private final PCollection<String> shed;
    private final PCollection<Event> spilled;

    Result(Pipeline pipeline, PCollection<Event> unique, PCollection<Event> duplicates,
        PCollection<LateEvent> late, PCollection<GraphNode> nodes, PCollection<GraphEdge> edges,
        PCollection<String> unpairedSpans, PCollection<Binding> bindings,
        PCollection<String> shed, PCollection<Event> spilled) {
      this.pipeline = pipeline;
      this.unique = unique;
      this.duplicates = duplicates;
      this.late = late;
      this.nodes = nodes;
      this.edges = edges;
      this.unpairedSpans = unpairedSpans;
      this.bindings = bindings;
      this.shed = shed;
      this.spilled = spilled;
    }

    /** One JSON line per event the overload policy shed (empty without a budget). */
    public PCollection<String> shed() {
      return shed;
    }

    /** The events the overload policy spilled, to be written for a later replay. */
    public PCollection<Event> spilled() {
      return spilled;
    }

    /** One record per identity decision (empty with a resolver that makes no bindings). */
    public PCollection<Binding> bindings() {
      return bindings;
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
          new TupleTag<String>("unpairedSpans"), unpairedSpans,
          new TupleTag<Binding>("bindings"), bindings,
          new TupleTag<String>("shed"), shed,
          new TupleTag<Event>("spilled"), spilled);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }
}
