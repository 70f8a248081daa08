package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.identity.BindingJson;
import dev.weft.identity.EntityExplanation;
import dev.weft.model.Binding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code weft explain} answers "why" from a run's outputs under {@code --output=DIR} (default
 * {@code weft-out}, the run's default):
 *
 * <ul>
 *   <li>{@code explain ENTITY_ID}: which source identities were bound to the entity (rule, signal
 *       values, confidence, how many events, when; for an alias, the event that taught it and its
 *       validity), and which records were refused near it and why (as a candidate, or with a
 *       value the entity used and no candidate at all).
 *   <li>{@code explain --event=EVENT_ID}: which entities one event was bound to, and why.
 *   <li>{@code explain --record=PATH:LINE}: the same from what an operator holds, a line of an
 *       input file: the events that line became (from {@code events-*.jsonl}), each explained; or
 *       the dead letter it became, with its reason.
 * </ul>
 *
 * <p>Exit codes: 0 explained; 1 bad arguments or unreadable output; 4 nothing names the entity,
 * event or record.
 */
public final class ExplainCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExplainCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    String entity = null;
    String event = null;
    String record = null;
    String dir = "weft-out";
    for (String a : args) {
      if (a.equals("explain")) {
        continue;
      }
      if (a.startsWith("--output=")) {
        dir = a.substring("--output=".length());
      } else if (a.startsWith("--event=")) {
        event = a.substring("--event=".length());
      } else if (a.startsWith("--record=")) {
        record = a.substring("--record=".length());
      } else if (!a.startsWith("--") && entity == null) {
        entity = a;
      } else {
        out.println("explain: unknown argument '" + a + "'");
        return usage(out);
      }
    }
    if ((entity == null ? 0 : 1) + (event == null ? 0 : 1) + (record == null ? 0 : 1) != 1) {
      return usage(out);
    }
    List<Binding> bindings = new ArrayList<>();
    try {
      int n = 0;
      for (Path f : files(dir, "bindings-*.jsonl")) {
        n++;
        int line = 0;
        for (String text : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          try {
            bindings.add(BindingJson.fromJson(text));
          } catch (IllegalArgumentException e) {
            out.println("explain: " + f + ":" + line + ": " + e.getMessage());
            return 1;
          }
        }
      }
      if (n == 0) {
        out.println("explain: no bindings-*.jsonl in " + dir + " (run the pipeline first)");
        return 1;
      }
      List<Binding> latest = EntityExplanation.latest(bindings);
      if (entity != null) {
        String text = EntityExplanation.explain(entity, latest);
        out.print(text);
        return text.contains(": no binding names it") ? 4 : 0;
      }
      if (event != null) {
        String text = EntityExplanation.explainEvent(event, latest);
        out.print(text);
        return text.contains(": no binding names it") ? 4 : 0;
      }
      return explainRecord(record, dir, latest, out);
    } catch (IOException e) {
      out.println("explain: cannot read " + dir + ": " + e.getMessage());
      return 1;
    }
  }

  /** {@code PATH:LINE}: the events (or dead letter) that line of an input file became. */
  private static int explainRecord(String record, String dir, List<Binding> latest,
      PrintStream out) throws IOException {
    int colon = record.lastIndexOf(':');
    long line;
    try {
      line = Long.parseLong(record.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      out.println("explain: --record=PATH:LINE names a line of an input file, e.g. "
          + "--record=testdata/logs/shop.ndjson:3; not '" + record + "'");
      return 1;
    }
    String path = record.substring(0, colon);
    Set<String> eventIds = new LinkedHashSet<>();
    for (JsonNode e : matching(dir, "events-*.jsonl", path, line)) {
      eventIds.add(e.path("eventId").asText());
    }
    if (eventIds.isEmpty()) {
      for (JsonNode d : matching(dir, "deadletters-*.jsonl", path, line)) {
        out.println("record " + record + " became no event: dead-lettered by "
            + d.path("adapter").asText() + " (" + d.path("errorClass").asText() + "): "
            + d.path("reason").asText());
        return 0;
      }
      out.println("record " + record + ": no event or dead letter in " + dir
          + " came from it (is the path as given to --sources, and the line 1-based?)");
      return 4;
    }
    out.println("record " + record + " became " + eventIds.size() + " event(s): "
        + String.join(", ", eventIds));
    for (String id : eventIds) {
      out.print(EntityExplanation.explainEvent(id, latest));
    }
    return 0;
  }

  /** The same file (as given, or by its trailing path) and line. */
  private static boolean sameRecord(JsonNode origin, String path, long line) {
    String resource = origin.path("resource").asText("");
    boolean samePath = resource.equals(path) || resource.endsWith("/" + path)
        || Paths.get(resource).toAbsolutePath().normalize()
            .equals(Paths.get(path).toAbsolutePath().normalize());
    return samePath && origin.has("line") && origin.path("line").asLong() == line;
  }

  private static List<Path> files(String dir, String glob) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Paths.get(dir), glob)) {
      files.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /** The JSON lines of matching files, streamed: an events file can be large. */
  private static List<JsonNode> matching(String dir, String glob, String path, long line)
      throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : files(dir, glob)) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String text;
        while ((text = r.readLine()) != null) {
          if (!text.isBlank()) {
            JsonNode n = JSON.readTree(text);
            if (sameRecord(n.path("origin"), path, line)) {
              out.add(n);
            }
          }
        }
      }
    }
    return out;
  }

  private static int usage(PrintStream out) {
    out.println("usage: java -jar weft.jar explain ENTITY_ID [--output=DIR]");
    out.println("       java -jar weft.jar explain --event=EVENT_ID [--output=DIR]");
    out.println("       java -jar weft.jar explain --record=PATH:LINE [--output=DIR]");
    out.println("       (DIR defaults to weft-out, the run's default output)");
    return 1;
  }
}
