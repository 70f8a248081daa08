package dev.weft.io;

import dev.weft.model.FailureKind;

/**
 * A line that is not an event as {@link EventJson} writes it: not JSON, a required field absent,
 * a field of the wrong JSON type, an unknown enum name, an unparseable time. {@code field} is the
 * path of the offending field ({@code span.traceId}, {@code config.references[2].targetKind}),
 * or empty for the line as a whole; {@code kind} is the dead-letter class it maps to.
 */
public final class InvalidEventJson extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final String field;

  public InvalidEventJson(FailureKind kind, String field, String reason) {
    super(field.isEmpty() ? reason : "field '" + field + "': " + reason);
    this.kind = kind;
    this.field = field;
  }

  public FailureKind kind() {
    return kind;
  }

  /** The path of the offending field; empty when the line as a whole is at fault. */
  public String field() {
    return field;
  }
}
