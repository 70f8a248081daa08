package dev.weft.adapters;

import dev.weft.model.FailureKind;
import java.time.Instant;

/**
 * The one rule for impossible times, shared by every adapter: an event time the source states
 * (or one derived from it) must lie in {@code [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z)}.
 * Anything outside — year 99999, a negative epoch, nanoseconds that overflow into the 2500s — is
 * a typo, a unit mistake or corruption, never a real observation, and would put an event in a
 * window no one will ever close; the record is dead-lettered (INVALID_VALUE) with the field and
 * the range in the reason. The read time (FALLBACK) is used only where a format has no time at
 * all and says so, never to paper over a bad one.
 */
public final class PlausibleTime {
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  /** Exclusive. */
  public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

  private PlausibleTime() {}

  /** {@code t} when plausible; otherwise a rejection naming {@code field}. */
  public static Instant check(Instant t, String field) throws RecordRejected {
    if (t.isBefore(EARLIEST) || !t.isBefore(LATEST)) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, field + " " + t + " is outside the"
          + " plausible range of event times [" + EARLIEST + ", " + LATEST + ")");
    }
    return t;
  }
}
