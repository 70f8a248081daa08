package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs the weft command in-process, as a user would, and reads what it wrote. */
final class WeftRun {
  final int exitCode;
  final String stdout;
  final String stderr;
  final Path output;

  private WeftRun(int exitCode, String stdout, String stderr, Path output) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.output = output;
  }

  static WeftRun of(Path output, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--output=" + output);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WeftMain.run(all.toArray(new String[0]), new PrintStream(out, true, "UTF-8"),
        new PrintStream(err, true, "UTF-8"));
    return new WeftRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), output);
  }

  JsonNode summary() throws IOException {
    return new ObjectMapper().readTree(output.resolve("summary.json").toFile());
  }

  List<JsonNode> lines(String prefix) throws IOException {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted().collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            out.add(m.readTree(line));
          }
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }
}
