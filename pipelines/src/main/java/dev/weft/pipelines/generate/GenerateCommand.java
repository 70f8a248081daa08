package dev.weft.pipelines.generate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code weft.jar generate --spans=N --out=FILE.ndjson [--format=zipkin|otlp] [--seed=42]
 * [--duplicates=0.05] [--disorder=0.10] [--lateness=0.01] [--lateSeconds=600] [--hours=1]
 * [--services=30] [--shapes=SHAPE,...]}: writes {@link TraceGenerator} traffic and prints what it wrote, shape by shape.
 * Exit 0 when written, 1 on a bad option.
 */
public final class GenerateCommand {
  private GenerateCommand() {}

  static final String USAGE = "usage: java -jar weft.jar generate --spans=N --out=FILE.ndjson "
      + "[--format=zipkin|otlp] [--seed=42] [--duplicates=0.05] [--disorder=0.10] "
      + "[--lateness=0.01] [--lateSeconds=600] [--hours=1] [--services=30] "
      + "[--shapes=SHAPE,...]";

  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    GeneratorSettings settings;
    Path file;
    try {
      Parsed p = parse(args);
      settings = p.settings();
      file = p.file();
    } catch (IllegalArgumentException e) {
      err.println("weft generate: " + e.getMessage());
      err.println(USAGE);
      return 1;
    }
    long t0 = System.nanoTime();
    TraceGenerator.Report r = new TraceGenerator(settings).write(file);
    double secs = (System.nanoTime() - t0) / 1e9;
    print(out, settings, file, r, Files.size(file), secs);
    return 0;
  }

  /** Settings and output file from the command's arguments. */
  public record Parsed(GeneratorSettings settings, Path file) {}

  /** Reads the options; the first argument may be the word {@code generate}. */
  public static Parsed parse(String[] args) {
    GeneratorSettings d = GeneratorSettings.defaults(1, 42, GeneratorSettings.Format.ZIPKIN);
    Long lines = null;
    long seed = d.seed();
    GeneratorSettings.Format format = d.format();
    double hours = d.hours();
    int services = d.services();
    double duplicates = d.duplicateRate();
    double disorder = d.disorderRate();
    double lateness = d.latenessRate();
    long lateSeconds = d.lateSeconds();
    Set<Shape> shapes = d.shapes();
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i == 0 && a.equals("generate")) {
        continue;
      }
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
      String name = a.substring(2, eq);
      String value = a.substring(eq + 1).replace("_", "");
      try {
        switch (name) {
          case "spans": lines = Long.parseLong(value); break;
          case "seed": seed = Long.parseLong(value); break;
          case "format": format = GeneratorSettings.Format.parse(value); break;
          case "out": file = Path.of(a.substring(eq + 1)); break;
          case "hours": hours = Double.parseDouble(value); break;
          case "services": services = Integer.parseInt(value); break;
          case "duplicates": duplicates = Double.parseDouble(value); break;
          case "disorder": disorder = Double.parseDouble(value); break;
          case "lateness": lateness = Double.parseDouble(value); break;
          case "lateSeconds": lateSeconds = Long.parseLong(value); break;
          case "shapes": shapes = shapes(a.substring(eq + 1)); break;
          default: throw new IllegalArgumentException("unknown option --" + name);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " needs a number, not '"
            + a.substring(eq + 1) + "'");
      }
    }
    if (lines == null) {
      throw new IllegalArgumentException("--spans=N is required");
    }
    if (file == null) {
      throw new IllegalArgumentException("--out=FILE is required");
    }
    String fileName = file.getFileName().toString();
    if (!fileName.endsWith(".ndjson") && !fileName.endsWith(".jsonl")) {
      throw new IllegalArgumentException("--out must end in .ndjson or .jsonl (one record per "
          + "line, which is how weft reads such files), not '" + fileName + "'");
    }
    return new Parsed(new GeneratorSettings(lines, seed, format, hours, services, duplicates,
        disorder, lateness, lateSeconds, GeneratorSettings.DEFAULT_START, shapes), file);
  }

  /** {@code --shapes=zipkin_shared_unflagged,zipkin_messaging}: shape names, any case. */
  static Set<Shape> shapes(String list) {
    Set<Shape> out = EnumSet.noneOf(Shape.class);
    for (String name : list.split(",")) {
      try {
        out.add(Shape.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--shapes: unknown shape '" + name.trim() + "'; shapes: "
            + java.util.Arrays.stream(Shape.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.joining(", ")));
      }
    }
    return out;
  }

  static void print(PrintStream out, GeneratorSettings s, Path file, TraceGenerator.Report r,
      long bytes, double secs) {
    out.printf(Locale.ROOT, "weft generate: wrote %s (%s, seed %d): %,d lines = %,d spans + %,d "
        + "redelivered copies, %,d traces, %,d bytes, %.1f s%n", file, s.format().sourceFormat(),
        s.seed(), r.lines(), r.spans(), r.duplicates(), r.traces(), bytes, secs);
    out.printf(Locale.ROOT, "weft generate: arrival: %,d out of order (<= 2 min), %,d late (%d s)"
        + "; event time %s + %s h%n", r.disordered(), r.late(), s.lateSeconds(), s.start(),
        s.hours());
    out.println("weft generate: shapes (occurrences):");
    for (Map.Entry<Shape, Long> e : r.shapes().entrySet()) {
      out.printf(Locale.ROOT, "  %-30s %,10d  %s%n", e.getKey().name().toLowerCase(Locale.ROOT),
          e.getValue(), e.getKey().description());
    }
    out.printf("weft generate: read it with --sources=%s:%s%n", s.format().sourceFormat(), file);
  }
}
