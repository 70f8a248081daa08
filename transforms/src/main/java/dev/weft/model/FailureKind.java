package dev.weft.model;

/** Why a record could not become an event; the class of error a dead letter names. */
public enum FailureKind {
  /** Zero bytes, or only whitespace. */
  EMPTY_INPUT,
  /** The bytes are not valid UTF-8. */
  INVALID_ENCODING,
  /** Not well-formed JSON / YAML / syslog / CSV (truncated, unbalanced, garbage). */
  MALFORMED_SYNTAX,
  /** Well-formed, but a field has the wrong type (a string where an object is required). */
  WRONG_TYPE,
  /** A field the format requires is absent. */
  MISSING_FIELD,
  /** A field is present with a value the format forbids (a bad hex id, an impossible date). */
  INVALID_VALUE,
  /** The record exceeds the configured maximum record size. */
  TOO_LARGE,
  /** Well-formed input this adapter does not handle (no pattern matched a text line, say). */
  UNSUPPORTED,
  /** The adapter threw: a bug in Weft, kept as a dead letter rather than a crash. */
  ADAPTER_BUG
}
