package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The in-JVM counts behind the progress line: two runs in one JVM stay apart, counts from many
 * threads add up, and on a real run they end equal to the runner's committed metrics.
 */
public class ProgressRegistryTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void twoRunsInOneJvmDoNotMix() {
    ProgressRegistry.Counts a = ProgressRegistry.counts("run-a");
    ProgressRegistry.Counts b = ProgressRegistry.counts("run-b");
    a.event(Instant.parse("2026-01-01T00:00:05Z").toEpochMilli());
    a.event(Instant.parse("2026-01-01T00:00:01Z").toEpochMilli());
    a.add(ProgressRegistry.Measure.DEAD_LETTERS);
    b.add(ProgressRegistry.Measure.DUPLICATES);
    b.add(ProgressRegistry.Measure.LATE);
    // A DoFn copy deserialized by the runner finds the same counts by the id alone.
    ProgressRegistry.counts("run-a").add(ProgressRegistry.Measure.DUPLICATES);
    try {
      assertThat(ProgressRegistry.counts("run-a").snapshot(), equalTo(new RunProgress.Snapshot(
          3, 2, 1, 1, 0, Optional.of(Instant.parse("2026-01-01T00:00:05Z")))));
      assertThat(ProgressRegistry.counts("run-b").snapshot(), equalTo(new RunProgress.Snapshot(
          0, 0, 0, 1, 1, Optional.empty())));
    } finally {
      ProgressRegistry.forget("run-a");
      ProgressRegistry.forget("run-b");
    }
    assertThat(ProgressRegistry.counts("run-a").snapshot().read(), equalTo(0L));
    ProgressRegistry.forget("run-a");
  }

  @Test
  public void countsFromManyThreadsAddUp() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long base = t * 1_000_000L;
        done.add(pool.submit(() -> {
          ProgressRegistry.Counts c = ProgressRegistry.counts("run-threads");
          for (int i = 0; i < 10_000; i++) {
            c.event(base + i);
            if (i % 10 == 0) {
              c.add(ProgressRegistry.Measure.DEAD_LETTERS);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      RunProgress.Snapshot s = ProgressRegistry.counts("run-threads").snapshot();
      assertThat(s.events(), equalTo(40_000L));
      assertThat(s.deadLetters(), equalTo(4_000L));
      assertThat(s.read(), equalTo(44_000L));
      assertThat(s.newestEventTime(), equalTo(Optional.of(Instant.ofEpochMilli(3_009_999L))));
    } finally {
      pool.shutdownNow();
      ProgressRegistry.forget("run-threads");
    }
  }

  private static final Pattern LINE = Pattern.compile(
      "weft: \\S+  read ([\\d,]+) \\([\\d,]+/s\\)  events ([\\d,]+)  dead letters ([\\d,]+)"
          + "  duplicates ([\\d,]+)  late ([\\d,]+)");

  /**
   * A Direct run with an interval longer than the run prints one line at its end, from the
   * registry; the oracle is the run's summary, which comes from Beam's committed metrics.
   */
  @Test
  public void onADirectRunTheLastLineEqualsTheCommittedSummary() throws Exception {
    Path file = tmp.newFolder("in").toPath().resolve("spans.ndjson");
    new TraceGenerator(GeneratorSettings.defaults(300, 11, GeneratorSettings.Format.ZIPKIN))
        .write(file);
    WeftRun run = WeftRun.of(tmp.newFolder("out").toPath(), "--sources=zipkin:" + file,
        "--progressSeconds=3600");
    assertThat(run.toString(), run.exitCode, equalTo(0));
    Matcher m = LINE.matcher(run.stderr);
    assertThat(run.toString(), m.find(), equalTo(true));
    JsonNode s = run.summary();
    assertThat(num(m.group(1)), equalTo(s.path("read").asLong()));
    assertThat(num(m.group(2)), equalTo(s.path("normalized").asLong()));
    assertThat(num(m.group(3)), equalTo(s.path("deadLettered").asLong()));
    assertThat(num(m.group(4)), equalTo(s.path("duplicates").asLong()));
    assertThat(num(m.group(5)), equalTo(s.path("late").asLong()));
    assertThat("the run read something", s.path("read").asLong() > 0, equalTo(true));
  }

  @Test
  public void quietPrintsNoProgress() throws Exception {
    Path file = tmp.newFolder("in").toPath().resolve("spans.ndjson");
    new TraceGenerator(GeneratorSettings.defaults(100, 11, GeneratorSettings.Format.ZIPKIN))
        .write(file);
    WeftRun run = WeftRun.of(tmp.newFolder("out").toPath(), "--sources=zipkin:" + file,
        "--progressSeconds=3600", "--quiet");
    assertThat(run.toString(), run.exitCode, equalTo(0));
    assertThat(run.toString(), LINE.matcher(run.stderr).find(), equalTo(false));
    assertThat(run.stdout, containsString("weft: read "));
  }

  private static long num(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
