package dev.weft.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Constructor checks shared by the model records: nulls are bugs, empty strings are not values. */
final class Checks {
  private Checks() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " is null; use Optional.empty() for an absent value");
    }
    return value;
  }

  static String nonEmpty(String value, String name) {
    notNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " is empty; an absent value is Optional.empty()");
    }
    return value;
  }

  /** An unmodifiable sorted copy, so equal maps encode to equal bytes. */
  static SortedMap<String, String> sortedCopy(Map<String, String> map, String name) {
    notNull(map, name);
    return Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  static <T> List<T> listCopy(List<T> list, String name) {
    notNull(list, name);
    return List.copyOf(list);
  }
}
