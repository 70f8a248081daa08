package dev.weft.model;

/** How a file of this format is cut into raw records when the file itself does not say. */
public enum Framing {
  /** The whole file is one document (a pretty-printed JSON array, a YAML list). */
  DOCUMENT,
  /** Each line is one record (NDJSON, plain-text logs). */
  LINES,
  /**
   * A stream of RFC 6587 octet-counted frames ({@code LEN SP MSG}) when the file starts with
   * one, each frame one record; otherwise each line one record (syslog). Streamed either way.
   */
  OCTET_COUNTED_OR_LINES
}
