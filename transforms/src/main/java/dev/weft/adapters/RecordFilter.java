package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code where} of an inventory mapping: which records of an export the mapping takes. Each
 * named field must hold exactly the given text, and all must hold; a record lacking a field does
 * not match. Equality only, on purpose: a Django {@code dumpdata} array is split by its {@code
 * model} field, and a condition anyone can read at a glance never surprises.
 *
 * <p>Fields are the record's columns after flattening (a CSV header name, a dotted JSON path such
 * as {@code fields.status}); JSON arrays are compared by their compact JSON text, so {@code
 * [dcim, interface]} in the YAML matches the array {@code ["dcim", "interface"]}.
 */
public final class RecordFilter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final RecordFilter ALL = new RecordFilter(new TreeMap<>());

  private final SortedMap<String, String> equal;

  public RecordFilter(SortedMap<String, String> equal) {
    this.equal = Collections.unmodifiableSortedMap(new TreeMap<>(equal));
  }

  /** The filter that takes every record. */
  public static RecordFilter all() {
    return ALL;
  }

  /** The text a YAML value is compared as: a scalar's text, a list's compact JSON. */
  static String text(JsonNode v) {
    return v.isValueNode() ? v.asText().strip() : v.toString();
  }

  /** Field -> required value; empty for the filter that takes everything. */
  public SortedMap<String, String> equal() {
    return equal;
  }

  public boolean takesAll() {
    return equal.isEmpty();
  }

  /** Whether a record (column -> non-empty value) matches every condition. */
  public boolean matches(Map<String, String> record) {
    for (Map.Entry<String, String> c : equal.entrySet()) {
      if (!c.getValue().equals(record.get(c.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordFilter f && f.equal.equals(equal);
  }

  @Override
  public int hashCode() {
    return equal.hashCode();
  }

  @Override
  public String toString() {
    return equal.toString();
  }
}
