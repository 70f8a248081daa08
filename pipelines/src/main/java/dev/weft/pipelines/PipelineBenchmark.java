package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.pipelines.generate.GenerateCommand;
import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code weft.jar benchmark [--spans=1000000] [--seed=42] [--format=zipkin|otlp] [--input=FILE]
 * [--workDir=DIR] [--keep] [generator options] [pipeline options]}: the whole pipeline's throughput
 * on one trace file, a figure to print (never asserted).
 *
 * <p>Without {@code --input} it writes the file with the project's generator ({@code generate}'s
 * options apply: {@code --duplicates}, {@code --disorder}, {@code --lateness}, {@code --hours},
 * {@code --services}); every other option goes to the pipeline as on the main command ({@code
 * --runner=FlinkRunner --parallelism=2}, ...). It runs the pipeline in this process and prints wall
 * time, events/s, events/s per core, process CPU-µs per event, the heap's sampled maximum and its
 * pools' summed peaks, the process's peak RSS ({@code VmHWM}), and the counts the run produced
 * (read, unique, duplicates, late, call edges, calls, errors), so that a fast wrong answer shows.
 * The generated file and the output are deleted afterwards unless {@code --keep}.
 */
public final class PipelineBenchmark {
  private PipelineBenchmark() {}

  private static final Set<String> GENERATOR_OPTIONS = Set.of("spans", "seed", "format",
      "hours", "services", "duplicates", "disorder", "lateness", "lateSeconds", "shapes");

  static final String USAGE = "usage: java -jar weft.jar benchmark [--spans=1000000] [--seed=42] "
      + "[--format=zipkin|otlp] [--input=FILE --format=...] [--workDir=DIR] [--keep] "
      + "[generate options] [pipeline options, e.g. --runner=FlinkRunner --parallelism=2]";

  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    List<String> generatorArgs = new ArrayList<>();
    List<String> pipelineArgs = new ArrayList<>();
    Path input = null;
    Path workDir = null;
    boolean keep = false;
    boolean spansGiven = false;
    String format = "zipkin";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i == 0 && a.equals("benchmark")) {
        continue;
      }
      String name = a.startsWith("--") && a.indexOf('=') > 0 ? a.substring(2, a.indexOf('='))
          : a.startsWith("--") ? a.substring(2) : a;
      String value = a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : "";
      if (name.equals("keep")) {
        keep = true;
      } else if (name.equals("input")) {
        input = Path.of(value);
      } else if (name.equals("workDir")) {
        workDir = Path.of(value);
      } else if (name.equals("output") || name.equals("sources")) {
        err.println("weft benchmark: --" + name + " is chosen by the benchmark (use --input and "
            + "--workDir)");
        err.println(USAGE);
        return 1;
      } else if (GENERATOR_OPTIONS.contains(name)) {
        generatorArgs.add(a);
        spansGiven |= name.equals("spans");
        if (name.equals("format")) {
          format = value;
        }
      } else {
        pipelineArgs.add(a);
      }
    }
    if (!spansGiven) {
      generatorArgs.add("--spans=1000000");
    }
    boolean ownWorkDir = workDir == null;
    workDir = ownWorkDir ? Files.createTempDirectory("weft-benchmark-") : workDir;
    Files.createDirectories(workDir);
    String sourceFormat;
    if (input == null) {
      generatorArgs.add("--out=" + workDir.resolve("spans.ndjson"));
      GenerateCommand.Parsed parsed;
      try {
        parsed = GenerateCommand.parse(generatorArgs.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        err.println("weft benchmark: " + e.getMessage());
        err.println(USAGE);
        return 1;
      }
      input = parsed.file();
      sourceFormat = parsed.settings().format().sourceFormat();
      long t0 = System.nanoTime();
      TraceGenerator.Report r = new TraceGenerator(parsed.settings()).write(input);
      out.printf(Locale.ROOT, "weft benchmark: generated %s: %,d lines (%,d spans + %,d copies), "
          + "%,d bytes, seed %d, %.1f s%n", input, r.lines(), r.spans(), r.duplicates(),
          Files.size(input), parsed.settings().seed(), (System.nanoTime() - t0) / 1e9);
    } else {
      if (!Files.isRegularFile(input)) {
        err.println("weft benchmark: --input " + input + " is not a file");
        return 1;
      }
      sourceFormat = format.startsWith("otlp") ? "otlp-traces" : "zipkin";
      out.printf(Locale.ROOT, "weft benchmark: input %s, %,d bytes%n", input, Files.size(input));
    }
    Path output = workDir.resolve("out");
    pipelineArgs.add(0, "--sources=" + sourceFormat + ":" + input);
    pipelineArgs.add("--output=" + output);

    Measurement m = Measurement.start();
    int code = WeftMain.run(pipelineArgs.toArray(new String[0]), out, err);
    Measurement.Result r = m.stop();
    if (code != 0) {
      err.println("weft benchmark: the pipeline exited with " + code + "; no figures");
      return code;
    }
    report(out, r, output, pipelineArgs);
    if (!keep) {
      deleteTree(output);
      if (ownWorkDir) {
        deleteTree(workDir);
      }
    } else {
      out.println("weft benchmark: kept " + input + " and " + output);
    }
    return 0;
  }

  private static void report(PrintStream out, Measurement.Result r, Path output,
      List<String> pipelineArgs) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode summary = json.readTree(output.resolve("summary.json").toFile());
    JsonNode totals = json.readTree(output.resolve("graph.json").toFile()).path("totals");
    long read = summary.path("read").asLong();
    int cores = Runtime.getRuntime().availableProcessors();
    double eps = read / r.wallSeconds();
    out.println("weft benchmark: pipeline arguments " + String.join(" ", pipelineArgs));
    out.printf(Locale.ROOT, "  wall time           %10.2f s%n", r.wallSeconds());
    out.printf(Locale.ROOT, "  events/s            %,10.0f%n", eps);
    out.printf(Locale.ROOT, "  events/s per core   %,10.0f   (%d available processors)%n",
        eps / cores, cores);
    out.printf(Locale.ROOT, "  CPU per event       %10.1f µs (process CPU %.1f s)%n",
        r.cpuSeconds() * 1e6 / Math.max(1, read), r.cpuSeconds());
    out.printf(Locale.ROOT, "  max heap used       %,10d MB sampled every 50 ms; heap pools' "
        + "peaks summed %,d MB; -Xmx %,d MB%n", r.maxHeapSampled() >> 20, r.heapPoolPeaks() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    out.printf(Locale.ROOT, "  max RSS (VmHWM)     %s%n", r.vmHwm());
    out.printf(Locale.ROOT, "  counts              read %,d, unique %,d, duplicates %,d, late %,d, "
        + "dead-lettered %,d%n", read, summary.path("unique").asLong(),
        summary.path("duplicates").asLong(), summary.path("late").asLong(),
        summary.path("deadLettered").asLong());
    out.printf(Locale.ROOT, "  graph               %,d call edges, %,d calls, %,d call errors, "
        + "%,d nodes, %,d edges%n", totals.path("callEdges").asLong(),
        totals.path("calls").asLong(), totals.path("callErrors").asLong(),
        totals.path("nodes").asLong(), totals.path("edges").asLong());
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Wall and process CPU time, heap maxima and peak RSS around one run. */
  static final class Measurement {
    private final long wall0;
    private final long cpu0;
    private final AtomicLong maxHeap = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    record Result(double wallSeconds, double cpuSeconds, long maxHeapSampled, long heapPoolPeaks,
        String vmHwm) {}

    private Measurement() {
      ManagementFactory.getMemoryPoolMXBeans().forEach(p -> p.resetPeakUsage());
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      sampler = new Thread(() -> {
        while (running) {
          maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "weft-benchmark-heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      cpu0 = processCpuNanos();
      wall0 = System.nanoTime();
    }

    static Measurement start() {
      return new Measurement();
    }

    Result stop() throws InterruptedException {
      double wall = (System.nanoTime() - wall0) / 1e9;
      double cpu = (processCpuNanos() - cpu0) / 1e9;
      running = false;
      sampler.interrupt();
      sampler.join();
      long poolPeaks = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      return new Result(wall, cpu, maxHeap.get(), poolPeaks, vmHwm());
    }

    private static long processCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        return sun.getProcessCpuTime();
      }
      return 0;
    }

    /** Peak resident set of this process (Linux); the whole process's life, not only the run. */
    private static String vmHwm() {
      Path status = Path.of("/proc/self/status");
      if (!Files.isReadable(status)) {
        return "not readable on this system";
      }
      try {
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
          if (line.startsWith("VmHWM:")) {
            long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            return String.format(Locale.ROOT, "%,d MB (process peak since start)", kb >> 10);
          }
        }
      } catch (IOException | NumberFormatException e) {
        return "not readable: " + e.getMessage();
      }
      return "not reported by /proc/self/status";
    }
  }
}
