package dev.weft.model;

/** What an event is. {@link #UNKNOWN} keeps the raw value in {@link Event#rawKind()}. */
public enum EventKind {
  SPAN,
  LOG,
  /** A configuration object observed or changed (a Kubernetes object, say). */
  CONFIG,
  /** A record from an inventory or CMDB export. */
  INVENTORY,
  UNKNOWN
}
