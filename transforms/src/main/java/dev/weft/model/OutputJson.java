package dev.weft.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one way Weft renders its output records (events, dead letters, bindings, shed and late
 * records, graph nodes and edges, graph.json): Jackson's streaming {@link JsonGenerator}, fields
 * written in the order the renderer states them, straight into the string — no intermediate tree,
 * so a record is rendered once (events-*.jsonl is the largest output of a run). The shared
 * conventions live here so every renderer keeps them: an absent optional is omitted, never written
 * as null; instants are ISO-8601 ({@link Instant#toString()}); maps are written in their own
 * iteration order (the records hold sorted maps, so equal records are equal bytes).
 */
public final class OutputJson {
  private static final JsonFactory JSON = new JsonFactory();

  private OutputJson() {}

  /** What a renderer writes to the generator. */
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** {@code body} rendered compactly, on one line. */
  public static String render(Body body) {
    return render(null, body);
  }

  /** {@code body} rendered with {@code printer} (null: compact). */
  public static String render(PrettyPrinter printer, Body body) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      if (printer != null) {
        g.setPrettyPrinter(printer);
      }
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("rendering JSON into a string cannot fail", e);
    }
    return w.toString();
  }

  /** The field, when the value is present. */
  public static void optString(JsonGenerator g, String name, Optional<String> v)
      throws IOException {
    if (v.isPresent()) {
      g.writeStringField(name, v.get());
    }
  }

  /** The field, when the value is present. */
  public static void optLong(JsonGenerator g, String name, Optional<Long> v) throws IOException {
    if (v.isPresent()) {
      g.writeNumberField(name, v.get().longValue());
    }
  }

  /** The field, when the value is present. */
  public static void optInt(JsonGenerator g, String name, Optional<Integer> v)
      throws IOException {
    if (v.isPresent()) {
      g.writeNumberField(name, v.get().intValue());
    }
  }

  /** The field as an ISO-8601 string, when the instant is present. */
  public static void optInstant(JsonGenerator g, String name, Optional<Instant> t)
      throws IOException {
    if (t.isPresent()) {
      g.writeStringField(name, t.get().toString());
    }
  }

  /** The field as an ISO-8601 string. */
  public static void instant(JsonGenerator g, String name, Instant t) throws IOException {
    g.writeStringField(name, t.toString());
  }

  /** An object of string values, in the map's order (always written, even when empty). */
  public static void stringMap(JsonGenerator g, String name, Map<String, String> m)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : m.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /** An object of counts, in the map's order (always written, even when empty). */
  public static void longMap(JsonGenerator g, String name, Map<String, Long> m)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, Long> e : m.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue().longValue());
    }
    g.writeEndObject();
  }
}
