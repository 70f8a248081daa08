package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 11: the output cleanup removed every file named like an output ({@code late-report.pdf},
 * {@code nodes-diagram.png}, {@code graph.json.bak}, {@code bindings-2023.csv}). Now a run removes
 * only what the previous run's manifest lists, and counts only the files it wrote itself.
 */
public class OutputCleanupTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> USER_FILES = List.of("late-report.pdf", "nodes-diagram.png",
      "graph.json.bak", "bindings-2023.csv", "events-notes.jsonl", "summary.json.old");

  @Test
  public void twoRunsKeepTheUsersFilesAndReplaceOnlyTheirOwn() throws Exception {
    Path out = tmp.newFolder("out").toPath();
    for (String name : USER_FILES) {
      // A JSON-lines file of the user's that looks like events must not be counted either.
      Files.write(out.resolve(name), "{\"mine\":1}\n{\"mine\":2}\n".getBytes(StandardCharsets.UTF_8));
    }
    String logs = "--sources=json-logs:" + Paths.get(System.getProperty("weft.testdata"))
        .resolve("logs/shop.ndjson");

    WeftRun first = WeftRun.of(out, logs);
    assertThat(first.stderr, first.exitCode, is(0));
    assertUsersFilesUntouched(out);
    List<String> manifest = Files.readAllLines(out.resolve(OutputManifest.NAME));
    assertThat(manifest, hasItem("summary.json"));
    assertThat(manifest, hasItem("graph.json"));
    assertThat(manifest, not(hasItem("events-notes.jsonl")));
    // A file the previous run wrote and this one will not: the next run removes it.
    Path stale = out.resolve("edges-00003-of-00004.jsonl");
    Files.write(stale, "{}\n".getBytes(StandardCharsets.UTF_8));
    Files.write(out.resolve(OutputManifest.NAME), (String.join("\n", manifest)
        + "\nedges-00003-of-00004.jsonl\n").getBytes(StandardCharsets.UTF_8));

    WeftRun second = WeftRun.of(out, logs);
    assertThat(second.stderr, second.exitCode, is(0));
    assertUsersFilesUntouched(out);
    assertThat(Files.exists(stale), is(false));
    assertThat(second.summary().path("read").asLong() > 0, is(true));
    assertThat(second.summary().path("read").asLong(),
        equalTo(first.summary().path("read").asLong()));
  }

  private static void assertUsersFilesUntouched(Path out) throws java.io.IOException {
    for (String name : USER_FILES) {
      assertThat(name + " is the user's", Files.exists(out.resolve(name)), is(true));
      assertThat(name + " is the user's", Files.readString(out.resolve(name)),
          equalTo("{\"mine\":1}\n{\"mine\":2}\n"));
    }
  }
}
