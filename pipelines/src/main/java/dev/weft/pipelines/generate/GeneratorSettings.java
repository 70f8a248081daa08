package dev.weft.pipelines.generate;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What {@link TraceGenerator} writes: how many lines, from which seed, in which format, and how the
 * arrival order departs from event time. Same settings, same bytes.
 *
 * @param lines lines written in total, redelivered copies included (the last trace may be cut)
 * @param seed seed of every random choice (topology, shapes, ids, times, arrival order)
 * @param format {@code zipkin} (Zipkin v2 span per line) or {@code otlp} (one OTLP/JSON
 *     ExportTraceServiceRequest holding one span per line)
 * @param hours hours of event time the traces' start times cover
 * @param services instrumented services (at least 3); uninstrumented databases and brokers come on
 *     top
 * @param duplicateRate share of the lines that are exact copies of an earlier line, arriving up to
 *     30 s after it (redelivery)
 * @param disorderRate share of spans arriving up to 2 minutes after their event time
 * @param latenessRate share of spans arriving {@code lateSeconds} after their event time
 * @param lateSeconds how far a late span is shifted
 * @param start event time of the first trace
 * @param shapes the shapes written (all by default); a trace always has its root server span, and
 *     a shape left out is never chosen, so a file can hold one shape alone
 */
public record GeneratorSettings(long lines, long seed, Format format, double hours, int services,
    double duplicateRate, double disorderRate, double latenessRate, long lateSeconds,
    Instant start, Set<Shape> shapes) {

  /** The two wire formats the generator writes. */
  public enum Format {
    ZIPKIN, OTLP;

    /** The {@code --sources} format name the pipeline reads this file with. */
    public String sourceFormat() {
      return this == ZIPKIN ? "zipkin" : "otlp-traces";
    }

    static Format parse(String s) {
      switch (s.toLowerCase(Locale.ROOT)) {
        case "zipkin": return ZIPKIN;
        case "otlp": case "otlp-traces": return OTLP;
        default: throw new IllegalArgumentException("--format must be zipkin or otlp, not '" + s
            + "'");
      }
    }
  }

  /** Same start as the native Flink anchor's generator, so files of both cover the same hour. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  public GeneratorSettings {
    check(lines >= 1, "--spans must be at least 1");
    check(hours > 0 && hours <= 24 * 365, "--hours must be in (0, 8760]");
    check(services >= 3 && services <= 10_000, "--services must be in [3, 10000]");
    check(duplicateRate >= 0 && duplicateRate < 1, "--duplicates must be in [0, 1)");
    check(disorderRate >= 0 && disorderRate <= 1, "--disorder must be in [0, 1]");
    check(latenessRate >= 0 && latenessRate <= 1, "--lateness must be in [0, 1]");
    check(disorderRate + latenessRate <= 1, "--disorder plus --lateness must be at most 1");
    check(lateSeconds > 0, "--lateSeconds must be positive");
    shapes = Set.copyOf(shapes);
  }

  /** The defaults: 1 hour, 30 services, 5 % redelivered, 10 % out of order, 1 % late by 10 min. */
  public static GeneratorSettings defaults(long lines, long seed, Format format) {
    return new GeneratorSettings(lines, seed, format, 1.0, 30, 0.05, 0.10, 0.01, 600,
        DEFAULT_START, EnumSet.allOf(Shape.class));
  }

  public GeneratorSettings withRates(double duplicates, double disorder, double lateness) {
    return new GeneratorSettings(lines, seed, format, hours, services, duplicates, disorder,
        lateness, lateSeconds, start, shapes);
  }

  /** The same settings writing only {@code only} (plus the root span every trace has). */
  public GeneratorSettings withShapes(Set<Shape> only) {
    return new GeneratorSettings(lines, seed, format, hours, services, duplicateRate,
        disorderRate, latenessRate, lateSeconds, start, only);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
