package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Replay end to end: the demo's own {@code events-*.jsonl}, read back with {@code
 * --sources=weft-events:...}, give the demo's graph again.
 *
 * <p>Why it must be equal: the graph, the bindings and the dedup counts are functions of the
 * events alone (their ids, times, signals, attributes and parts; the origin is carried but no
 * stage groups by it), and {@code events-*.jsonl} holds every event the demo normalized — before
 * deduplication, so its one repeated delivery is in it too and is counted a duplicate again. The
 * replay therefore compares:
 * <ul>
 *   <li>{@code graph.json} whole, byte for byte (nodes, edges with counts, errors, latency,
 *       validity, totals);
 *   <li>the bindings, as a sorted set of lines;
 *   <li>the events the replay writes, as a sorted set of lines: the replayed events are the very
 *       events read, origin included;
 *   <li>the summary's {@code unique} and {@code duplicates}; its {@code read} is the demo's {@code
 *       normalized} (the demo's dead letter never became an event, so it is not in the file), with
 *       no dead letter.
 * </ul>
 * What may differ, and is not compared: the dead letters (the demo's one is not replayed), the
 * privacy counters (the demo's redactions are already in the events; redacting
 * {@code [redacted]} again changes nothing and counts nothing) and the run's timings.
 */
public class ReplayEventsTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static List<String> sortedLines(Path dir, String prefix) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix))
          .collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            out.add(line);
          }
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  @Test
  public void replayingTheDemosEventsGivesTheSameGraph() throws Exception {
    Path demo = DemoOutput.get();
    WeftRun replay = WeftRun.of(TMP.newFolder("replay").toPath(),
        "--sources=weft-events:" + demo + "/events-*.jsonl");
    assertThat(replay.toString(), replay.exitCode, equalTo(0));

    assertThat(Files.readString(replay.output.resolve("graph.json")),
        equalTo(Files.readString(demo.resolve("graph.json"))));
    List<String> bindings = sortedLines(demo, "bindings-");
    assertThat(bindings.size(), greaterThan(0));
    assertThat(sortedLines(replay.output, "bindings-"), equalTo(bindings));
    List<String> events = sortedLines(demo, "events-");
    assertThat(sortedLines(replay.output, "events-"), equalTo(events));

    JsonNode before = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(demo.resolve("summary.json").toFile());
    JsonNode after = replay.summary();
    assertThat(after.get("read").asLong(), equalTo(before.get("normalized").asLong()));
    assertThat(after.get("read").asLong(), equalTo((long) events.size()));
    assertThat(after.get("deadLettered").asLong(), equalTo(0L));
    assertThat(after.get("unique").asLong(), equalTo(before.get("unique").asLong()));
    assertThat(after.get("duplicates").asLong(), equalTo(before.get("duplicates").asLong()));
    assertThat(after.get("duplicates").asLong(), greaterThan(0L));
    assertThat(after.get("conserved").asBoolean(), equalTo(true));
  }

  /**
   * Replaying into the directory it reads from would clear the input before reading it: refused
   * before anything is read or removed, and the events are still there.
   */
  @Test
  public void replayingIntoTheDirectoryItReadsIsRefusedAndRemovesNothing() throws Exception {
    Path dir = TMP.newFolder("same").toPath();
    String line = "{\"eventId\":\"x\"}";
    Files.writeString(dir.resolve("events-00000-of-00001.jsonl"), line + "\n");
    Files.writeString(dir.resolve(".weft-manifest"), "events-*-of-*.jsonl\n");
    WeftRun run = WeftRun.of(dir, "--sources=weft-events:" + dir + "/events-*.jsonl");
    assertThat(run.toString(), run.exitCode, equalTo(1));
    assertThat(run.stderr, org.hamcrest.Matchers.containsString(
        "reads events-00000-of-00001.jsonl from the --output directory"));
    assertThat(Files.readString(dir.resolve("events-00000-of-00001.jsonl")),
        equalTo(line + "\n"));
  }
}
