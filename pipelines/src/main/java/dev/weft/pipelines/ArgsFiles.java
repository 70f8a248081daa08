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
 * {@code testdata/demo.args}. The Java launcher does not expand them after {@code -jar}.
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
    return out.toArray(new String[0]);
  }
}
