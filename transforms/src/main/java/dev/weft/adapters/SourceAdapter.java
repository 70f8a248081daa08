package dev.weft.adapters;

import java.io.Serializable;

/**
 * A pure function from one source's raw bytes to canonical events or typed failures. It must not
 * throw for any input (a throw is treated as an adapter bug and dead-lettered), must not read
 * clocks other than {@link RawRecord#observedTime()}, and must give the same result for the same
 * input. Only the adapter knows its source's quirks.
 */
public interface SourceAdapter extends Serializable {

  /** How a file of this format is cut into raw records when the file itself does not say. */
  enum Framing {
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

  /** The format name used in {@code --sources=FORMAT:...}, e.g. {@code zipkin}. */
  String format();

  /** Framing of a file of this format unless its name says NDJSON ({@code .ndjson}, {@code .jsonl}). */
  Framing fileFraming();

  AdapterResult parse(RawRecord raw);
}
