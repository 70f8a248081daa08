package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.weft.pipelines.generate.GeneratorSettings;
import dev.weft.pipelines.generate.TraceGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Progress lines appear while an embedded Flink run is going, although Beam's Flink runner
 * returns from {@code run()} only when the job is over. Runs under {@code mvn -Prunners ...}
 * (Flink on the test classpath), skipped otherwise, like {@link RunnerMatrixTest}.
 */
public class FlinkProgressTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(900);

  private static final Pattern PROGRESS = Pattern.compile("^weft: \\S+  read ([\\d,]+) ");

  @BeforeClass
  public static void onlyUnderTheRunnersProfile() {
    Assume.assumeTrue("embedded Flink progress: run with -Prunners (Flink on the classpath)",
        Boolean.getBoolean("weft.runnerMatrix"));
  }

  @Test
  public void anEmbeddedFlinkRunPrintsRisingProgressBeforeItsSummary() throws Exception {
    int spans = Integer.getInteger("weft.progress.spans", 40_000);
    Path file = tmp.newFolder("in").toPath().resolve("spans.ndjson");
    new TraceGenerator(GeneratorSettings.defaults(spans, 7, GeneratorSettings.Format.ZIPKIN))
        .write(file);
    // stdout and stderr into one stream, so that the order of progress and summary shows.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = WeftMain.run(new String[] {"--sources=zipkin:" + file,
        "--output=" + tmp.newFolder("out"), "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=2", "--progressSeconds=1"}, both, both);
    String text = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(text, code, equalTo(0));

    List<Long> reads = new ArrayList<>();
    boolean summarySeen = false;
    for (String line : text.split("\n")) {
      Matcher m = PROGRESS.matcher(line);
      if (line.startsWith("weft: read ")) {
        summarySeen = true;
      } else if (m.find() && !summarySeen) {
        reads.add(Long.parseLong(m.group(1).replace(",", "")));
      }
    }
    assertThat(text, summarySeen, equalTo(true));
    List<Long> nonZero = reads.stream().filter(r -> r > 0).toList();
    assertThat("progress lines with a non-zero read count before the summary:\n" + text,
        nonZero.size(), greaterThanOrEqualTo(2));
    for (int i = 1; i < reads.size(); i++) {
      assertThat("read counts never decrease: " + reads, reads.get(i),
          greaterThanOrEqualTo(reads.get(i - 1)));
    }
  }
}
