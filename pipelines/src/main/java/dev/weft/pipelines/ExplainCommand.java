package dev.weft.pipelines;

import dev.weft.identity.BindingJson;
import dev.weft.identity.EntityExplanation;
import dev.weft.model.Binding;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weft explain ENTITY_ID --output=DIR}: reads {@code DIR/bindings-*.jsonl} and prints which
 * source identities were bound to the entity (rule, signal values, confidence, how many events,
 * when) and which records were refused near it and why.
 *
 * <p>Exit codes: 0 explained; 1 bad arguments or unreadable output; 4 no binding names the entity.
 */
public final class ExplainCommand {
  private ExplainCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    String entity = null;
    String dir = null;
    for (String a : args) {
      if (a.equals("explain")) {
        continue;
      }
      if (a.startsWith("--output=")) {
        dir = a.substring("--output=".length());
      } else if (!a.startsWith("--") && entity == null) {
        entity = a;
      } else {
        out.println("explain: unknown argument '" + a + "'");
        return usage(out);
      }
    }
    if (entity == null || dir == null) {
      return usage(out);
    }
    List<Binding> bindings = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(Paths.get(dir), "bindings-*.jsonl")) {
      int n = 0;
      for (Path f : files) {
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
    } catch (IOException e) {
      out.println("explain: cannot read " + dir + ": " + e.getMessage());
      return 1;
    }
    String text = EntityExplanation.explain(entity, EntityExplanation.latest(bindings));
    out.print(text);
    return text.contains(": no binding names it") ? 4 : 0;
  }

  private static int usage(PrintStream out) {
    out.println("usage: java -jar weft.jar explain ENTITY_ID --output=DIR");
    return 1;
  }
}
