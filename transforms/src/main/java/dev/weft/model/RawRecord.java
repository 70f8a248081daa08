package dev.weft.model;

import java.time.Instant;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One unit of input as it arrived: a whole document, one line, or one message. {@code
 * observedTime} is when the record was observed — for a file its last-modified time (stable under
 * replay), for a message its arrival — and is the only such time an adapter may see, only to stamp
 * {@code observedTime} or as a flagged fallback event time. When the unit was larger than
 * the reader's maximum record size, {@code payload} holds only its first bytes and {@code
 * totalSize} the true size; such a record is dead-lettered as TOO_LARGE without being parsed.
 */
@DefaultCoder(RawRecordCoder.class)
public record RawRecord(byte[] payload, Origin origin, Instant observedTime, long totalSize) {

  public RawRecord(byte[] payload, Origin origin, Instant observedTime) {
    this(payload, origin, observedTime, payload.length);
  }

  public boolean isOversize() {
    return totalSize > payload.length;
  }
}
