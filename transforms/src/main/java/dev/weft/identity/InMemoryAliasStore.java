package dev.weft.identity;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An {@link AliasStore} in a map: for the evaluation command, tests and small local runs. */
public final class InMemoryAliasStore implements AliasStore {
  private final Map<String, List<Alias>> entries = new HashMap<>();

  @Override
  public List<Alias> entries(String type, String blockKey) {
    return entries.getOrDefault(type + "|" + blockKey, List.of());
  }

  @Override
  public void put(String type, String blockKey, List<Alias> list) {
    entries.put(type + "|" + blockKey, List.copyOf(list));
  }

  /** Number of blocking keys held. */
  public int size() {
    return entries.size();
  }
}
