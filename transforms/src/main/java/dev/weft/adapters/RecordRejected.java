package dev.weft.adapters;

import dev.weft.model.FailureKind;

/**
 * Thrown inside an adapter to abandon one record with a typed reason; adapters catch it at their
 * record boundary and turn it into a {@link ParseFailure}. It never leaves an adapter.
 */
public final class RecordRejected extends Exception {
  private final FailureKind kind;

  public RecordRejected(FailureKind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
