package dev.weft.adapters;

import dev.weft.model.DeadLetter;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Turns failures into {@link DeadLetter}s whose payload is bounded: at most {@code maxPayloadBytes}
 * of the raw bytes are kept (cut at a UTF-8 character boundary), {@code truncated} says so and
 * {@code rawSize} keeps the true size. Valid UTF-8 is kept as text, anything else as base64.
 */
public final class DeadLetters {
  private DeadLetters() {}

  public static DeadLetter of(String adapter, FailureKind kind, String reason, Origin origin,
      byte[] raw, long rawSize, Instant observedTime, int maxPayloadBytes) {
    boolean truncated = rawSize > maxPayloadBytes || raw.length > maxPayloadBytes;
    byte[] kept = raw.length > maxPayloadBytes ? Arrays.copyOf(raw, maxPayloadBytes) : raw;
    byte[] text = trimToCharBoundary(kept, truncated);
    if (Utf8.isValid(text)) {
      return new DeadLetter(origin, adapter, kind, reason, new String(text, StandardCharsets.UTF_8),
          "utf-8", rawSize, truncated, observedTime);
    }
    return new DeadLetter(origin, adapter, kind, reason, Base64.getEncoder().encodeToString(kept),
        "base64", rawSize, truncated, observedTime);
  }

  /** Drops a multi-byte character cut in half by truncation, so valid text stays valid. */
  private static byte[] trimToCharBoundary(byte[] b, boolean truncated) {
    if (!truncated || b.length == 0) {
      return b;
    }
    int end = b.length;
    int back = 0;
    while (back < 3 && end - 1 - back >= 0 && (b[end - 1 - back] & 0xc0) == 0x80) {
      back++;
    }
    int lead = end - 1 - back;
    if (lead >= 0) {
      int c = b[lead] & 0xff;
      int need = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
      if (need > back) {
        end = lead;
      }
    }
    return end == b.length ? b : Arrays.copyOf(b, end);
  }
}
