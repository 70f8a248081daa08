package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo run ({@code testdata/demo.args}) with every graph format, made once per test JVM and
 * shared by the tests that read its output (the export and the graph page tests).
 */
final class DemoOutput {
  private static Path dir;

  private DemoOutput() {}

  static synchronized Path get() throws Exception {
    if (dir == null) {
      Path out = Files.createTempDirectory("weft-demo-");
      List<String> args = new ArrayList<>(RunnerMatrixTest.demoArgs());
      args.add("--graphFormat=json,dot,graphml");
      WeftRun run = WeftRun.of(out, args.toArray(new String[0]));
      assertThat(run.toString(), run.exitCode, equalTo(0));
      dir = out;
    }
    return dir;
  }
}
