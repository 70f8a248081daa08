package dev.weft.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.JsonInput;
import dev.weft.model.RawRecord;
import dev.weft.adapters.SourceAdapter;
import dev.weft.model.Origin;
import dev.weft.options.WeftOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Adapter throughput on one core (this thread), per format, beside raw Jackson tree parsing of the
 * same bytes: events/s, MB/s and the ratio adapter MB/s ÷ Jackson MB/s (1.0 = as fast as merely
 * parsing the JSON; text formats have no Jackson baseline). A command, not a test:
 *
 * <pre>java -cp pipelines/target/weft.jar dev.weft.pipelines.AdapterBenchmark [--seconds=3]
 *     [--realdata=../shared/realdata] [--testdata=testdata]</pre>
 */
public final class AdapterBenchmark {
  private AdapterBenchmark() {}

  /** What to parse for one format, and how Jackson would parse the same bytes (null: no baseline). */
  record Corpus(String format, List<byte[]> records, ObjectMapper baseline) {
    long bytes() {
      return records.stream().mapToLong(r -> r.length).sum();
    }
  }

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the benchmark: the table on {@code out}, what it is doing on {@code progress}. */
  public static int run(String[] args, PrintStream out, PrintStream progress) throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 2) {
        flags.put(a.substring(2, eq), a.substring(eq + 1));
      }
    }
    double seconds;
    try {
      seconds = Double.parseDouble(flags.getOrDefault("seconds", "3"));
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (!(seconds > 0)) {
      progress.println("adapter-benchmark: --seconds=" + flags.get("seconds")
          + ": expected a positive number of seconds per measurement");
      return ExitCode.CONFIGURATION.code();
    }
    Path real = Paths.get(flags.getOrDefault("realdata", "../shared/realdata"));
    Path test = Paths.get(flags.getOrDefault("testdata", "testdata"));
    run(corpora(real, test), seconds, out, progress);
    return ExitCode.OK.code();
  }

  static List<Corpus> corpora(Path real, Path test) throws IOException {
    ObjectMapper json = JsonInput.JSON;
    ObjectMapper yaml = JsonInput.YAML;
    List<Corpus> c = new ArrayList<>();
    c.add(new Corpus("otlp-traces", docs(real.resolve("otlp/trace.json"),
        real.resolve("jaeger/otlp2jaeger-in.json"), test.resolve("otlp/shop-traces.json")), json));
    c.add(new Corpus("otlp-logs", docs(real.resolve("otlp/logs.json")), json));
    c.add(new Corpus("zipkin", docs(files(real.resolve("zipkin"), ".json")), json));
    c.add(new Corpus("jaeger", docs(real.resolve("jaeger/example_trace.json"),
        real.resolve("jaeger/trace_success.json"), test.resolve("jaeger/catalog-trace.json")), json));
    c.add(new Corpus("json-logs", jsonLines(test.resolve("logs/shop.ndjson")), json));
    c.add(new Corpus("syslog", docs(files(real.resolve("syslog"), "")), null));
    c.add(new Corpus("inventory", docs(real.resolve("identity/dataset2.csv")), null));
    c.add(new Corpus("k8s", docs(files(real.resolve("kubernetes/popeye"), ".yaml")), yaml));
    for (String[] lh : new String[][] {{"hdfs", "HDFS"}, {"apache", "Apache"}, {"linux", "Linux"},
        {"openssh", "OpenSSH"}, {"zookeeper", "Zookeeper"}}) {
      c.add(new Corpus("text-logs." + lh[0],
          lines(real.resolve("loghub/" + lh[1] + "/" + lh[1] + "_2k.log")), null));
    }
    c.removeIf(x -> x.records.isEmpty());
    return c;
  }

  static void run(List<Corpus> corpora, double seconds, PrintStream out, PrintStream progress) {
    WeftOptions options = PipelineOptionsFactory.fromArgs("--sources=x:y").as(WeftOptions.class);
    if (Files.exists(Paths.get("testdata/inventory/febrl.yaml"))) {
      options.setInventoryMapping(List.of("testdata/inventory/febrl.yaml"));
    }
    AdapterCatalog catalog = new AdapterCatalog(options);
    // Each format takes 4/3 of the time per measurement, twice with a Jackson baseline.
    double total = 0;
    for (Corpus corpus : corpora) {
      total += seconds * 4 / 3 * (corpus.baseline == null ? 1 : 2);
    }
    progress.printf(Locale.ROOT, "adapter-benchmark: %d formats, about %.0f s in all%n",
        corpora.size(), total);
    out.printf(Locale.ROOT, "%-20s %10s %12s %10s %12s %8s%n", "format", "events/s", "adapter MB/s",
        "records", "jackson MB/s", "ratio");
    long started = System.nanoTime();
    int done = 0;
    for (Corpus corpus : corpora) {
      progress.printf(Locale.ROOT, "adapter-benchmark: [%d/%d, %.0f s] %s: %,d records, "
          + "measuring %.1f s%s%n", ++done, corpora.size(), (System.nanoTime() - started) / 1e9,
          corpus.format, corpus.records.size(), seconds,
          corpus.baseline == null ? "" : " (and as much for Jackson)");
      SourceAdapter adapter;
      try {
        adapter = catalog.adapterFor(corpus.format);
      } catch (RuntimeException e) {
        out.printf(Locale.ROOT, "%-20s skipped: %s%n", corpus.format, e.getMessage());
        continue;
      }
      List<RawRecord> raws = corpus.records.stream().map(b -> new RawRecord(b,
          Origin.file(corpus.format, "bench"), Instant.EPOCH)).collect(Collectors.toList());
      // Warm up, then measure whole passes over the corpus.
      measure(() -> parseAll(adapter, raws), seconds / 3);
      long[] events = {0};
      double adapterSecs = measure(() -> events[0] += parseAll(adapter, raws), seconds);
      long passes = lastPasses;
      double mb = corpus.bytes() * passes / 1e6;
      double adapterMbs = mb / adapterSecs;
      String jacksonCol = "n/a";
      String ratioCol = "n/a";
      if (corpus.baseline != null) {
        measure(() -> jacksonAll(corpus), seconds / 3);
        double jsecs = measure(() -> jacksonAll(corpus), seconds);
        double jmbs = corpus.bytes() * lastPasses / 1e6 / jsecs;
        jacksonCol = String.format(Locale.ROOT, "%.1f", jmbs);
        ratioCol = String.format(Locale.ROOT, "%.2f", adapterMbs / jmbs);
      }
      out.printf(Locale.ROOT, "%-20s %10.0f %12.1f %10d %12s %8s%n", corpus.format,
          events[0] / adapterSecs, adapterMbs, corpus.records.size(), jacksonCol, ratioCol);
    }
  }

  private static long lastPasses;

  private static double measure(Runnable pass, double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long passes = 0;
    do {
      pass.run();
      passes++;
    } while (System.nanoTime() < deadline);
    lastPasses = passes;
    return (System.nanoTime() - start) / 1e9;
  }

  private static long parseAll(SourceAdapter adapter, List<RawRecord> raws) {
    long n = 0;
    for (RawRecord r : raws) {
      AdapterResult result = adapter.parse(r);
      n += result.events().size();
    }
    return n;
  }

  private static void jacksonAll(Corpus corpus) {
    try {
      for (byte[] b : corpus.records) {
        corpus.baseline.readTree(b);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith("README")).sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<byte[]> docs(Path... paths) throws IOException {
    return docs(List.of(paths));
  }

  private static List<byte[]> docs(List<Path> paths) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isRegularFile(p)) {
        out.add(Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static List<byte[]> lines(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      return List.of();
    }
    return Files.readAllLines(p, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(l -> !l.isEmpty()).map(l -> l.getBytes(StandardCharsets.UTF_8))
        .collect(Collectors.toList());
  }

  private static List<byte[]> jsonLines(Path p) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (byte[] line : lines(p)) {
      try {
        JsonInput.JSON.readTree(line);
        out.add(line);
      } catch (IOException e) {
        // The sample holds a malformed line on purpose; the benchmark measures valid ones.
      }
    }
    return out;
  }
}
