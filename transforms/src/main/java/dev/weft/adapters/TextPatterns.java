package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link TextPattern}s from a YAML pattern file, so a new plain-text log format is a new
 * entry, not new code. The file:
 *
 * <pre>
 * patterns:
 *   - name: hdfs                       # read with --sources=text-logs.hdfs:...
 *     regex: '^(?&lt;date&gt;\d{6}) (?&lt;time&gt;\d{6}) (?&lt;pid&gt;\d+) (?&lt;level&gt;[A-Z]+) (?&lt;body&gt;.*)$'
 *     time:
 *       groups: [date, time]           # joined with one space
 *       layouts: ['yyMMdd HHmmss']     # DateTimeFormatter patterns, first that fits wins
 *       zone: UTC                      # default UTC; an offset in the layout wins
 *       year: observed                 # only when a layout has no year: observed | 2005
 *     fields:
 *       pid: process.pid
 *       level: severity
 *       body: body
 * </pre>
 *
 * Every problem fails loading with the file, the entry and what is wrong; unknown keys are
 * errors so a misspelt {@code layout:} does not silently fall back to something.
 */
public final class TextPatterns {
  /** The patterns shipped with Weft, on the classpath. */
  public static final String DEFAULTS_RESOURCE = "/weft/patterns.yaml";
  private static final Set<String> ENTRY_KEYS = Set.of("name", "regex", "time", "fields",
      "description");
  private static final Set<String> TIME_KEYS = Set.of("groups", "layouts", "zone", "year");

  private final Map<String, TextPattern> byName;

  private TextPatterns(Map<String, TextPattern> byName) {
    this.byName = byName;
  }

  /** The shipped patterns: apache, hdfs, linux, openssh, zookeeper. */
  public static TextPatterns defaults() {
    try (InputStream in = TextPatterns.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return load(in, "classpath:" + DEFAULTS_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TextPatterns load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pattern file " + file, e);
    }
  }

  /**
   * Parses and validates a pattern file.
   *
   * @throws IllegalArgumentException naming {@code sourceName}, the entry and the problem
   */
  public static TextPatterns load(InputStream in, String sourceName) {
    JsonNode root;
    try {
      root = JsonInput.YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(sourceName + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("patterns").isArray()) {
      throw new IllegalArgumentException(sourceName + ": expected a mapping with a list"
          + " 'patterns'");
    }
    Map<String, TextPattern> byName = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode entry : root.get("patterns")) {
      String label = "entry " + i + (entry.hasNonNull("name")
          ? " ('" + entry.get("name").asText() + "')" : "");
      try {
        TextPattern p = entry(entry);
        if (byName.put(p.name(), p) != null) {
          throw new IllegalArgumentException("the name '" + p.name() + "' is used twice");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(sourceName + ": pattern " + label + ": "
            + e.getMessage(), e);
      }
      i++;
    }
    return new TextPatterns(byName);
  }

  private static TextPattern entry(JsonNode e) {
    if (!e.isObject()) {
      throw new IllegalArgumentException("expected a mapping, found " + e.getNodeType());
    }
    unknownKeys(e, ENTRY_KEYS, "");
    JsonNode time = e.path("time");
    if (!time.isObject()) {
      throw new IllegalArgumentException("'time' is missing (groups, layouts, zone, year)");
    }
    unknownKeys(time, TIME_KEYS, "time.");
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode f = e.path("fields");
    if (!f.isMissingNode()) {
      if (!f.isObject()) {
        throw new IllegalArgumentException("'fields' must map group names to targets");
      }
      f.fields().forEachRemaining(x -> fields.put(x.getKey(), x.getValue().isValueNode()
          ? x.getValue().asText() : null));
    }
    return new TextPattern(text(e, "name"), text(e, "regex"), strings(time, "groups"),
        strings(time, "layouts"), time.hasNonNull("zone") ? time.get("zone").asText() : null,
        time.hasNonNull("year") ? time.get("year").asText() : null, fields);
  }

  private static void unknownKeys(JsonNode n, Set<String> allowed, String prefix) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + prefix + k + "' (expected one of "
            + allowed + ")");
      }
    }
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("'" + key + "' is missing or not text");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n, String key) {
    JsonNode v = n.get(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      throw new IllegalArgumentException("'time." + key + "' is missing");
    }
    if (v.isTextual()) {
      out.add(v.asText());
    } else if (v.isArray()) {
      v.forEach(x -> out.add(x.asText()));
    } else {
      throw new IllegalArgumentException("'time." + key + "' must be a list of text");
    }
    return out;
  }

  /** The pattern named {@code name}. */
  public TextPattern get(String name) {
    TextPattern p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no text pattern named '" + name + "' (known: "
          + byName.keySet() + ")");
    }
    return p;
  }

  public Map<String, TextPattern> all() {
    return java.util.Collections.unmodifiableMap(byName);
  }

  /** An adapter for the pattern named {@code name} (format {@code text-logs.NAME}). */
  public TextLogsAdapter adapter(String name) {
    return new TextLogsAdapter(get(name));
  }
}
