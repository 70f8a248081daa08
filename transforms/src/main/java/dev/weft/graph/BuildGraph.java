package dev.weft.graph;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphEdgeCoder;
import dev.weft.model.GraphNode;
import dev.weft.model.GraphNodeCoder;
import dev.weft.model.LateEvent;
import dev.weft.model.Reference;
import dev.weft.model.ResolvedEvent;
import dev.weft.overload.SampleWeight;
import dev.weft.time.GraphWindowing;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;

/**
 * Builds the unified graph from resolved events: nodes per entity and edges (calls from span pairs,
 * structure from configuration), aggregated per event-time window with {@link GraphWindowing}.
 *
 * <p>In: resolved events that passed the lateness gate ({@code OrderWithinKey}), at their event-time
 * timestamps, deduplicated. Out ({@link Result}): {@code nodes} and {@code edges} — one record per
 * key, window and pane, each with its window, pane timing, pane index, final flag, revision and
 * upsert key; panes accumulate, so the highest revision of a key is complete — and {@code
 * unpairedSpans}, the event ids of span halves that found no partner within the pairing bound.
 *
 * <p>Every aggregation is a commutative merge (counts add, last-writer-wins by event time then
 * source version then event id, validity by min/max), so the final graph does not depend on arrival
 * order. Duplicates are NOT removed here (a repeated span would count twice): deduplicate upstream.
 * Retractions from identity subtract from node event and log counts; their attributes, span pairs
 * and structure are not undone (counted {@code retractionsIgnored}).
 */
public final class BuildGraph extends PTransform<PCollection<ResolvedEvent>, BuildGraph.Result> {
  private final GraphWindowing windowing;
  /** Spans buffered per open trace in streaming; more are reported unpaired and counted. */
  static final int MAX_SPANS_PER_TRACE = 10_000;
  private final Duration pairingBound;
  private final ServiceGraphLinker.Config callSemantics;

  public BuildGraph(GraphWindowing windowing, Duration pairingBound) {
    this(windowing, pairingBound, defaultPeerAttributes(), false);
  }

  /**
   * The span attributes that name a virtual peer unless a caller says otherwise: the servicegraph
   * connector's default {@code peer.service, db.name, db.system}.
   */
  public static java.util.List<String> defaultPeerAttributes() {
    return ServiceGraphLinker.Config.defaults().peerAttributes();
  }

  /**
   * @param peerAttributes the span attributes that name a virtual peer node, first present wins
   *     (the servicegraph connector's {@code virtual_node_peer_attributes})
   * @param userClient whether a root server span without a client is called by a {@code user} node
   */
  public BuildGraph(GraphWindowing windowing, Duration pairingBound, java.util.List<String>
      peerAttributes, boolean userClient) {
    this.windowing = windowing;
    this.pairingBound = pairingBound;
    this.callSemantics = new ServiceGraphLinker.Config(java.util.List.copyOf(peerAttributes),
        userClient);
  }

  @Override
  public Result expand(PCollection<ResolvedEvent> events) {
    PCollection<ResolvedEvent> global =
        events.apply("GlobalWindow", Window.<ResolvedEvent>into(new GlobalWindows()));

    PCollection<KV<String, NodeState>> nodeContributions = global
        .apply("NodeContributions", ParDo.of(new NodeContributionsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), NodeState.Coder.INSTANCE));
    PCollectionTuple calls = global.apply("LinkTraces",
        new LinkTraces(pairingBound, windowing, callSemantics,
            MAX_SPANS_PER_TRACE));
    PCollection<KV<String, EdgeState>> structure =
        global.apply("StructuralEdges", new StructuralEdges());

    PCollection<KV<String, NodeState>> containers = global
        .apply("ContainerNodes", ParDo.of(new ContainerNodes()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), NodeState.Coder.INSTANCE));

    PCollection<GraphNode> nodes = PCollectionList.of(nodeContributions)
        .and(calls.get(LinkTraces.PEERS))
        .and(containers)
        .apply("AllNodeContributions", Flatten.pCollections())
        .apply("NodeWindows", windowing.<KV<String, NodeState>>window())
        .apply("MergeNodeState", Combine.perKey(
            new MergeStates<>(NodeState::new, NodeState.Coder.INSTANCE)))
        .apply("ToNodeRecords", ParDo.of(new ToNodeFn()))
        .setCoder(GraphNodeCoder.of());

    PCollection<GraphEdge> edges = PCollectionList.of(calls.get(LinkTraces.CALLS))
        .and(structure)
        .apply("AllEdgeObservations", Flatten.pCollections())
        .apply("EdgeWindows", windowing.<KV<String, EdgeState>>window())
        .apply("MergeEdgeState", Combine.perKey(
            new MergeStates<>(EdgeState::new, EdgeState.Coder.INSTANCE)))
        .apply("ToEdgeRecords", ParDo.of(new ToEdgeFn()))
        .setCoder(GraphEdgeCoder.of());

    return new Result(events.getPipeline(), nodes, edges, calls.get(LinkTraces.UNPAIRED),
        calls.get(LinkTraces.LATE_CALLS));
  }

  /** Nodes, edges and unpaired span ids; usable as a transform output. */
  public static final class Result implements POutput {
    static final TupleTag<GraphNode> NODES = new TupleTag<>("nodes");
    static final TupleTag<GraphEdge> EDGES = new TupleTag<>("edges");
    static final TupleTag<String> UNPAIRED = new TupleTag<>("unpairedSpans");
    static final TupleTag<LateEvent> LATE_CALLS = new TupleTag<>("lateCalls");
    private final Pipeline pipeline;
    private final PCollection<GraphNode> nodes;
    private final PCollection<GraphEdge> edges;
    private final PCollection<String> unpairedSpans;
    private final PCollection<LateEvent> lateCalls;

    Result(Pipeline pipeline, PCollection<GraphNode> nodes, PCollection<GraphEdge> edges,
        PCollection<String> unpairedSpans, PCollection<LateEvent> lateCalls) {
      this.pipeline = pipeline;
      this.nodes = nodes;
      this.edges = edges;
      this.unpairedSpans = unpairedSpans;
      this.lateCalls = lateCalls;
    }

    /**
     * Call observations made after their graph window closed (a streaming trace linked behind the
     * watermark), each with a reason: the windows would have dropped them.
     */
    public PCollection<LateEvent> lateCalls() {
      return lateCalls;
    }

    public PCollection<GraphNode> nodes() {
      return nodes;
    }

    public PCollection<GraphEdge> edges() {
      return edges;
    }

    /** Event ids of span halves that found no partner within the pairing bound. */
    public PCollection<String> unpairedSpans() {
      return unpairedSpans;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(NODES, nodes, EDGES, edges, UNPAIRED, unpairedSpans, LATE_CALLS, lateCalls);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input,
        PTransform<?, ?> transform) {}
  }

  /**
   * What one event says about nodes: the subject gets the event (count, seen, attributes, log
   * severity); the other entities it names are seen; the targets of its references are mentioned.
   */
  static final class NodeContributionsFn extends DoFn<ResolvedEvent, KV<String, NodeState>> {
    @ProcessElement
    public void process(@Element ResolvedEvent r, OutputReceiver<KV<String, NodeState>> out) {
      Event e = r.event();
      long t = e.eventTime().toEpochMilli();
      // A sampled event stands for the events sampled out with it (overload policy).
      long sign = (r.retraction() ? -1 : 1) * SampleWeight.of(e);
      NodeState subject = NodeState.mention(r.subject());
      subject.events = sign;
      // A time that is only a fallback (the record had none) says nothing about when it was seen.
      boolean realTime = e.timeQuality() != dev.weft.model.TimeQuality.FALLBACK;
      if (!r.retraction()) {
        if (realTime) {
          subject.seenAt(t);
        }
        Optional<String> version = e.config().flatMap(ConfigPart::version);
        WriteStamp stamp = new WriteStamp(t, version, e.eventId());
        e.signals().forEach((k, v) -> subject.signal(k, v, stamp));
        if (e.kind() == EventKind.INVENTORY) {
          e.attributes().forEach((k, v) -> subject.signal(k, v, stamp));
        }
        // An inventory record's config part only carries its relations; its description is
        // its attributes, written above.
        e.config().filter(c -> e.kind() != EventKind.INVENTORY)
            .ifPresent(c -> subject.configWrite(stamp,
                c.operation() == ConfigOperation.DELETED, configAttributes(e, c)));
      }
      e.log().ifPresent(l -> subject.logsBySeverity.merge(l.severity().name(), sign,
          Long::sum));
      out.output(KV.of(subject.id, subject));

      if (r.retraction()) {
        return;
      }
      for (String other : new java.util.TreeSet<>(r.entities().values())) {
        if (!other.equals(r.subject())) {
          NodeState seen = NodeState.mention(other);
          if (realTime) {
            seen.seenAt(t);
          }
          out.output(KV.of(other, seen));
        }
      }
      if (e.config().isPresent()) {
        ConfigPart c = e.config().get();
        for (Reference ref : c.references()) {
          String target = EntityIds.referenceTarget(e, c, ref);
          out.output(KV.of(target, NodeState.mention(target)));
        }
      }
    }

    /** The object's own description: the adapter's attributes plus the config part's fields. */
    static SortedMap<String, String> configAttributes(Event e, ConfigPart c) {
      SortedMap<String, String> a = new TreeMap<>(e.attributes());
      a.put("kind", c.objectKind());
      a.put("name", c.name());
      c.namespace().ifPresent(v -> a.put("namespace", v));
      c.uid().ifPresent(v -> a.put("uid", v));
      c.apiVersion().ifPresent(v -> a.put("apiVersion", v));
      c.version().ifPresent(v -> a.put("version", v));
      a.put("operation", c.operation().name());
      c.labels().forEach((k, v) -> a.put("label." + k, v));
      c.selector().forEach((k, v) -> a.put("selector." + k, v));
      return a;
    }
  }

  static final class ToNodeFn extends DoFn<KV<String, NodeState>, GraphNode> {
    @ProcessElement
    public void process(@Element KV<String, NodeState> kv, BoundedWindow window, PaneInfo pane,
        OutputReceiver<GraphNode> out) {
      NodeState s = kv.getValue();
      Optional<java.time.Instant> lastWrite = Optional.ofNullable(s.configStamp)
          .map(w -> java.time.Instant.ofEpochMilli(w.timeMillis()));
      out.output(new GraphNode(kv.getKey(), EntityIds.type(kv.getKey()),
          GraphWindowing.stamp((IntervalWindow) window, pane), s.attributes(), s.events,
          instant(s.firstSeen, Long.MAX_VALUE), instant(s.lastSeen, Long.MIN_VALUE),
          s.logsBySeverity, lastWrite, s.configDeleted ? lastWrite : Optional.empty()));
    }
  }

  static final class ToEdgeFn extends DoFn<KV<String, EdgeState>, GraphEdge> {
    @ProcessElement
    public void process(@Element KV<String, EdgeState> kv, BoundedWindow window, PaneInfo pane,
        OutputReceiver<GraphEdge> out) {
      EdgeState s = kv.getValue();
      boolean ended = s.lastEnded != Long.MIN_VALUE && s.lastEnded >= s.lastPresent;
      out.output(new GraphEdge(s.from, s.relation, s.to, s.kind,
          GraphWindowing.stamp((IntervalWindow) window, pane), s.count, s.errors,
          s.quantile(0.5), s.quantile(0.9), s.quantile(0.99),
          instant(s.firstPresent, Long.MAX_VALUE), instant(s.lastPresent, Long.MIN_VALUE),
          ended ? instant(s.lastEnded, Long.MIN_VALUE) : Optional.empty()));
    }
  }

  static Optional<java.time.Instant> instant(long millis, long none) {
    return millis == none ? Optional.empty() : Optional.of(java.time.Instant.ofEpochMilli(millis));
  }
}
