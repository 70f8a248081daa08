package dev.weft.model;

/** What happened to a configuration object; {@link #UNKNOWN} keeps the raw value. */
public enum ConfigOperation {
  /** The object as listed or read, not a change notification. */
  SNAPSHOT,
  ADDED,
  MODIFIED,
  DELETED,
  UNKNOWN
}
