package dev.weft.identity;

import java.util.List;

/**
 * Where aliases live, per entity type and blocking key. The in-memory store serves the evaluation
 * command and tests; the Beam transform keeps the same entries in keyed state, sharded by the
 * blocking key. Resolution never needs anything but the entries of one key.
 */
public interface AliasStore {
  /** The entries known for one blocking key (empty when none). */
  List<Alias> entries(String type, String blockKey);

  /** Replaces the entries of one blocking key. */
  void put(String type, String blockKey, List<Alias> entries);
}
