package dev.weft.pipelines.generate;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds whole traces for one wire format, choosing among its shapes, and renders a span as one
 * line. Counts every shape it writes. All randomness comes from the one generator passed in, so a
 * seed fixes the bytes.
 */
abstract class TraceShapes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  final SplittableRandom rnd;
  final ServiceTopology topology;
  private final Set<Shape> enabled;
  private final Map<Shape, Long> counts = new EnumMap<>(Shape.class);

  TraceShapes(SplittableRandom rnd, ServiceTopology topology, Set<Shape> enabled) {
    this.rnd = rnd;
    this.topology = topology;
    this.enabled = enabled;
  }

  boolean on(Shape shape) {
    return enabled.contains(shape);
  }

  /** {@code weight} when {@code shape} is written, else 0. */
  double weight(Shape shape, double weight) {
    return on(shape) ? weight : 0;
  }

  /** The spans of one trace starting at {@code startMicros}, in the order they were created. */
  abstract List<GeneratedSpan> trace(long startMicros);

  /** One span as one line (no line end). */
  abstract String render(GeneratedSpan span);

  void count(Shape shape) {
    counts.merge(shape, 1L, Long::sum);
  }

  /** Shapes written so far (a shape of a trace cut at the end of the file still counts). */
  Map<Shape, Long> counts() {
    return counts;
  }

  boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  /** Index of a weighted choice; -1 when every weight is 0. */
  int pick(double... weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    if (total == 0) {
      return -1;
    }
    double r = rnd.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0 && weights[i] > 0) {
        return i;
      }
    }
    for (int i = weights.length - 1; ; i--) {
      if (weights[i] > 0) {
        return i;
      }
    }
  }

  String hexId() {
    return hex16(rnd.nextLong());
  }

  String traceId() {
    return hex16(rnd.nextLong()) + hex16(rnd.nextLong());
  }

  /** A stable address per (service, host number), so a host keeps its IP across traces. */
  static String ipv4(int service, int host) {
    return "10." + (service / 250) + "." + (service % 250) + "." + (10 + host);
  }

  static String hex16(long v) {
    char[] c = new char[16];
    for (int i = 15; i >= 0; i--) {
      c[i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
    return new String(c);
  }
}
