package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Arguments files expand in place; a later single-valued option overrides an earlier one. */
public class ArgsFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void expandsCommentsAndOverrides() throws Exception {
    Path f = tmp.newFile("run.args").toPath();
    Files.write(f, ("# demo\n--sources=zipkin:a.json\n\n--sources=k8s:b.yaml\n--output=weft-out\n")
        .getBytes(StandardCharsets.UTF_8));
    String[] args = ArgsFiles.expand(new String[] {"@" + f, "--output=/tmp/x", "--runner=DirectRunner"});
    assertThat(Arrays.asList(args), contains("--sources=zipkin:a.json", "--sources=k8s:b.yaml",
        "--output=/tmp/x", "--runner=DirectRunner"));
  }
}
