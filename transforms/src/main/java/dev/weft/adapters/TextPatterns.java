package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.config.ConfigProblem;
import dev.weft.config.NearestName;
import dev.weft.config.YamlLines;
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
 * Every problem fails loading with the file, the line, the entry and what is wrong; unknown keys
 * are errors naming the nearest valid key, so a misspelt {@code layout:} does not silently fall
 * back to something, and a field target one typo away from a meaningful one ({@code severty}) is
 * an error too.
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
    YamlLines lines;
    try {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      lines = YamlLines.of(text);
      root = JsonInput.YAML.readTree(text);
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
      String at = "/patterns/" + i;
      try {
        TextPattern p = entry(entry, at);
        if (byName.put(p.name(), p) != null) {
          throw new IllegalArgumentException("the name '" + p.name() + "' is used twice");
        }
      } catch (IllegalArgumentException e) {
        String where = e instanceof ConfigProblem c ? c.pointer() : placeOf(e.getMessage(), at);
        throw new IllegalArgumentException(sourceName + ": " + lines.prefix(where) + "pattern "
            + label + ": " + e.getMessage(), e);
      }
      i++;
    }
    return new TextPatterns(byName);
  }

  /** Where in the entry a problem {@link TextPattern} found is, from what it says. */
  private static String placeOf(String problem, String at) {
    if (problem.startsWith("bad regex") || problem.startsWith("regex group name")) {
      return at + "/regex";
    }
    if (problem.startsWith("bad layout") || problem.startsWith("'time.layouts'")) {
      return at + "/time/layouts";
    }
    if (problem.startsWith("time group") || problem.startsWith("'time.groups'")) {
      return at + "/time/groups";
    }
    if (problem.startsWith("bad zone")) {
      return at + "/time/zone";
    }
    if (problem.contains("'time.year'")) {
      return at + "/time/year";
    }
    if (problem.startsWith("field '")) {
      return at + "/fields/" + problem.substring(7, Math.max(7, problem.indexOf('\'', 7)));
    }
    return at;
  }

  private static TextPattern entry(JsonNode e, String at) {
    if (!e.isObject()) {
      throw new IllegalArgumentException("expected a mapping, found " + e.getNodeType());
    }
    unknownKeys(e, ENTRY_KEYS, at, "");
    JsonNode time = e.path("time");
    if (!time.isObject()) {
      throw new IllegalArgumentException("'time' is missing (groups, layouts, zone, year)");
    }
    unknownKeys(time, TIME_KEYS, at + "/time", "time.");
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode f = e.path("fields");
    if (!f.isMissingNode()) {
      if (!f.isObject()) {
        throw new IllegalArgumentException("'fields' must map group names to targets");
      }
      f.fields().forEachRemaining(x -> fields.put(x.getKey(), x.getValue().isValueNode()
          ? x.getValue().asText() : null));
      fields.forEach((group, target) -> misspeltTarget(group, target, at + "/fields/" + group));
    }
    return new TextPattern(text(e, "name"), text(e, "regex"), strings(time, "groups"),
        strings(time, "layouts"), time.hasNonNull("zone") ? time.get("zone").asText() : null,
        time.hasNonNull("year") ? time.get("year").asText() : null, fields);
  }

  private static void unknownKeys(JsonNode n, Set<String> allowed, String at, String prefix) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigProblem(at + "/" + k, NearestName.unknownKey(prefix + k, k, allowed));
      }
    }
  }

  /** The targets a field may name without a prefix and be more than an attribute. */
  private static final Set<String> BARE_TARGETS = Set.of("body", "severity", "trace_id", "span_id");

  /**
   * A bare target is an attribute name, so {@code level: severty} would silently become an
   * attribute 'severty' and leave every severity UNSPECIFIED. A bare target one or two edits
   * from a target with a meaning is taken for a typo; {@code attribute:NAME} keeps such a name.
   */
  private static void misspeltTarget(String group, String target, String at) {
    if (target == null || target.contains(":") || BARE_TARGETS.contains(target)
        || TextPattern.KNOWN_SIGNALS.contains(target)) {
      return;
    }
    Set<String> meaningful = new java.util.TreeSet<>(BARE_TARGETS);
    meaningful.addAll(TextPattern.KNOWN_SIGNALS);
    NearestName.among(target, meaningful, Math.max(1, Math.min(2, target.length() / 4)))
        .ifPresent(n -> {
          throw new ConfigProblem(at, "unknown field '" + target + "' (the target of group '"
              + group + "'); did you mean '" + n + "'? Targets: body, severity, trace_id, "
              + "span_id, signal:NAME, attribute:NAME or a bare NAME; write attribute:" + target
              + " if an attribute of that name is meant");
        });
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

  /**
   * These patterns with {@code more} added; a pattern of {@code more} replaces the one of the
   * same name here (so a user's file can both add formats and adjust a built-in one).
   */
  public TextPatterns plus(TextPatterns more) {
    Map<String, TextPattern> merged = new LinkedHashMap<>(byName);
    merged.putAll(more.byName);
    return new TextPatterns(merged);
  }

  public Map<String, TextPattern> all() {
    return java.util.Collections.unmodifiableMap(byName);
  }

  /** An adapter for the pattern named {@code name} (format {@code text-logs.NAME}). */
  public TextLogsAdapter adapter(String name) {
    return new TextLogsAdapter(get(name));
  }
}
