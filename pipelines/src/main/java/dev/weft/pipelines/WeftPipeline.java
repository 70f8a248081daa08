package dev.weft.pipelines;

import dev.weft.adapters.Normalize;
import dev.weft.model.RawRecord;
import dev.weft.adapters.SourceAdapter;
import dev.weft.io.DeadLetterJson;
import dev.weft.io.EventJson;
import dev.weft.core.EventsToGraph;
import dev.weft.core.GraphParams;
import dev.weft.graph.FinalGraph;
import dev.weft.identity.BindingJson;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.PolicyException;
import dev.weft.identity.ResolveIdentity;
import dev.weft.io.files.ReadFileRecords;
import dev.weft.model.DeadLetter;
import dev.weft.model.DeadLetterCoder;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.GraphEdge;
import dev.weft.model.GraphNode;
import dev.weft.model.LateEvent;
import dev.weft.options.WeftOptions;
import dev.weft.overload.OverloadAction;
import dev.weft.overload.OverloadPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Composes Weft from options, top-down as the data flows (DESIGN §3): every configured source is
 * read and normalized by its adapter; the events of all sources are deduplicated, resolved to
 * entities, ordered within each entity and built into the graph. Written under {@code --output}:
 * events, dead letters, late events, node and edge records (every pane) and, for a bounded run,
 * {@code graph.json}.
 */
public final class WeftPipeline {
  private WeftPipeline() {}

  /** What the built pipeline will produce, for the run summary. */
  /**
   * @param spillDir where this run spills events beyond the overload budget (with a trailing
   *     slash; null when they go to a Kafka topic), {@code spillPrefix} the name of this run's spill files there, before their
   *     {@code -SSSSS-of-NNNNN.jsonl} shard suffix
   */
  /** What a built pipeline reads and writes; {@code outputs}: the optional files it writes. */
  public record Plan(List<SourceSpec> sources, String output, String spillDir,
      String spillPrefix, Set<OptionalOutputs> outputs) {

    boolean writes(OptionalOutputs o) {
      return outputs.contains(o);
    }
  }

  public static Plan build(Pipeline p, WeftOptions options, AdapterCatalog catalog) {
    return build(p, options, catalog, null);
  }

  /**
   * @param progressRunId the run's key in {@link dev.weft.progress.LiveCounts}, which the counting
   *     steps fill for the progress line; null for none
   */
  public static Plan build(Pipeline p, WeftOptions options, AdapterCatalog catalog,
      String progressRunId) {
    List<SourceSpec> specs = new ArrayList<>();
    List<String> raw = options.getSources();
    for (int i = 0; i < raw.size(); i++) {
      specs.add(SourceSpec.parse(i, raw.get(i)));
    }
    Transports.configureStreaming(options, specs);
    boolean streaming = Transports.unbounded(specs);
    List<PCollection<Event>> events = new ArrayList<>();
    List<PCollection<DeadLetter>> deadLetters = new ArrayList<>();
    for (SourceSpec spec : specs) {
      SourceAdapter adapter = catalog.adapterFor(spec.format());
      PCollection<RawRecord> records = read(p, spec, adapter, options);
      PCollectionTuple normalized = records.apply("Normalize " + spec.name(),
          new Normalize(adapter, spec.name(), options.getDeadLetterPayloadBytes(),
              Transports.timestampSkew(spec, options)).withProgress(progressRunId));
      events.add(normalized.get(Normalize.EVENTS));
      deadLetters.add(normalized.get(Normalize.DEAD_LETTERS));
    }
    // The privacy policy applies before anything is written or resolved (README "Privacy").
    PrivacySettings privacy = PrivacySettings.from(options);
    PCollection<Event> allEvents = PCollectionList.of(events)
        .apply("All events", Flatten.pCollections()).setCoder(EventCoder.of())
        .apply("Privacy: events", privacy.events());
    PCollection<DeadLetter> allDeadLetters = PCollectionList.of(deadLetters)
        .apply("All dead letters", Flatten.pCollections()).setCoder(DeadLetterCoder.of())
        .apply("Privacy: dead letters", privacy.deadLetters());
    allEvents.apply("Event time reached", ParDo.of(new EventTimeReached()))
        .setCoder(VoidCoder.of());

    String out = OutputFiles.dir(options.getOutput());
    Set<OptionalOutputs> outputs = OptionalOutputs.parse(options.getOutputs());
    if (outputs.contains(OptionalOutputs.EVENTS)) {
      Transports.writeLines(allEvents.apply("Events as JSON",
          MapElements.into(TypeDescriptors.strings()).via(EventJson::toJson)),
          out + "events", streaming);
    }
    Transports.writeLines(allDeadLetters
        .apply("Dead letters as JSON",
            MapElements.into(TypeDescriptors.strings()).via(DeadLetterJson::toJson)),
        out + "deadletters", streaming);
    Transports.writeDeadLetters(allDeadLetters, options);

    GraphParams params = graphParams(options);
    IdentityPolicy policy = policy(options);
    catalog.checkInventoryRelations(policy);
    ResolveIdentity identity = new ResolveIdentity(policy,
        java.time.Duration.ofMillis(params.allowedLateness().getMillis()),
        options.getIdentityShards());
    EventsToGraph.Result graph = allEvents.apply("Graph", new EventsToGraph(params, identity)
        .withCallSemantics(peerAttributes(options), options.getVirtualUserClient())
        .withOverload(overloadPolicy(options))
        .withProgress(progressRunId));
    // Shed ids belong to this run's outputs; spilled events go where no run cleans them up.
    Transports.writeLines(graph.shed(), out + "shed", streaming);
    String spillDir = spillDir(options);
    String spillPrefix = "spill-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    PCollection<String> spilled = graph.spilled()
        .apply("Spilled as JSON", MapElements.into(TypeDescriptors.strings()).via(EventJson::toJson));
    if (spillDir == null) {
      Transports.spillToKafka(graph.spilled(), options);
    } else if (streaming) {
      Transports.writeLines(spilled, spillDir + spillPrefix, "spill", true);
    } else {
      // An empty spill file is removed after the run (SpillFiles): nothing spilled, nothing left.
      spilled.apply("Write spill", TextIO.write().to(spillDir + spillPrefix).withSuffix(".jsonl"));
    }
    if (outputs.contains(OptionalOutputs.BINDINGS)) {
      writeJsonLines(graph.bindings(), BindingJson::toJson, "Bindings", out + "bindings",
          streaming);
    }
    writeJsonLines(graph.late(), LateEvent::toJson, "Late", out + "late", streaming);
    PCollection<String> nodes =
        writeJsonLines(graph.nodes(), GraphNode::toJson, "Nodes", out + "nodes", streaming);
    PCollection<String> edges =
        writeJsonLines(graph.edges(), GraphEdge::toJson, "Edges", out + "edges", streaming);
    Transports.writeGraph(nodes, edges, options);
    Transports.writeBindings(graph.bindings(), options);
    Set<GraphExports.Format> formats = GraphExports.Format.parse(options.getGraphFormat());
    if (!streaming) {
      // A continuous run has no final graph: its current graph is the upserted --graphSink.
      PCollection<String> finalGraph = FinalGraph.assemble(graph.nodes(), graph.edges());
      writeGraphFile(finalGraph, GraphExports.Format.JSON, out);
      for (GraphExports.Format f : formats) {
        if (f != GraphExports.Format.JSON) {
          writeGraphFile(finalGraph, f, out);
        }
      }
    }
    Transports.checkRunnerSupport(p, options);
    return new Plan(specs, out, spillDir, spillPrefix, outputs);
  }

  /**
   * Writes the final graph in one format as one file under the output directory. graph.json is
   * always written (the view and the runner matrix read it); --graphFormat adds DOT and GraphML.
   */
  private static void writeGraphFile(PCollection<String> graphJson, GraphExports.Format format,
      String out) {
    String file = format.fileName();
    graphJson
        .apply("Graph as " + format, MapElements.into(TypeDescriptors.strings())
            .via((String json) -> endWithNewline(format == GraphExports.Format.JSON ? json
                : GraphExports.convert(json, format))))
        .apply("Write " + file, ParDo.of(new WriteWholeFileFn(out + file)));
  }

  /** Every file Weft writes ends with a newline (as TextIO's lines did). */
  private static String endWithNewline(String text) {
    return text.endsWith("\n") ? text : text + "\n";
  }

  /**
   * Writes its one element as the whole file, directly: no grouping. (TextIO's unsharded write
   * groups its elements into one shard first; the graph of a few thousand objects is one element
   * of several megabytes, which Flink's batch sort refused under a small heap — "the record
   * exceeds the maximum size of a sort buffer" — with 2,500 Kubernetes objects at -Xmx512m.) A
   * retried bundle writes the same bytes again.
   */
  static final class WriteWholeFileFn extends DoFn<String, Void> {
    private final String path;

    WriteWholeFileFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element String content) throws java.io.IOException {
      OutputFiles.writeString(path, content);
    }
  }

  /** The identity policy: the built-in one, or --policy; an invalid file stops the run here. */
  static IdentityPolicy policy(WeftOptions o) {
    try {
      return o.getPolicy() == null ? IdentityPolicy.defaultPolicy()
          : IdentityPolicy.fromFile(java.nio.file.Paths.get(o.getPolicy()));
    } catch (PolicyException e) {
      throw new InvalidConfiguration("--policy: " + e.getMessage(), e);
    }
  }

  /** The graph settings, checked together (an inconsistent set stops the run at start). */
  static java.util.List<String> peerAttributes(WeftOptions o) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String a : o.getVirtualNodePeerAttributes().split(",")) {
      if (!a.isBlank()) {
        out.add(a.trim());
      }
    }
    return out;
  }

  /** The overload policy of the options (checked at start by OptionChecks). */
  static OverloadPolicy overloadPolicy(WeftOptions o) {
    return new OverloadPolicy(o.getOverloadBudget(), OverloadAction.parse(o.getOverloadAction()),
        o.getOverloadSampleEvery(), Duration.standardSeconds(o.getWindowSeconds()));
  }

  /** Whether --spillLocation names a Kafka topic rather than a directory. */
  static boolean spillsToKafka(WeftOptions o) {
    String given = o.getSpillLocation();
    return given != null && dev.weft.io.kafka.KafkaLocation.matches(given);
  }

  /**
   * --spillLocation, else the output directory's sibling NAME-spill (never cleaned by Weft); null
   * when the spill goes to a Kafka topic.
   */
  static String spillDir(WeftOptions o) {
    String given = o.getSpillLocation();
    if (spillsToKafka(o)) {
      return null;
    }
    if (given != null && !given.isBlank()) {
      return OutputFiles.dir(given);
    }
    String out = OutputFiles.dir(o.getOutput());
    return out.substring(0, out.length() - 1) + "-spill/";
  }

  static GraphParams graphParams(WeftOptions o) {
    try {
      return new GraphParams(Duration.standardSeconds(o.getWindowSeconds()),
          Duration.standardSeconds(o.getAllowedLatenessSeconds()),
          o.getEarlyFiringSeconds() > 0
              ? Optional.of(Duration.standardSeconds(o.getEarlyFiringSeconds())) : Optional.empty(),
          Duration.standardSeconds(o.getDedupHorizonSeconds()),
          Duration.standardSeconds(o.getPairingBoundSeconds()), o.getOrderBufferCap());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration("graph options: " + e.getMessage(), e);
    }
  }

  private static <T> PCollection<String> writeJsonLines(PCollection<T> records,
      org.apache.beam.sdk.transforms.SerializableFunction<T, String> toJson, String what,
      String prefix, boolean streaming) {
    PCollection<String> json =
        records.apply(what + " as JSON", MapElements.into(TypeDescriptors.strings()).via(toJson));
    Transports.writeLines(json, prefix, streaming);
    return json;
  }

  private static PCollection<RawRecord> read(Pipeline p, SourceSpec spec, SourceAdapter adapter,
      WeftOptions options) {
    switch (spec.transport()) {
      case FILES:
        return p.apply("Read " + spec.name(), new ReadFileRecords(spec.format(), spec.location(),
            ReadFileRecords.framingFor(spec.location(), adapter.fileFraming()),
            options.getMaxRecordBytes(), Normalize.counterNamespace(spec.name())));
      case KAFKA:
      case PUBSUB:
        return Transports.read(p, spec, options);
      default:
        throw new InvalidConfiguration("--sources=" + spec + ": the " + spec.transport()
            + " transport is not available in this build");
    }
  }
}
