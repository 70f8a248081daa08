package dev.weft.model;

import java.time.Instant;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A record that could not become an event, kept with everything needed to understand and replay
 * it: the raw payload (at most a bounded prefix; {@code truncated} says so and {@code rawSize}
 * keeps the true size), its origin, the adapter, the class of error and a reason a person
 * understands. {@code payloadEncoding} is {@code utf-8} when the bytes are valid UTF-8, otherwise
 * {@code base64}.
 */
@DefaultCoder(DeadLetterCoder.class)
public record DeadLetter(
    Origin origin,
    String adapter,
    FailureKind errorClass,
    String reason,
    String payload,
    String payloadEncoding,
    long rawSize,
    boolean truncated,
    Instant observedTime) {

  public DeadLetter {
    Checks.notNull(origin, "origin");
    Checks.nonEmpty(adapter, "adapter");
    Checks.notNull(errorClass, "errorClass");
    Checks.nonEmpty(reason, "reason");
    Checks.notNull(payload, "payload");
    Checks.nonEmpty(payloadEncoding, "payloadEncoding");
    Checks.notNull(observedTime, "observedTime");
  }
}
