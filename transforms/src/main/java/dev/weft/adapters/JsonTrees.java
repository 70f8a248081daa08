package dev.weft.adapters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** Small operations on Jackson trees that adapters share: canonical text, size, descriptions. */
final class JsonTrees {
  private JsonTrees() {}

  /**
   * Compact JSON with object keys sorted at every level, so the same object read from JSON or
   * from YAML, with keys in any order, hashes to the same content id.
   */
  static String canonical(JsonNode node) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JsonInput.JSON.getFactory().createGenerator(out)) {
      write(g, node);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys);
      g.writeStartObject();
      for (String k : keys) {
        g.writeFieldName(k);
        write(g, node.get(k));
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode e : node) {
        write(g, e);
      }
      g.writeEndArray();
    } else {
      g.writeTree(node);
    }
  }

  /**
   * Approximate size in characters of the tree's text (keys and scalar values), counting no
   * further than {@code limit} so a huge tree costs no more than the limit to measure.
   */
  static long sizeAtMost(JsonNode node, long limit) {
    long size = 0;
    if (node.isObject()) {
      for (Iterator<java.util.Map.Entry<String, JsonNode>> it = node.fields();
          it.hasNext() && size <= limit; ) {
        java.util.Map.Entry<String, JsonNode> e = it.next();
        size += e.getKey().length() + 4 + sizeAtMost(e.getValue(), limit - size);
      }
    } else if (node.isArray()) {
      for (Iterator<JsonNode> it = node.elements(); it.hasNext() && size <= limit; ) {
        size += 1 + sizeAtMost(it.next(), limit - size);
      }
    } else if (node.isTextual()) {
      size = node.textValue().length() + 2;
    } else {
      size = node.asText().length();
    }
    return size;
  }

  /** For failure reasons: "a mapping", "a list", "number 5", "text 'x'". */
  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    if (n.isNull()) {
      return "null";
    }
    String text = n.asText();
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    String type = n.isTextual() ? "text" : n.getNodeType().name().toLowerCase(Locale.ROOT);
    return type + " '" + text + "'";
  }
}
