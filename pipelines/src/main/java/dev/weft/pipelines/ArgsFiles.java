package dev.weft.pipelines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands {@code @FILE} arguments into the file's lines (one argument per line; blank lines and
 * lines starting with {@code #} are skipped), so a run's configuration can live in a file such as
 * {@code testdata/demo.args}. The Java launcher does not expand them after {@code -jar}. A
 * single-valued option repeated later on the command line overrides the file's value.
 */
final class ArgsFiles {
  private ArgsFiles() {}

  static String[] expand(String[] args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("@") && a.length() > 1) {
        try {
          for (String line : Files.readAllLines(Paths.get(a.substring(1)), StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
              out.add(l);
            }
          }
        } catch (IOException e) {
          throw new InvalidConfiguration("cannot read arguments file " + a.substring(1) + ": "
              + e.getMessage(), e);
        }
      } else {
        out.add(a);
      }
    }
    return lastWins(out).toArray(new String[0]);
  }

  /** Options that take a list and may be repeated; every other option is single-valued. */
  private static final java.util.Set<String> REPEATABLE =
      java.util.Set.of("sources", "inventoryMapping", "experiments", "filesToStage");

  /**
   * A single-valued option given twice (in an arguments file and again on the command line) keeps
   * its last value, so {@code @testdata/demo.args --output=/tmp/x} overrides the file's output.
   */
  static List<String> lastWins(List<String> args) {
    java.util.Map<String, Integer> lastIndex = new java.util.HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = optionName(args.get(i));
      if (name != null && !REPEATABLE.contains(name)) {
        lastIndex.put(name, i);
      }
    }
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String name = optionName(args.get(i));
      if (name == null || REPEATABLE.contains(name) || lastIndex.get(name) == i) {
        kept.add(args.get(i));
      }
    }
    return kept;
  }

  private static String optionName(String arg) {
    if (!arg.startsWith("--")) {
      return null;
    }
    int eq = arg.indexOf('=');
    return eq < 0 ? arg.substring(2) : arg.substring(2, eq);
  }
}
