package dev.weft.privacy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a dead letter keeps of its raw payload. */
public enum DeadLetterPayloads {
  /**
   * The raw text with secret-looking key/value pairs, {@code Authorization} / {@code Cookie}
   * headers, e-mail addresses and whatever else the policy's rules name scrubbed (the default).
   */
  REDACTED,
  /** The raw bytes as read (bounded by the payload size): for replaying from a trusted store. */
  RAW,
  /** No payload at all: origin, size, error and reason only. */
  NONE;

  public static Optional<DeadLetterPayloads> byName(String name) {
    return Arrays.stream(values())
        .filter(m -> m.name().equals(name.trim().toUpperCase(Locale.ROOT))).findFirst();
  }
}
