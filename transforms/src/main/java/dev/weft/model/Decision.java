package dev.weft.model;

/** The outcome of one identity decision. */
public enum Decision {
  /** A strong identifier bound the record to its entity at once. */
  BOUND,
  /** Weak signals matched an alias known at the event's time, above the confidence floor. */
  ALIASED,
  /** The best candidate scored below the floor: kept apart under a provisional entity. */
  REFUSED_BELOW_FLOOR,
  /** Two or more candidates scored at or above the floor: refused and reported. */
  CONFLICT
}
