package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The sources of a finished run whose every record was dead-lettered, each with the first few
 * reasons from {@code deadletters-*.jsonl}. Such a source almost always means a wrong format,
 * pattern or time layout (a layout that fits no line dead-letters 2,000 of 2,000 lines), which a
 * run that exits 0 would hide.
 */
final class DeadSources {
  /** How many dead letters of such a source are shown. */
  static final int REASONS_SHOWN = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeadSources() {}

  /** Lines to print, empty when every source gave at least one event (or read nothing). */
  static List<String> report(RunSummary summary, List<SourceSpec> sources, String output)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (SourceSpec s : sources) {
      Map<String, Long> c = summary.source(s.toString());
      long dead = c.getOrDefault("deadLettered", 0L);
      if (dead == 0 || c.getOrDefault("normalized", 0L) > 0) {
        continue;
      }
      lines.add("every record of --sources=" + s + " was dead-lettered (" + dead
          + ", no event); the first reasons:");
      for (String reason : firstReasons(s, output)) {
        lines.add("  " + reason);
      }
    }
    return lines;
  }

  private static List<String> firstReasons(SourceSpec s, String output) throws IOException {
    Set<String> files = filesOf(s);
    List<String> out = new ArrayList<>();
    for (ResourceId id : OutputFiles.match(output + "deadletters-*.jsonl")) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(FileSystems.open(id)), StandardCharsets.UTF_8))) {
        String line;
        while (out.size() < REASONS_SHOWN && (line = r.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode d = JSON.readTree(line);
          JsonNode origin = d.path("origin");
          if (origin.path("format").asText().equals(s.format())
              && (files.isEmpty() || files.contains(origin.path("resource").asText()))) {
            out.add(d.path("where").asText() + ": " + d.path("errorClass").asText() + ": "
                + d.path("reason").asText());
          }
        }
      }
    }
    return out;
  }

  /** The files a file source matched (empty for a broker source: its letters match by format). */
  private static Set<String> filesOf(SourceSpec s) {
    Set<String> files = new HashSet<>();
    if (s.transport() != SourceSpec.Transport.FILES) {
      return files;
    }
    try {
      MatchResult r = FileSystems.match(s.location());
      if (r.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : r.metadata()) {
          files.add(m.resourceId().toString());
        }
      }
    } catch (IOException e) {
      // The files are gone since the run: match the letters by format alone.
    }
    return files;
  }
}
