package dev.weft.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The line of every key and value of a YAML document by JSON pointer ({@code /patterns/0/time}),
 * so a problem found later in the parsed tree can still say on which line of the file it is.
 * A document that does not parse has no lines here; parsing the tree reports its syntax error.
 */
public final class YamlLines {
  private static final YAMLFactory YAML = new YAMLFactory();
  private final Map<String, Integer> lines;

  private YamlLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  public static YamlLines of(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME || t.isScalarValue() || t == JsonToken.START_OBJECT
            || t == JsonToken.START_ARRAY) {
          String pointer = p.getParsingContext().pathAsPointer().toString();
          if (t == JsonToken.FIELD_NAME && pointer.isEmpty()) {
            pointer = "/" + p.currentName();
          }
          lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // Not valid YAML: the tree parse says where; the lines found so far still help.
    }
    return new YamlLines(lines);
  }

  /** The line of {@code pointer}, or of its nearest ancestor that has one. */
  public OptionalInt lineOf(String pointer) {
    String p = pointer;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return OptionalInt.of(line);
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return OptionalInt.empty();
  }

  /** {@code "line N: "} for {@code pointer}, or nothing when the line is unknown. */
  public String prefix(String pointer) {
    OptionalInt line = lineOf(pointer);
    return line.isPresent() ? "line " + line.getAsInt() + ": " : "";
  }
}
