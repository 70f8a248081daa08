package dev.weft.pipelines;

import dev.weft.options.WeftOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The {@code weft} command: {@code java -jar weft.jar --sources=FORMAT:PATH ... --output=DIR}
 * runs the pipeline (Direct runner unless {@code --runner} says otherwise) and writes the run
 * summary; {@code --help} lists formats and options.
 *
 * <p>Exit codes: {@link ExitCode}.
 */
public final class WeftMain {
  private WeftMain() {}

  /** What a run writes; an earlier run's files are removed first so the counts are this run's. */
  /** The line files a run writes (as Beam shards of these prefixes) and its single files. */
  static final String[] OUTPUT_PREFIXES = {"events-", "deadletters-", "late-", "nodes-", "edges-",
      "bindings-", "shed-"};
  static final String[] OUTPUT_FILES = {"graph.json", "graph.dot", "graph.graphml",
      "summary.json"};

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] rawArgs, PrintStream out, PrintStream err) throws Exception {
    String[] args;
    try {
      args = ArgsFiles.expand(rawArgs);
    } catch (InvalidConfiguration e) {
      return configurationProblem(e, err);
    }
    if (args.length > 0) {
      switch (args[0]) {
        case "explain":
          return ExplainCommand.run(args, out);
        case "view":
          return ViewCommand.run(args, out, err);
        case "evaluate-identity":
          return IdentityEvaluationCommand.run(args, out);
        case "identity-benchmark":
          return IdentityBenchmark.run(args, out);
        case "generate":
          return dev.weft.pipelines.generate.GenerateCommand.run(args, out, err);
        case "benchmark":
          return PipelineBenchmark.run(args, out, err);
        case "adapter-benchmark":
          return AdapterBenchmark.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        default:
          break;
      }
    }
    if (args.length == 0 || Arrays.asList(args).contains("--help")
        || Arrays.asList(args).contains("-h")) {
      printHelp(out);
      return args.length == 0 ? ExitCode.CONFIGURATION.code() : ExitCode.OK.code();
    }
    try {
      EmbeddedFlinkRestore.Result restore = EmbeddedFlinkRestore.apply(args);
      args = restore.args();
      restore.note().ifPresent(n -> out.println("weft: " + n));
    } catch (InvalidConfiguration e) {
      err.println("weft: " + e.getMessage());
      return 1;
    }
    WeftOptions options;
    try {
      OptionChecks.checkArgs(args);
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(WeftOptions.class);
    } catch (InvalidConfiguration e) {
      return configurationProblem(e, err);
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
      err.println("weft: run with --help for the formats and options");
      return ExitCode.CONFIGURATION.code();
    }
    try {
      OptionChecks.check(options);
      options.setSources(SourceChecks.expandDirectories(options.getSources(), err));
    } catch (InvalidConfiguration e) {
      return configurationProblem(e, err);
    }
    relaxDirectRunnerChecks(options, args);
    return runPipeline(options,
        ProgressPlace.workersInThisJvm(options.getRunner().getSimpleName(), args), out, err);
  }

  /** A problem the user can fix: every line of it, no stack trace, exit 1. */
  static int configurationProblem(InvalidConfiguration e, PrintStream err) {
    for (String line : e.getMessage().split("\n")) {
      err.println("weft: " + line);
    }
    return ExitCode.CONFIGURATION.code();
  }

  /**
   * The Direct runner's immutability and encodability checks re-walk the whole pipeline for every
   * bundle, which made a 10,000-line run take minutes instead of seconds. They are test aids, so
   * the command turns them off unless the user asks for them; TestPipeline-based tests keep them.
   */
  static void relaxDirectRunnerChecks(WeftOptions options, String[] args) {
    String all = String.join(" ", args);
    DirectOptions direct = options.as(DirectOptions.class);
    if (!all.contains("--enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!all.contains("--enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    // The command waits itself, so that it can print progress from the metrics meanwhile.
    if (!all.contains("--blockOnRun")) {
      direct.setBlockOnRun(false);
    }
  }

  /**
   * @param workersHere whether the workers run in this JVM ({@link ProgressPlace}), so that the
   *     progress line can read their counts while the runner is still in {@code run()}
   */
  static int runPipeline(WeftOptions options, boolean workersHere, PrintStream out,
      PrintStream err) throws Exception {
    String runId = java.util.UUID.randomUUID().toString();
    try {
      return runPipeline(options, workersHere, runId, out, err);
    } finally {
      dev.weft.progress.LiveCounts.forget(runId);
    }
  }

  private static int runPipeline(WeftOptions options, boolean workersHere, String runId,
      PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.Plan plan;
    AdapterCatalog catalog = new AdapterCatalog(options);
    try {
      plan = WeftPipeline.build(p, options, catalog, workersHere ? runId : null);
      SourceChecks.checkInputsExist(plan.sources());
      SourceChecks.checkNotReadFromOutput(plan.sources(), plan.output(), OUTPUT_PREFIXES,
          OUTPUT_FILES);
      // Only what the previous run wrote, by its manifest: never a user's file (issue 11).
      OutputManifest.clearPreviousRun(plan.output());
      OutputManifest.write(plan.output(), OutputManifest.patterns(OUTPUT_PREFIXES, OUTPUT_FILES));
    } catch (InvalidConfiguration e) {
      return configurationProblem(e, err);
    } catch (IllegalArgumentException e) {
      // A transform refused a parameter that the option checks let through: still the user's
      // setting, so a message, not a stack trace.
      err.println("weft: " + e.getMessage());
      return ExitCode.CONFIGURATION.code();
    }
    catalog.notices().forEach(n -> err.println("weft: " + n));
    out.println("weft: running on " + options.getRunner().getSimpleName() + " with "
        + plan.sources().size() + " source(s); output in " + plan.output());
    PipelineResult result;
    // Started before run(): Beam's Flink runner returns from a batch run only once it is over.
    try (RunProgress progress = progress(options, workersHere, runId, err)) {
      result = p.run();
      if (Transports.submitsAndLeaves(options, plan.sources())) {
        out.println("weft: submitted a streaming job to " + options.getRunner().getSimpleName()
            + "; it runs until drained or cancelled, its counters are in the runner's console");
        return ExitCode.OK.code();
      }
      try (RunProgress remote = remoteProgress(options, workersHere, result, err);
          InterimSummary interim = interimSummary(options, plan, result,
              workersHere ? runId : null, err)) {
        result.waitUntilFinish();
      }
    }

    RunSummary summary = RunSummary.fromRun(result, plan.sources());
    summary.checkConservation(plan.writes(OptionalOutputs.EVENTS)
        ? java.util.OptionalLong.of(linesWritten(plan.output(), "events-"))
        : java.util.OptionalLong.empty(), linesWritten(plan.output(), "deadletters-"));
    summary.checkGraph(linesWritten(plan.output(), "late-"));
    // A Kafka spill is counted as it is produced; a file spill by its lines.
    long spilledLines = plan.spillDir() == null
        ? summary.counter(Transports.SPILL_NAMESPACE, "spilledToKafka")
        : linesWritten(plan.spillDir(), plan.spillPrefix() + "-");
    summary.checkOverload(linesWritten(plan.output(), "shed-"), spilledLines);
    if (spilledLines == 0 && plan.spillDir() != null) {
      SpillFiles.removeEmpty(plan.spillDir(), plan.spillPrefix() + "-");
    }
    summary.recordPrivacy();
    summary.recordStateBounds();
    summary.extra().put("final", true);
    summary.extra().put("state", String.valueOf(result.getState()));
    summary.putTotal("bindings", linesWritten(plan.output(), "bindings-"));
    String json = summary.toJson();
    OutputFiles.writeString(plan.output() + "summary.json", json);
    OutputManifest.write(plan.output(), OutputManifest.written(plan.output(),
        OutputManifest.patterns(OUTPUT_PREFIXES, OUTPUT_FILES)));
    out.println("weft: read " + summary.total("read") + ", normalized "
        + summary.total("normalized") + ", dead-lettered " + summary.total("deadLettered")
        + (summary.total("filtered") > 0 ? ", filtered " + summary.total("filtered")
            + " (taken by no inventory mapping's where)" : ""));
    out.println("weft: unique " + summary.total("unique") + ", duplicates "
        + summary.total("duplicates") + ", late " + summary.total("late") + ", unpaired spans "
        + summary.total("unpairedSpans"));
    out.println("weft: wrote " + plan.output() + "{"
        + (plan.writes(OptionalOutputs.EVENTS) ? "events," : "") + "deadletters,late,"
        + (plan.writes(OptionalOutputs.BINDINGS) ? "bindings," : "")
        + "nodes,edges}-*.jsonl, graph.json, summary.json");
    if (!summary.violations().isEmpty()) {
      err.println("weft: CONSERVATION VIOLATED — records were lost or invented:");
      summary.violations().forEach(v -> err.println("weft:   " + v));
      if (options.getRunner().getSimpleName().equals("SparkRunner")) {
        SPARK_RECOMPUTATION_HINT.forEach(l -> err.println("weft: " + l));
      }
      return ExitCode.NOT_CONSERVED.code();
    }
    List<String> deadSources = DeadSources.report(summary, plan.sources(), plan.output());
    if (!deadSources.isEmpty()) {
      deadSources.forEach(l -> err.println("weft: " + l));
      if (!options.getAllowAllDeadLettered()) {
        err.println("weft: exit " + ExitCode.SOURCE_ALL_DEAD_LETTERED.code() + ": a source "
            + "yielded no event; --allowAllDeadLettered accepts such a run");
        return ExitCode.SOURCE_ALL_DEAD_LETTERED.code();
      }
    }
    return ExitCode.OK.code();
  }

  /**
   * Seen on a 200k-span file under -Xmx4g: Spark (local) dropped cached partitions for lack of
   * memory and recomputed them; Beam's metrics on Spark are accumulators, which count every
   * computation, so read/normalized/unique came out doubled while the outputs were exact. With
   * -Xmx8g the same run conserved. (Spilling to disk instead, --storageLevel=MEMORY_AND_DISK or
   * MEMORY_ONLY_SER, fails inside Beam 2.70's Spark runner with a NullPointerException.)
   */
  static final List<String> SPARK_RECOMPUTATION_HINT = List.of(
      "on Spark, counters above the outputs usually mean Spark recomputed cached partitions it "
          + "had dropped for lack of memory, and Beam's metrics counted both computations;",
      "compare the output files with the input, and give the JVM more heap (-Xmx) so the "
          + "cache holds: a 200,000-span file needs about -Xmx8g on Spark local");

  /** For a streaming run: summary.json rewritten while it runs (null for a bounded one). */
  private static InterimSummary interimSummary(WeftOptions options, WeftPipeline.Plan plan,
      PipelineResult result, String runId, PrintStream err) {
    if (!Transports.unbounded(plan.sources()) || result.getState().isTerminal()) {
      return null;
    }
    return InterimSummary.start(result, plan.sources(), runId, plan.output() + "summary.json",
        Duration.ofSeconds(options.getSummarySeconds()), err);
  }

  /** The progress line's timer, already started; null when quiet or the workers are elsewhere. */
  private static RunProgress progress(WeftOptions options, boolean workersHere, String runId,
      PrintStream err) {
    if (options.getQuiet()) {
      return null;
    }
    if (!workersHere) {
      err.println("weft: " + ProgressPlace.elsewhere(options.getRunner().getSimpleName()));
      return null;
    }
    return RunProgress.ofLiveCounts(runId, err, Duration.ofSeconds(options.getProgressSeconds()))
        .start();
  }

  /**
   * For workers elsewhere whose runner returned from run() while the job goes on (Dataflow): the
   * runner's own live metrics, if it reports them (else one line says it does not).
   */
  private static RunProgress remoteProgress(WeftOptions options, boolean workersHere,
      PipelineResult result, PrintStream err) {
    if (options.getQuiet() || workersHere || result.getState().isTerminal()) {
      return null;
    }
    return RunProgress.of(result, err, Duration.ofSeconds(options.getProgressSeconds())).start();
  }

  /** Lines in the files this run wrote under a prefix (never a user's {@code events-old.jsonl}). */
  private static long linesWritten(String dir, String prefix) throws java.io.IOException {
    return OutputFiles.countLines(dir + OutputManifest.shardGlob(prefix))
        + OutputFiles.countLines(dir + prefix + "-*.jsonl");
  }

  static void printHelp(PrintStream out) {
    out.println("Weft: fuses traces, logs, configuration and inventory into canonical events and "
        + "one entity graph.");
    out.println();
    out.println("Usage: java -jar weft.jar --sources=FORMAT:PATH_OR_GLOB [--sources=...] "
        + "[--output=DIR] [--runner=DirectRunner|FlinkRunner|SparkRunner|DataflowRunner] [options]");
    out.println("       java -jar weft.jar @ARGS_FILE   (one argument per line, # comments)");
    out.println("       java -jar weft.jar explain ENTITY_ID [--output=DIR]   (why is X part of Y? "
        + "DIR defaults to weft-out)");
    out.println("       java -jar weft.jar explain --event=ID | --record=PATH:LINE [--output=DIR]"
        + "   (which entities did this record bind to, and why?)");
    out.println("       java -jar weft.jar view --output=DIR [--open] [--serve=PORT]   (the graph "
        + "as a page: DIR/graph.html)");
    out.println("       java -jar weft.jar evaluate-identity   (precision/recall/F1 on the "
        + "identity benchmarks)");
    out.println("       java -jar weft.jar identity-benchmark | adapter-benchmark   (throughput)");
    out.println("       java -jar weft.jar generate --spans=N --out=FILE.ndjson [--format=zipkin|otlp]"
        + "   (seeded trace traffic)");
    out.println("       java -jar weft.jar benchmark [--spans=N | --input=FILE] [--runner=...]"
        + "   (throughput of the whole pipeline)");
    out.println();
    out.println("Formats:");
    out.println("  otlp-traces   OTLP/JSON ExportTraceServiceRequest");
    out.println("  otlp-logs     OTLP/JSON ExportLogsServiceRequest");
    out.println("  zipkin        Zipkin v2 JSON span arrays");
    out.println("  jaeger        Jaeger query JSON ({\"data\":[{traceID, spans, processes}]})");
    out.println("  json-logs     one JSON log object per line (field aliases: --jsonLogFields)");
    out.println("  syslog        RFC 5424 / RFC 3164, RFC 6587 octet-counted or LF framing");
    out.println("  k8s           Kubernetes objects, kind: List, watch events (JSON or YAML)");
    out.println("  inventory[.NAME]  CSV or JSON records through the --inventoryMapping named NAME");
    out.println("  text-logs.NAME  plain-text logs through pattern NAME of --patterns "
        + "(built in: apache, hdfs, linux, openssh, zookeeper)");
    out.println("  weft-events   Weft's own events, one per line (events-*.jsonl, spill files): "
        + "replayed as written");
    out.println();
    out.println("Files ending in .ndjson or .jsonl hold one record per line and are read in "
        + "parallel splits.");
    out.println();
    out.println("Exit codes:");
    for (ExitCode c : ExitCode.values()) {
      out.println("  " + c.code() + "  " + c.meaning());
    }
    out.println();
    PipelineOptionsFactory.printHelp(out, WeftOptions.class);
  }
}
