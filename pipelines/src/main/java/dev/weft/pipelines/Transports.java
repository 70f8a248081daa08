package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableRow;
import dev.weft.model.RawRecord;
import dev.weft.io.DeadLetterJson;
import dev.weft.io.bigquery.BigQueryUpsertSink;
import dev.weft.io.bigquery.WeftTables;
import dev.weft.io.kafka.ClientProperties;
import dev.weft.io.kafka.KafkaLocation;
import dev.weft.io.kafka.KafkaRawSource;
import dev.weft.io.kafka.KafkaUpsertSink;
import dev.weft.io.pubsub.PubsubLocation;
import dev.weft.io.pubsub.PubsubRawSource;
import dev.weft.model.Binding;
import dev.weft.model.DeadLetter;
import dev.weft.options.WeftOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Where the pipeline meets brokers, tables and runners: Kafka and Pub/Sub sources, the Kafka and
 * BigQuery sinks for the graph, dead letters and bindings, file writes that also work on an
 * unbounded input, and the checks that refuse a runner/feature combination at start rather than
 * fail mid-run.
 */
final class Transports {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often a streaming run appends its event and dead-letter files. */
  static final Duration STREAMING_FILE_PANE = Duration.standardSeconds(10);

  private Transports() {}

  /** True when a source never ends: a broker source without {@code maxRecords}. */
  static boolean unbounded(List<SourceSpec> sources) {
    for (SourceSpec s : sources) {
      if (s.transport() == SourceSpec.Transport.PUBSUB) {
        return true;
      }
      if (s.transport() == SourceSpec.Transport.KAFKA
          && parseKafka(s).maxRecords().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Switches the runner to streaming when a source is unbounded (Spark needs to be told). */
  static void configureStreaming(WeftOptions options, List<SourceSpec> sources) {
    if (unbounded(sources)) {
      options.as(StreamingOptions.class).setStreaming(true);
    }
  }

  /**
   * True when the launcher should return once the job is submitted: a streaming job on a remote
   * service (Dataflow) outlives the command that launched it, and a Flex Template launcher must
   * exit. Direct and embedded runs keep running in the command until stopped.
   */
  static boolean submitsAndLeaves(WeftOptions options, List<SourceSpec> sources) {
    return unbounded(sources) && options.getRunner().getSimpleName().equals("DataflowRunner");
  }

  /** The raw records of a broker source. */
  static PCollection<RawRecord> read(Pipeline p, SourceSpec spec, WeftOptions options) {
    Duration delay = watermarkDelay(options);
    switch (spec.transport()) {
      case KAFKA: {
        KafkaLocation l = parseKafka(spec);
        KafkaRawSource source = KafkaRawSource.of(spec.format(), l.bootstrapServers(), l.topics())
            .withConsumerProperties(kafkaProperties(options).with(l.properties()))
            .withMaxDelay(delay)
            .withMaxRecordBytes(options.getMaxRecordBytes());
        if (l.maxRecords().isPresent()) {
          source = source.withMaxNumRecords(l.maxRecords().getAsLong());
        }
        return p.apply("Read " + spec.name(), source);
      }
      case PUBSUB: {
        PubsubLocation l = parsePubsub(spec);
        if (!l.isSubscription()) {
          throw new InvalidConfiguration("--sources=" + spec + ": read from a subscription "
              + "(pubsub://projects/P/subscriptions/S), not a topic");
        }
        PubsubRawSource source = PubsubRawSource.of(spec.format(), l.path())
            .withMaxRecordBytes(options.getMaxRecordBytes());
        source = l.timestampAttribute().map(source::withTimestampAttribute)
            .orElseGet(source::withPublishTime);
        source = l.idAttribute().map(source::withIdAttribute)
            .orElseGet(source::withoutIdAttribute);
        return p.apply("Read " + spec.name(), source);
      }
      default:
        throw new IllegalArgumentException(spec + " is not a broker source");
    }
  }

  /**
   * How far before its record's timestamp Normalize may stamp an event. Kafka records leave their
   * source at the minimum timestamp (like file records), so zero; a Pub/Sub record carries its
   * timestamp attribute, and its events may be up to the watermark delay older than it.
   */
  static Duration timestampSkew(SourceSpec spec, WeftOptions options) {
    return spec.transport() == SourceSpec.Transport.PUBSUB ? watermarkDelay(options)
        : Duration.ZERO;
  }

  /** {@code --watermarkDelaySeconds}, by default the lateness bound {@code --allowedLatenessSeconds}. */
  static Duration watermarkDelay(WeftOptions options) {
    Long seconds = options.getWatermarkDelaySeconds();
    return Duration.standardSeconds(seconds != null ? seconds
        : options.getAllowedLatenessSeconds());
  }

  /** {@code --kafkaProperties} overridden by {@code --kafkaPropertiesFile}. */
  static ClientProperties kafkaProperties(WeftOptions options) {
    ClientProperties p;
    try {
      p = ClientProperties.parse(options.getKafkaProperties());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration("--kafkaProperties: " + e.getMessage(), e);
    }
    if (options.getKafkaPropertiesFile() != null) {
      try {
        p = p.with(ClientProperties.fromFile(options.getKafkaPropertiesFile()));
      } catch (IOException e) {
        throw new InvalidConfiguration("--kafkaPropertiesFile=" + options.getKafkaPropertiesFile()
            + ": cannot read it: " + e.getMessage(), e);
      }
    }
    return p;
  }

  /**
   * Writes lines under {@code prefix}. On a bounded input, one set of files at the end; on an
   * unbounded one, a new set every {@link #STREAMING_FILE_PANE} of processing time (the files only
   * append what arrived: nothing is held back for a watermark, so nothing is dropped as late).
   */
  static void writeLines(PCollection<String> lines, String prefix, boolean streaming) {
    writeLines(lines, prefix,
        prefix.substring(Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\')) + 1),
        streaming);
  }

  /**
   * The same, with the steps named by {@code name}: a step's name must not change between two
   * runs of one job (a streaming job restored from a checkpoint finds its operators' state by the
   * step names; a name with the run's start time in it made every restore fail).
   */
  static void writeLines(PCollection<String> lines, String prefix, String name,
      boolean streaming) {
    if (!streaming) {
      lines.apply("Write " + name, TextIO.write().to(prefix).withSuffix(".jsonl"));
      return;
    }
    lines
        .apply("Append panes " + name, Window.<String>into(new GlobalWindows())
            .triggering(Repeatedly.forever(AfterProcessingTime.pastFirstElementInPane()
                .plusDelayOf(STREAMING_FILE_PANE)))
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes())
        // "-": windowed file names are PREFIX + "GlobalWindow-pane-N-..." without a separator.
        .apply("Write " + name, TextIO.write().to(prefix + "-").withSuffix(".jsonl")
            .withWindowedWrites().withNumShards(1));
  }

  /** Dead letters to {@code --deadLetterSink}, when set. */
  static void writeDeadLetters(PCollection<DeadLetter> deadLetters, WeftOptions options) {
    String sink = options.getDeadLetterSink();
    if (sink == null || sink.isBlank()) {
      return;
    }
    if (KafkaLocation.matches(sink)) {
      deadLetters
          .apply("Dead letters by origin", MapElements
              .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
              .via(d -> KV.of(d.origin().format() + "|" + d.origin().describe(),
                  DeadLetterJson.toJson(d))))
          .apply(kafkaSink(sink, "--deadLetterSink", options));
    } else if (isBigQuery(sink)) {
      deadLetters
          .apply("Dead letters as rows", MapElements.into(TypeDescriptor.of(TableRow.class))
              .via(WeftTables::deadLetterRow))
          .setCoder(TableRowJsonCoder.of())
          .apply(bigQuerySink(WeftTables.DEAD_LETTERS, sink, "--deadLetterSink", options));
    } else {
      throw new InvalidConfiguration("--deadLetterSink=" + sink
          + " is neither kafka://HOST:PORT/TOPIC nor bigquery://PROJECT:DATASET");
    }
  }

  /**
   * Graph records (one JSON line each, carrying {@code upsertKey} and {@code revision}) to {@code
   * --graphSink}, when set: Kafka keyed by upsert key, or BigQuery tables nodes and edges.
   */
  static void writeGraph(PCollection<String> nodeJson, PCollection<String> edgeJson,
      WeftOptions options) {
    String sink = options.getGraphSink();
    if (sink == null || sink.isBlank()) {
      return;
    }
    if (KafkaLocation.matches(sink)) {
      nodeJson.apply("Nodes by upsert key", byUpsertKey())
          .apply("Nodes to Kafka", kafkaSink(sink, "--graphSink", options));
      edgeJson.apply("Edges by upsert key", byUpsertKey())
          .apply("Edges to Kafka", kafkaSink(sink, "--graphSink", options));
    } else if (isBigQuery(sink)) {
      nodeJson.apply("Nodes as rows", MapElements.into(TypeDescriptor.of(TableRow.class))
              .via(WeftTables::nodeRow)).setCoder(TableRowJsonCoder.of())
          .apply(bigQuerySink(WeftTables.NODES, sink, "--graphSink", options));
      edgeJson.apply("Edges as rows", MapElements.into(TypeDescriptor.of(TableRow.class))
              .via(WeftTables::edgeRow)).setCoder(TableRowJsonCoder.of())
          .apply(bigQuerySink(WeftTables.EDGES, sink, "--graphSink", options));
    } else {
      throw new InvalidConfiguration("--graphSink=" + sink
          + " is neither kafka://HOST:PORT/TOPIC nor bigquery://PROJECT:DATASET");
    }
  }

  /**
   * Events beyond the overload budget to the Kafka topic of {@code --spillLocation}, keyed by event
   * id, as Weft's canonical event JSON: {@code --sources=weft-events:kafka://...} replays them, and
   * a replayed event that was already graphed is a duplicate (dedup is by event id). Counted as
   * {@code spilledToKafka}: the summary cannot count a topic's lines as it counts a file's.
   */
  static void spillToKafka(PCollection<dev.weft.model.Event> spilled, WeftOptions options) {
    spilled
        .apply("Spill by event id", ParDo.of(new SpillRecordFn()))
        .apply("Spill to Kafka", kafkaSink(options.getSpillLocation(), "--spillLocation", options));
  }

  /** One spilled event as (event id, event JSON), counted. */
  static final class SpillRecordFn extends DoFn<dev.weft.model.Event, KV<String, String>> {
    private final org.apache.beam.sdk.metrics.Counter written =
        org.apache.beam.sdk.metrics.Metrics.counter(SPILL_NAMESPACE, "spilledToKafka");

    @ProcessElement
    public void process(@Element dev.weft.model.Event e, OutputReceiver<KV<String, String>> out) {
      written.inc();
      out.output(KV.of(e.eventId(), dev.weft.io.EventJson.toJson(e)));
    }
  }

  static final String SPILL_NAMESPACE = "dev.weft.pipelines.Spill";

  /** Binding decisions to {@code --bindingsSink}, when set. */
  static void writeBindings(PCollection<Binding> bindings, WeftOptions options) {
    String sink = options.getBindingsSink();
    if (sink == null || sink.isBlank()) {
      return;
    }
    if (KafkaLocation.matches(sink)) {
      bindings
          .apply("Bindings by upsert key", MapElements
              .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
              .via(b -> KV.of(b.upsertKey(), dev.weft.identity.BindingJson.toJson(b))))
          .apply(kafkaSink(sink, "--bindingsSink", options));
    } else if (isBigQuery(sink)) {
      bindings
          .apply("Bindings as rows", MapElements.into(TypeDescriptor.of(TableRow.class))
              .via(WeftTables::bindingRow))
          .setCoder(TableRowJsonCoder.of())
          .apply(bigQuerySink(WeftTables.BINDINGS, sink, "--bindingsSink", options));
    } else {
      throw new InvalidConfiguration("--bindingsSink=" + sink
          + " is neither kafka://HOST:PORT/TOPIC nor bigquery://PROJECT:DATASET");
    }
  }

  /**
   * Refuses, before anything runs, a runner that cannot execute this pipeline. Spark's classic
   * runner rejects event-time timers in streaming mode (it supports state, processing-time timers
   * and event-time triggers): a streaming Weft pipeline on Spark is refused with the steps that
   * need them and the alternatives, never failed mid-run.
   */
  static void checkRunnerSupport(Pipeline p, WeftOptions options) {
    String runner = options.getRunner().getSimpleName();
    boolean streaming = options.as(StreamingOptions.class).isStreaming();
    if (!runner.equals("SparkRunner") || !streaming) {
      return;
    }
    List<String> steps = stepsWithEventTimeTimers(p);
    if (!steps.isEmpty()) {
      throw new InvalidConfiguration("SparkRunner does not support event-time timers in streaming"
          + " mode (Beam's classic Spark runner: \"EVENT_TIME not yet supported in streaming"
          + " mode\"), and these steps use them: " + String.join(", ", steps) + ". Run streaming"
          + " input on --runner=FlinkRunner or DataflowRunner, or read a bounded slice on Spark"
          + " (files, or kafka://.../TOPIC?maxRecords=N).");
    }
  }

  /** The full names of the steps whose DoFn declares an event-time timer or timer family. */
  static List<String> stepsWithEventTimeTimers(Pipeline p) {
    List<String> found = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        PTransform<?, ?> t = node.getTransform();
        DoFn<?, ?> fn = null;
        if (t instanceof ParDo.MultiOutput<?, ?> m) {
          fn = m.getFn();
        } else if (t instanceof ParDo.SingleOutput<?, ?> s) {
          fn = s.getFn();
        }
        if (fn != null && usesEventTimeTimers(fn)) {
          found.add(node.getFullName());
        }
      }
    });
    return found;
  }

  static boolean usesEventTimeTimers(DoFn<?, ?> fn) {
    DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
    for (DoFnSignature.TimerDeclaration d : signature.timerDeclarations().values()) {
      if (domain(d.field(), fn) == TimeDomain.EVENT_TIME) {
        return true;
      }
    }
    for (DoFnSignature.TimerFamilyDeclaration d : signature.timerFamilyDeclarations().values()) {
      if (domain(d.field(), fn) == TimeDomain.EVENT_TIME) {
        return true;
      }
    }
    return false;
  }

  private static TimeDomain domain(java.lang.reflect.Field field, DoFn<?, ?> fn) {
    try {
      field.setAccessible(true);
      Object spec = field.get(fn);
      return spec instanceof TimerSpec ts ? ts.getTimeDomain() : null;
    } catch (IllegalAccessException | RuntimeException e) {
      // Unknown domain: assume the worst, so Spark refuses rather than fails mid-run.
      return TimeDomain.EVENT_TIME;
    }
  }

  private static KafkaUpsertSink kafkaSink(String uri, String option, WeftOptions options) {
    KafkaLocation l;
    try {
      l = KafkaLocation.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration(option + ": " + e.getMessage(), e);
    }
    if (l.topics().size() != 1) {
      throw new InvalidConfiguration(option + "=" + uri + ": a sink writes one topic");
    }
    return KafkaUpsertSink.of(l.bootstrapServers(), l.topics().get(0))
        .withProducerProperties(kafkaProperties(options).with(l.properties()));
  }

  private static boolean isBigQuery(String uri) {
    return uri.toLowerCase(Locale.ROOT).startsWith("bigquery://");
  }

  private static BigQueryUpsertSink bigQuerySink(WeftTables table, String uri, String option,
      WeftOptions options) {
    String dataset = uri.substring("bigquery://".length());
    if (!dataset.matches("[a-z][a-z0-9\\-]{4,61}[a-z0-9][:.][A-Za-z0-9_]{1,1024}")) {
      throw new InvalidConfiguration(option + "=" + uri + " is not bigquery://PROJECT:DATASET");
    }
    BigQueryUpsertSink.Mode mode;
    try {
      mode = BigQueryUpsertSink.Mode.valueOf(options.getBigQueryWriteMode().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration("--bigQueryWriteMode=" + options.getBigQueryWriteMode()
          + " is neither UPSERT nor CHANGELOG", e);
    }
    return BigQueryUpsertSink.of(table, dataset.replaceFirst("\\.", ":") + "." + table.tableName())
        .withMode(mode);
  }

  private static MapElements<String, KV<String, String>> byUpsertKey() {
    return MapElements
        .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
        .via(json -> KV.of(upsertKey(json), json));
  }

  static String upsertKey(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      JsonNode key = n == null ? null : n.get("upsertKey");
      if (key == null || !key.isTextual()) {
        throw new IllegalArgumentException("graph record without upsertKey: " + json);
      }
      return key.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KafkaLocation parseKafka(SourceSpec spec) {
    try {
      return KafkaLocation.parse(spec.location());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration("--sources=" + spec + ": " + e.getMessage(), e);
    }
  }

  private static PubsubLocation parsePubsub(SourceSpec spec) {
    try {
      return PubsubLocation.parse(spec.location());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfiguration("--sources=" + spec + ": " + e.getMessage(), e);
    }
  }
}
