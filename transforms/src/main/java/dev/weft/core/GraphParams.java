package dev.weft.core;

import java.io.Serializable;
import java.util.Optional;
import org.joda.time.Duration;

/**
 * The parameters of {@link EventsToGraph}, checked together: window size, allowed lateness, the
 * optional early-firing delay (processing time), the dedup horizon (at least the allowed lateness,
 * so that an event still accepted by the graph is still checked for duplicates), the span pairing
 * bound (event time) and the per-key ordering buffer cap.
 */
public record GraphParams(
    Duration windowSize,
    Duration allowedLateness,
    Optional<Duration> earlyFiringDelay,
    Duration dedupHorizon,
    Duration pairingBound,
    int bufferCap) implements Serializable {

  public GraphParams {
    if (windowSize == null || !windowSize.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("windowSize must be positive, got " + windowSize);
    }
    if (allowedLateness == null || allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("allowedLateness must be >= 0, got " + allowedLateness);
    }
    if (earlyFiringDelay == null) {
      throw new IllegalArgumentException("earlyFiringDelay is Optional.empty() when not wanted");
    }
    if (dedupHorizon == null || dedupHorizon.isShorterThan(allowedLateness)) {
      throw new IllegalArgumentException("dedupHorizon (" + dedupHorizon
          + ") must be at least the allowed lateness (" + allowedLateness + ")");
    }
    if (pairingBound == null || pairingBound.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("pairingBound must be >= 0, got " + pairingBound);
    }
    if (bufferCap < 1) {
      throw new IllegalArgumentException("bufferCap must be >= 1, got " + bufferCap);
    }
  }

  /** One-minute windows, five minutes of lateness, no early panes, ten-minute dedup horizon. */
  public static GraphParams defaults() {
    return new GraphParams(Duration.standardMinutes(1), Duration.standardMinutes(5),
        Optional.empty(), Duration.standardMinutes(10), Duration.standardMinutes(1), 10_000);
  }
}
