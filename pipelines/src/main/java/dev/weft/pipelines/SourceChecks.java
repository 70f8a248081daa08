package dev.weft.pipelines;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Checks made before the pipeline starts, so a typo fails in a second with a clear message. */
final class SourceChecks {
  private SourceChecks() {}

  /**
   * A local directory given as a source means the files in it: {@code k8s:manifests/} is read as
   * {@code k8s:manifests/*} (said on {@code err}). Beam's file match would otherwise match the
   * directory itself and read nothing, and the run would exit 0 having read no record. A
   * directory with no file directly in it is refused with the glob to write instead.
   */
  static List<String> expandDirectories(List<String> sources, PrintStream err) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      SourceSpec s = SourceSpec.parse(i, sources.get(i));
      Path dir = localDirectory(s);
      if (dir == null) {
        out.add(sources.get(i));
        continue;
      }
      long files;
      boolean nested;
      try (Stream<Path> in = Files.list(dir)) {
        List<Path> entries = in.toList();
        files = entries.stream().filter(Files::isRegularFile).count();
        nested = entries.stream().anyMatch(Files::isDirectory);
      } catch (IOException e) {
        throw new InvalidConfiguration("--sources=" + s + ": cannot list the directory: "
            + e.getMessage(), e);
      }
      String base = s.location().endsWith("/") ? s.location() : s.location() + "/";
      if (files == 0) {
        throw new InvalidConfiguration("--sources=" + s + ": the directory holds no file"
            + (nested ? " directly (only directories); for every file below it, give the glob "
                + s.format() + ":" + base + "**" : "") + "; give files or a glob such as "
            + s.format() + ":" + base + "*.json");
      }
      String expanded = s.format() + ":" + base + "*";
      err.println("weft: --sources=" + s + " is a directory: reading the " + files
          + " file(s) in it (" + expanded + ")");
      out.add(expanded);
    }
    return out;
  }

  private static Path localDirectory(SourceSpec s) {
    if (s.transport() != SourceSpec.Transport.FILES || OptionChecks.remote(s.location())
        || s.location().matches(".*[*?\\[{].*")) {
      return null;
    }
    try {
      Path p = Paths.get(s.location().startsWith("file://")
          ? s.location().substring("file://".length()) : s.location());
      return Files.isDirectory(p) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  static void checkInputsExist(List<SourceSpec> sources) {
    for (SourceSpec s : sources) {
      if (s.transport() != SourceSpec.Transport.FILES) {
        continue;
      }
      try {
        MatchResult r = FileSystems.match(s.location());
        if (r.status() != MatchResult.Status.OK || r.metadata().isEmpty()) {
          throw new InvalidConfiguration("--sources=" + s + ": no file matches " + s.location());
        }
      } catch (IOException e) {
        throw new InvalidConfiguration("--sources=" + s + ": cannot list " + s.location() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * A source may not read files that this run removes from {@code --output} before it reads them
   * (the previous run's {@code events-*.jsonl}, say, replayed as {@code weft-events} into the same
   * directory): they would be deleted first and the replay would read nothing, or the run would
   * overwrite its own input. Refused with the fix; compared as Beam resource ids, so it holds for
   * any file system.
   */
  static void checkNotReadFromOutput(List<SourceSpec> sources, String output,
      String[] outputPrefixes, String[] outputFiles) {
    org.apache.beam.sdk.io.fs.ResourceId outDir = FileSystems.matchNewResource(output, true);
    for (SourceSpec s : sources) {
      if (s.transport() != SourceSpec.Transport.FILES) {
        continue;
      }
      try {
        for (MatchResult.Metadata m : FileSystems.match(s.location()).metadata()) {
          String name = m.resourceId().getFilename();
          if (m.resourceId().getCurrentDirectory().equals(outDir)
              && isOutputFile(name, outputPrefixes, outputFiles)) {
            throw new InvalidConfiguration("--sources=" + s + ": reads " + name + " from the "
                + "--output directory, which this run clears and rewrites before reading; copy "
                + "the files elsewhere or give another --output");
          }
        }
      } catch (IOException e) {
        throw new InvalidConfiguration("--sources=" + s + ": cannot list " + s.location() + ": "
            + e.getMessage(), e);
      }
    }
  }

  private static boolean isOutputFile(String name, String[] prefixes, String[] files) {
    for (String p : prefixes) {
      if (name != null && name.startsWith(p)) {
        return true;
      }
    }
    return name != null && List.of(files).contains(name);
  }
}
