package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code --savepointPath} reaches an embedded Flink cluster as {@code execution.savepoint.path}. */
public class EmbeddedFlinkRestoreTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String CHECKPOINT = "file:/ckpt/0123abcd/chk-7";

  @Test
  public void embeddedRunGetsAConfigurationThatRestoresTheCheckpoint() throws Exception {
    EmbeddedFlinkRestore.Result r = EmbeddedFlinkRestore.apply(new String[] {
        "--sources=json-logs:kafka://h:9092/t", "--runner=FlinkRunner", "--flinkMaster=[local]",
        "--savepointPath=" + CHECKPOINT});
    String conf = Files.readString(confDir(r).resolve("flink-conf.yaml"));
    assertThat(conf, containsString("execution.savepoint.path: " + CHECKPOINT + "\n"));
    assertThat(conf, not(containsString("ignore-unclaimed-state")));
    assertThat(r.note().orElseThrow(), containsString(CHECKPOINT));
    // The savepoint option itself stays: Beam reads it too (and uses it for a remote master).
    assertThat(Arrays.asList(r.args()), org.hamcrest.Matchers.hasItem("--savepointPath="
        + CHECKPOINT));
  }

  @Test
  public void theUsersOwnFlinkConfigurationIsKeptAndNonRestoredStateAllowed() throws Exception {
    Path user = tmp.newFolder("conf").toPath();
    Files.writeString(user.resolve("flink-conf.yaml"), "rest.port: 18081\n");
    EmbeddedFlinkRestore.Result r = EmbeddedFlinkRestore.apply(new String[] {
        "--runner=org.apache.beam.runners.flink.FlinkRunner", "--flinkConfDir=" + user,
        "--savepointPath=" + CHECKPOINT, "--allowNonRestoredState=true"});
    Path dir = confDir(r);
    assertThat(dir, not(equalTo(user)));
    String conf = Files.readString(dir.resolve("flink-conf.yaml"));
    assertThat(conf, containsString("rest.port: 18081\n"));
    assertThat(conf, containsString("execution.savepoint.path: " + CHECKPOINT));
    assertThat(conf, containsString("execution.savepoint.ignore-unclaimed-state: true"));
    assertThat(Arrays.stream(r.args()).filter(a -> a.startsWith("--flinkConfDir=")).count(),
        equalTo(1L));
  }

  @Test
  public void remoteMastersOtherRunnersAndRunsWithoutSavepointAreLeftAlone() {
    List<String[]> untouched = List.of(
        new String[] {"--runner=FlinkRunner", "--flinkMaster=jm:8081",
            "--savepointPath=" + CHECKPOINT},
        new String[] {"--runner=DirectRunner", "--savepointPath=" + CHECKPOINT},
        new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]"});
    for (String[] args : untouched) {
      EmbeddedFlinkRestore.Result r = EmbeddedFlinkRestore.apply(args);
      assertThat(Arrays.asList(r.args()), equalTo(Arrays.asList(args)));
      assertThat(r.note().isPresent(), equalTo(false));
    }
  }

  @Test
  public void aNewStyleConfigYamlIsRefusedWithWhatToDo() throws Exception {
    Path user = tmp.newFolder("new-style").toPath();
    Files.writeString(user.resolve("config.yaml"), "rest:\n  port: 18081\n");
    try {
      EmbeddedFlinkRestore.apply(new String[] {"--runner=FlinkRunner",
          "--flinkConfDir=" + user, "--savepointPath=" + CHECKPOINT});
      throw new AssertionError("expected a configuration error");
    } catch (InvalidConfiguration e) {
      assertThat(e.getMessage(), containsString("execution.savepoint.path: PATH"));
    }
  }

  private static Path confDir(EmbeddedFlinkRestore.Result r) {
    return Path.of(Arrays.stream(r.args()).filter(a -> a.startsWith("--flinkConfDir="))
        .reduce((a, b) -> b).orElseThrow().substring("--flinkConfDir=".length()));
  }
}
