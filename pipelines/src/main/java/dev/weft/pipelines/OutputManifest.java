package dev.weft.pipelines;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The list of files a Weft run wrote into its output directory ({@code .weft-manifest}), so the
 * next run removes exactly those and never a file of the user's that merely shares a prefix
 * ({@code late-report.pdf}, {@code graph.json.bak}, {@code bindings-2023.csv}).
 *
 * <p>Before a run starts, the manifest holds the run's name patterns: the shard names Beam's
 * TextIO gives ({@code events-00000-of-00002.jsonl}, {@code events--GlobalWindow-pane-...jsonl} in
 * streaming), {@code graph.json} and {@code summary.json}; a bounded run that finishes replaces
 * them by the exact names it wrote. A directory without a manifest (the first run, or a run of an
 * older Weft) is not cleaned at all.
 */
final class OutputManifest {
  static final String NAME = ".weft-manifest";

  private OutputManifest() {}

  /** The name patterns of every file a run writes, for these line-file prefixes. */
  static List<String> patterns(String[] linePrefixes, String[] singleFiles) {
    List<String> out = new ArrayList<>();
    for (String p : linePrefixes) {
      out.add(shardGlob(p));
      out.add(p + "-*.jsonl"); // windowed (streaming) shards: PREFIX + "-" + window and pane
    }
    out.addAll(List.of(singleFiles));
    return out;
  }

  /** The bounded shards of a prefix: {@code events-00000-of-00002.jsonl}, nothing else. */
  static String shardGlob(String prefix) {
    return prefix + "?????-of-?????.jsonl";
  }

  /** Deletes what the previous run's manifest lists, then the manifest itself. */
  static void clearPreviousRun(String dir) throws IOException {
    List<ResourceId> manifest = OutputFiles.match(dir + NAME);
    if (manifest.isEmpty()) {
      return;
    }
    Set<ResourceId> doomed = new LinkedHashSet<>();
    for (String entry : OutputFiles.readString(manifest.get(0)).split("\n")) {
      String name = entry.trim();
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        continue; // only plain names inside the output directory, never elsewhere
      }
      doomed.addAll(OutputFiles.match(dir + name));
    }
    doomed.addAll(manifest);
    FileSystems.delete(new ArrayList<>(doomed));
  }

  /** Records what this run writes (patterns) or wrote (exact names). */
  static void write(String dir, List<String> entries) throws IOException {
    OutputFiles.writeString(dir + NAME, String.join("\n", entries) + "\n");
  }

  /** The exact names of the files matching the run's patterns, for the finished run's manifest. */
  static List<String> written(String dir, List<String> patterns) throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String p : patterns) {
      for (ResourceId id : OutputFiles.match(dir + p)) {
        names.add(id.getFilename());
      }
    }
    return new ArrayList<>(names);
  }
}
