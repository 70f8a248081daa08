package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import java.io.Serializable;

/**
 * A pure function from one source's raw bytes to canonical events or typed failures. It must not
 * throw for any input (a throw is treated as an adapter bug and dead-lettered), must not read
 * clocks other than {@link RawRecord#observedTime()}, and must give the same result for the same
 * input. Only the adapter knows its source's quirks.
 */
public interface SourceAdapter extends Serializable {

  /** The format name used in {@code --sources=FORMAT:...}, e.g. {@code zipkin}. */
  String format();

  /** Framing of a file of this format unless its name says NDJSON ({@code .ndjson}, {@code .jsonl}). */
  Framing fileFraming();

  AdapterResult parse(RawRecord raw);
}
