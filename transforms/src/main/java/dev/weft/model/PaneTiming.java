package dev.weft.model;

/**
 * When a graph record was emitted relative to the watermark: a provisional EARLY pane, the ON_TIME
 * pane when the watermark passed the window, or a LATE pane correcting it. UNKNOWN is kept for
 * records built outside a pane (there are none in Weft's own pipeline).
 */
public enum PaneTiming {
  EARLY,
  ON_TIME,
  LATE,
  UNKNOWN
}
