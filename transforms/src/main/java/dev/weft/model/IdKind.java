package dev.weft.model;

/** How an {@link Event#eventId()} was made, which decides what a duplicate means. */
public enum IdKind {
  /** An id the source guarantees unique per record (a span id with its trace id and side, a Kafka offset is NOT one). */
  SOURCE_ID,
  /** A hash over the fields that define the event; identical content is the same event. */
  CONTENT_HASH
}
