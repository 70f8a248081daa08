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
 * {@code weft explain ENTITY_ID [--output=DIR]}: reads {@code DIR/bindings-*.jsonl} (by default
 * the run's default output, {@code weft-out}) and prints which
 * source identities were bound to the entity (rule, signal values, confidence, how many events,
 * when) and which records were refused near it and why.
 *
 * <p>Exit codes ({@link ExitCode}): 0 explained; 1 bad arguments or unreadable output; 4 no
 * binding names the entity.
 */
public final class ExplainCommand {
  private ExplainCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    String entity = null;
    // The run's own default, so "run, then explain" works without repeating --output.
    String dir = DEFAULT_OUTPUT;
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
    if (entity == null) {
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
        return ExitCode.CONFIGURATION.code();
      }
    } catch (java.nio.file.NoSuchFileException e) {
      out.println("explain: no directory " + dir + " (run the pipeline first, or give the run's "
          + "--output=DIR)");
      return ExitCode.CONFIGURATION.code();
    } catch (IOException e) {
      out.println("explain: cannot read " + dir + ": " + e.getMessage());
      return ExitCode.CONFIGURATION.code();
    }
    String text = EntityExplanation.explain(entity, EntityExplanation.latest(bindings));
    out.print(text);
    return text.contains(": no binding names it") ? ExitCode.NOT_FOUND.code() : ExitCode.OK.code();
  }

  /** The output directory a run writes to when {@code --output} is not given (its @Default). */
  static final String DEFAULT_OUTPUT = defaultOutput();

  private static String defaultOutput() {
    try {
      return dev.weft.options.WeftOptions.class.getMethod("getOutput")
          .getAnnotation(org.apache.beam.sdk.options.Default.String.class).value();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int usage(PrintStream out) {
    out.println("usage: java -jar weft.jar explain ENTITY_ID [--output=DIR]   (DIR: the run's "
        + "output, default " + DEFAULT_OUTPUT + ")");
    return ExitCode.CONFIGURATION.code();
  }
}
