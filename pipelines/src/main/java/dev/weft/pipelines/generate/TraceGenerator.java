package dev.weft.pipelines.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes seeded, deterministic trace traffic: the same {@link GeneratorSettings} give the same
 * bytes. Traces start evenly over the configured hours of event time; each span is one line, and
 * lines are written in arrival order: a span arrives at its own event time, a share of them up to
 * 2 minutes later (disorder) or {@code lateSeconds} later (lateness), and a share of the lines are
 * exact copies of an earlier line arriving up to 30 s after it (redelivery). A span written without
 * a timestamp arrives at the time it would have had.
 *
 * <p>The Zipkin file (one Zipkin v2 span per line) is also what the native Flink anchor of the
 * benchmark reads, so both can run on one file.
 */
public final class TraceGenerator {
  static final long DISORDER_MAX_MICROS = 120_000_000L;
  static final long REDELIVERY_MAX_MICROS = 30_000_000L;

  private final GeneratorSettings settings;

  public TraceGenerator(GeneratorSettings settings) {
    this.settings = settings;
  }

  /** What was written. */
  public record Report(long lines, long spans, long duplicates, long disordered, long late,
      long traces, Map<Shape, Long> shapes) {}

  private record Pending(long arrival, long seq, String line) {}

  public Report write(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      return write(w);
    }
  }

  /** Writes exactly {@code settings.lines()} lines, each ended by LF. */
  public Report write(Writer out) throws IOException {
    SplittableRandom rnd = new SplittableRandom(settings.seed());
    ServiceTopology topology = new ServiceTopology(settings.services(), settings.seed());
    TraceShapes shapes = settings.format() == GeneratorSettings.Format.ZIPKIN
        ? new ZipkinTraces(rnd, topology, settings.shapes())
        : new OtlpTraces(rnd, topology, settings.shapes());
    long n = settings.lines();
    long base = settings.start().getEpochSecond() * 1_000_000L + settings.start().getNano() / 1000;
    double span = settings.hours() * 3_600_000_000.0;
    long lateMicros = settings.lateSeconds() * 1_000_000L;
    // Chance that a span line is written twice, so that copies are duplicateRate of all lines.
    double pCopy = settings.duplicateRate() / (1 - settings.duplicateRate());
    PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.arrival != b.arrival
        ? Long.compare(a.arrival, b.arrival) : Long.compare(a.seq, b.seq));
    long queued = 0;
    long spans = 0;
    long duplicates = 0;
    long disordered = 0;
    long late = 0;
    long traces = 0;
    while (queued < n) {
      long start = base + (long) (span * queued / n);
      // Every line of this and later traces arrives at or after `start`: write what is due.
      while (!queue.isEmpty() && queue.peek().arrival < start) {
        out.write(queue.poll().line);
        out.write('\n');
      }
      traces++;
      for (GeneratedSpan s : shapes.trace(start)) {
        if (queued >= n) {
          break;
        }
        String line = shapes.render(s);
        long arrival = s.timestamp;
        double r = rnd.nextDouble();
        if (r < settings.latenessRate()) {
          arrival += lateMicros;
          late++;
        } else if (r < settings.latenessRate() + settings.disorderRate()) {
          arrival += 1 + rnd.nextLong(DISORDER_MAX_MICROS);
          disordered++;
        }
        queue.add(new Pending(arrival, queued++, line));
        spans++;
        if (queued < n && rnd.nextDouble() < pCopy) {
          queue.add(new Pending(arrival + 1 + rnd.nextLong(REDELIVERY_MAX_MICROS), queued++,
              line));
          duplicates++;
        }
      }
    }
    while (!queue.isEmpty()) {
      out.write(queue.poll().line);
      out.write('\n');
    }
    out.flush();
    Map<Shape, Long> counts = new EnumMap<>(Shape.class);
    counts.putAll(shapes.counts());
    return new Report(spans + duplicates, spans, duplicates, disordered, late, traces,
        Collections.unmodifiableMap(counts));
  }
}
