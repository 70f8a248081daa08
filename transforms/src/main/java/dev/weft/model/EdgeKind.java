package dev.weft.model;

/** Where an edge comes from: a call seen in spans, or the structure stated by configuration. */
public enum EdgeKind {
  CALL,
  STRUCTURAL
}
