package dev.weft.adapters;

import dev.weft.model.FailureKind;
import dev.weft.model.Origin;

/**
 * A typed failure: one record of the input that did not become an event. {@code origin} is as
 * precise as the adapter can make it (a JSON pointer to the bad span, the line of a bad syslog
 * message); {@code fragment} is the bytes of that record when they can be isolated, else null
 * (the dead letter then keeps the whole input unit).
 */
public record ParseFailure(FailureKind kind, String reason, Origin origin, byte[] fragment) {

  public static ParseFailure of(FailureKind kind, String reason, Origin origin) {
    return new ParseFailure(kind, reason, origin, null);
  }
}
