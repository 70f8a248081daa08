package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The progress line on a real Direct run: its live counts end equal to the runner's committed
 * metrics. (The counts themselves: LiveCountsTest; {@code --quiet}: RunOutcomeTest; embedded
 * Flink: FlinkProgressTest.)
 */
public class LiveProgressTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

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
    new TraceGenerator(GeneratorSettings.defaults(100, 11, GeneratorSettings.Format.ZIPKIN))
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
    assertThat("the run read something and met redelivered copies: " + s,
        s.path("read").asLong() > 0 && s.path("duplicates").asLong() > 0, equalTo(true));
  }

  private static long num(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
