package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A generated log storm on a hot key, through the whole command: 4,000 error lines from one
 * service within one minute beside 200 lines from a calm one, against a budget of 500 events per
 * emitter per window. Each action bounds the storm, leaves the calm service whole, writes what it
 * says (shed ids, spilled events), and the run summary's conservation identity holds:
 * {@code unique == admitted + shed + spilled + sampledIn + sampledOut}.
 */
public class OverloadStormTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STORM = 4_000;
  private static final int CALM = 200;
  private static final int BUDGET = 500;

  private static Path storm() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < STORM; i++) {
      lines.add(line(i % 60, "error", "storm", "disk full on write " + i));
    }
    for (int i = 0; i < CALM; i++) {
      lines.add(line(i % 60, "info", "calm", "handled request " + i));
    }
    Collections.shuffle(lines, new Random(11));
    Path file = TMP.newFolder().toPath().resolve("storm.ndjson");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  private static String line(int second, String level, String service, String message) {
    return String.format("{\"timestamp\": \"2024-05-01T10:00:%02d.000Z\", \"level\": \"%s\", "
        + "\"service\": \"%s\", \"host\": \"node-1\", \"message\": \"%s\"}",
        second, level, service, message);
  }

  private static Path input;

  private static WeftRun run(String action, String... more) throws Exception {
    Path out = TMP.newFolder().toPath().resolve("out-" + action);
    input = storm();
    List<String> args = new ArrayList<>(List.of("--sources=json-logs:" + input,
        "--overloadBudget=" + BUDGET, "--overloadAction=" + action, "--quiet",
        "--spillLocation=" + out.getParent().resolve("spill-" + action)));
    args.addAll(List.of(more));
    WeftRun run = WeftRun.of(out, args.toArray(new String[0]));
    assertThat(run.toString(), run.exitCode, equalTo(0));
    JsonNode s = run.summary();
    assertThat(run.toString(), s.path("conserved").asBoolean(), equalTo(true));
    return run;
  }

  /** The events of the service's instance on node-1: the subject of its log lines. */
  private static long events(WeftRun run, String service) throws Exception {
    String id = "service.instance~" + service + "/node-1";
    for (JsonNode n : JSON.readTree(run.output.resolve("graph.json").toFile()).path("nodes")) {
      if (n.path("id").asText().equals(id)) {
        return n.path("events").asLong();
      }
    }
    throw new AssertionError("no node " + id + " in graph.json");
  }

  private static long total(WeftRun run, String name) throws Exception {
    return run.summary().path(name).asLong(-1);
  }

  @Test
  public void shedBoundsTheStormAndNamesEveryShedEvent() throws Exception {
    WeftRun run = run("shed");
    assertThat(events(run, "storm"), equalTo((long) BUDGET));
    assertThat(events(run, "calm"), equalTo((long) CALM));
    assertThat(total(run, "overload.shed"), equalTo((long) STORM - BUDGET));
    assertThat(run.lines("shed-").size(), equalTo(STORM - BUDGET));
    // Nothing was spilled: no empty spill file, no spill directory, is left behind.
    assertThat(Files.exists(run.output.getParent().resolve("spill-shed")), equalTo(false));
  }

  @Test
  public void spillBoundsTheStormAndKeepsEveryEventForAReplay() throws Exception {
    WeftRun run = run("spill");
    assertThat(events(run, "storm"), equalTo((long) BUDGET));
    assertThat(events(run, "calm"), equalTo((long) CALM));
    assertThat(total(run, "overload.spilled"), equalTo((long) STORM - BUDGET));
    long spilled = 0;
    try (Stream<Path> files = Files.list(run.output.getParent().resolve("spill-spill"))) {
      for (Path f : files.toList()) {
        for (String l : Files.readAllLines(f)) {
          assertThat(JSON.readTree(l).path("signals").path("service.name").asText(),
              equalTo("storm"));
          spilled++;
        }
      }
    }
    assertThat(spilled, equalTo((long) STORM - BUDGET));

    // The replay, later and without a budget: the input again plus the spill. Every spilled event
    // is a duplicate of its input line, so nothing is counted twice and the storm is whole.
    Path again = TMP.newFolder().toPath().resolve("replayed");
    WeftRun replay = WeftRun.of(again, "--sources=json-logs:" + input,
        "--sources=weft-events:" + run.output.getParent().resolve("spill-spill") + "/*.jsonl",
        "--overloadBudget=0", "--quiet");
    assertThat(replay.toString(), replay.exitCode, equalTo(0));
    assertThat(replay.summary().path("duplicates").asLong(),
        equalTo((long) STORM - BUDGET));
    assertThat(events(replay, "storm"), equalTo((long) STORM));
    assertThat(events(replay, "calm"), equalTo((long) CALM));
  }

  @Test
  public void sampleBoundsTheWorkAndKeepsTheCountsAnEstimate() throws Exception {
    WeftRun run = run("sample");
    // 3,500 beyond the budget kept 1 in 10 with weight 10: the estimate has a standard deviation
    // of about 180 around 4,000; 4,000 +- 900 is five of them.
    assertThat(events(run, "storm"), allOf(greaterThan(3_100L), lessThan(4_900L)));
    assertThat(events(run, "calm"), equalTo((long) CALM));
    assertThat(total(run, "overload.sampledIn") + total(run, "overload.sampledOut"),
        equalTo((long) STORM - BUDGET));
    assertThat(total(run, "overload.sampledIn"), lessThan((long) STORM / 5));
  }

  /** The same storm on embedded Flink (runs with -Prunners, like the runner matrix). */
  @Test
  public void spillOnFlinkConservesAndBoundsTheStorm() throws Exception {
    Assume.assumeTrue("runs under -Prunners", Boolean.getBoolean("weft.runnerMatrix"));
    WeftRun run = run("spill", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2");
    assertThat(events(run, "storm"), equalTo((long) BUDGET));
    assertThat(events(run, "calm"), equalTo((long) CALM));
    assertThat(total(run, "overload.spilled"), equalTo((long) STORM - BUDGET));
  }
}
