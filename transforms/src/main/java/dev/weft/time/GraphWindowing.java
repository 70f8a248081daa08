package dev.weft.time;

import dev.weft.model.GraphPane;
import dev.weft.model.LateEvent;
import dev.weft.model.PaneTiming;
import java.io.Serializable;
import java.util.Optional;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The one windowing strategy of the graph, written in one place. Every aggregation of nodes and
 * edges uses it, so their windows, lateness and pane timing agree.
 *
 * <ul>
 *   <li>Fixed event-time windows of {@code windowSize}: the graph is reported per window of event
 *       time, never of arrival time.
 *   <li>An ON_TIME pane when the watermark passes the end of the window: the normal answer.
 *   <li>EARLY panes, {@code earlyFiringDelay} of processing time after the first element of a pane,
 *       when a delay is given: a provisional answer for a consumer that cannot wait for the
 *       watermark (the only use of processing time, and it decides when to speak, never what).
 *   <li>A LATE pane for every late element within {@code allowedLateness}: a late event corrects the
 *       window it belongs to at once.
 *   <li>Accumulating panes: every pane holds the whole window so far, so the latest revision of an
 *       upsert key is the complete answer and a consumer needs no arithmetic, only "keep the
 *       highest revision".
 * </ul>
 */
public final class GraphWindowing implements Serializable {
  private final Duration windowSize;
  /** The window function, built once: the gate asks it for every event's window. */
  private final FixedWindows fixedWindows;
  private final Duration allowedLateness;
  /** Null: no early panes (a field, not an Optional: the windowing travels inside DoFns). */
  private final Duration earlyFiringDelay;

  public GraphWindowing(Duration windowSize, Duration allowedLateness,
      Optional<Duration> earlyFiringDelay) {
    if (windowSize == null || !windowSize.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("window size must be positive, got " + windowSize);
    }
    if (allowedLateness == null || allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    this.windowSize = windowSize;
    this.fixedWindows = FixedWindows.of(windowSize);
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay == null ? null : earlyFiringDelay.orElse(null);
  }

  public Duration windowSize() {
    return windowSize;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  public Optional<Duration> earlyFiringDelay() {
    return Optional.ofNullable(earlyFiringDelay);
  }

  /** The {@link Window} transform to apply before a graph aggregation. */
  public <T> Window<T> window() {
    AfterWatermark.AfterWatermarkEarlyAndLate onTimeAndLate = AfterWatermark.pastEndOfWindow()
        .withLateFirings(AfterPane.elementCountAtLeast(1));
    Trigger trigger = earlyFiringDelay()
        .<Trigger>map(d -> onTimeAndLate.withEarlyFirings(
            AfterProcessingTime.pastFirstElementInPane().plusDelayOf(d)))
        .orElse(onTimeAndLate);
    return Window.<T>into(fixedWindows)
        .triggering(trigger)
        .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
        .accumulatingFiredPanes();
  }

  /**
   * The last instant at which the graph's window of an element stamped {@code timestamp} still
   * takes it: the window's last millisecond plus the allowed lateness. Past it Beam garbage-collects
   * the window and drops such an element.
   */
  public Instant closesAt(Instant timestamp) {
    return fixedWindows.assignWindow(timestamp).maxTimestamp().plus(allowedLateness);
  }

  /**
   * Whether the graph's windows drop an element stamped {@code timestamp} that reaches them at
   * {@code watermark}: Beam's own test for late data ({@code LateDataDroppingDoFnRunner}: the
   * window's last instant plus the allowed lateness is before the input watermark). A stage that
   * knows a watermark at least as far as the windows' routes such an element itself, with a
   * reason, instead of feeding it to a silent drop.
   */
  public boolean closedTo(Instant timestamp, Instant watermark) {
    return closesAt(timestamp).isBefore(watermark);
  }

  /**
   * The {@code late-*} record of what these windows would drop: its window closed (end plus allowed
   * lateness) before the watermark that {@code stage}, routing it, had reached.
   */
  public LateEvent closedWindowRecord(String stage, String key, String eventId, String format,
      java.time.Instant eventTime, Instant watermark) {
    java.time.Instant w = java.time.Instant.ofEpochMilli(watermark.getMillis());
    java.time.Instant closed = java.time.Instant.ofEpochMilli(
        closesAt(new Instant(eventTime.toEpochMilli())).getMillis());
    String reason = "event time " + eventTime + " is in a graph window closed since " + closed
        + " (window end + allowed lateness of " + java.time.Duration.ofMillis(
            allowedLateness.getMillis()) + "); the watermark had reached " + w + " (key " + key
        + ")";
    return new LateEvent(eventId, format, key, eventTime, w,
        watermark.getMillis() - eventTime.toEpochMilli(), allowedLateness.getMillis(), stage,
        reason);
  }

  /**
   * The pane stamp of a record emitted from {@code window} in {@code pane}. The revision is the pane
   * index: within one key and window Beam numbers panes in firing order, so it only grows.
   */
  public static GraphPane stamp(IntervalWindow window, PaneInfo pane) {
    return new GraphPane(
        java.time.Instant.ofEpochMilli(window.start().getMillis()),
        java.time.Instant.ofEpochMilli(window.end().getMillis()),
        timing(pane.getTiming()),
        pane.getIndex(),
        pane.isLast(),
        pane.getIndex());
  }

  private static PaneTiming timing(PaneInfo.Timing t) {
    switch (t) {
      case EARLY:
        return PaneTiming.EARLY;
      case ON_TIME:
        return PaneTiming.ON_TIME;
      case LATE:
        return PaneTiming.LATE;
      default:
        return PaneTiming.UNKNOWN;
    }
  }
}
