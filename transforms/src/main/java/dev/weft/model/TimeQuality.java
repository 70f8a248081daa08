package dev.weft.model;

/** Where an event's {@code eventTime} came from; downstream code may trust them differently. */
public enum TimeQuality {
  /** The source stated the time of the event itself. */
  SOURCE,
  /** Computed from other source fields (a log line's date without a year, a Kubernetes condition transition). */
  DERIVED,
  /** The source had no usable time; the time of ingest stands in and is flagged as such. */
  FALLBACK
}
