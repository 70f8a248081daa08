package dev.weft.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.CharArrayWriter;
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

  /** A thread's line buffer is kept after records up to this size, dropped after larger ones. */
  private static final int KEPT_BUFFER_CHARS = 1 << 16;

  /**
   * One generator per thread, kept between records: creating a generator (its context, its
   * buffers) for every line cost as much as writing a small record. Writing the next record as the
   * next root value with no separator gives each record's bytes alone.
   */
  private static final ThreadLocal<LineRenderer> LINES = ThreadLocal.withInitial(LineRenderer::new);

  private static final class LineRenderer {
    final CharArrayWriter out = new CharArrayWriter(512);
    final JsonGenerator g;
    boolean busy;

    LineRenderer() {
      try {
        g = JSON.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException("a generator over memory cannot fail to open", e);
      }
      g.setRootValueSeparator(null);
    }
  }

  /** {@code body} rendered compactly, on one line. */
  public static String render(Body body) {
    LineRenderer r = LINES.get();
    if (r.busy) { // a renderer rendering another record inside its body: a generator of its own
      return render(null, body);
    }
    r.busy = true;
    boolean reusable = false;
    try {
      body.write(r.g);
      if (!r.g.getOutputContext().inRoot()) {
        throw new IllegalStateException("a renderer left its record unclosed: "
            + r.g.getOutputContext().typeDesc());
      }
      r.g.flush();
      String line = r.out.toString();
      r.out.reset();
      reusable = line.length() <= KEPT_BUFFER_CHARS;
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException("rendering JSON into a string cannot fail", e);
    } finally {
      r.busy = false;
      if (!reusable) {
        // A body that failed half-way left the generator inside an object: start afresh. After
        // a very large record too, so that a thread does not keep its buffer for ever.
        LINES.remove();
      }
    }
  }

  /** {@code body} rendered with {@code printer} (null: compact), by a generator of its own. */
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
