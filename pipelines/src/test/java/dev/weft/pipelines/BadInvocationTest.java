package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every bad invocation gets a message naming the flag (or file and line) and the problem, exit 1,
 * no stack trace, and stops before any record is read: nothing is written to the output.
 */
public class BadInvocationTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The exit code and stderr of the weft command with exactly these arguments. */
  private record Result(int code, String out, String err) {}

  private static Result weft(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WeftMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private Path zipkinFile() throws Exception {
    Path f = tmp.getRoot().toPath().resolve("spans.json");
    Files.writeString(f, "[]");
    return f;
  }

  private int calls;

  /** A run with one good source and these extra arguments must be refused with {@code says}. */
  private Result refused(String says, String... extra) throws Exception {
    Path out = tmp.getRoot().toPath().resolve("out" + ++calls);
    List<String> args = new ArrayList<>(List.of("--sources=zipkin:" + zipkinFile(),
        "--output=" + out));
    args.addAll(List.of(extra));
    Result r = weft(args.toArray(new String[0]));
    String shown = "exit " + r.code() + "\nstderr:\n" + r.err() + "\nstdout:\n" + r.out();
    assertThat(shown, r.code(), equalTo(ExitCode.CONFIGURATION.code()));
    assertThat(shown, r.err(), containsString(says));
    assertThat("no stack trace\n" + shown, r.err(), not(containsString("\tat ")));
    assertThat(shown, r.err(), not(containsString("Exception")));
    assertThat("stopped before running\n" + shown, r.out(), not(containsString("running on")));
    if (Files.isDirectory(out)) {
      try (Stream<Path> files = Files.list(out)) {
        assertThat("nothing written", files.toList(), is(empty()));
      }
    }
    return r;
  }

  @Test
  public void badNumbersNameTheFlagItsUnitAndWhatItMeans() throws Exception {
    refused("--deadLetterPayloadBytes=-1: must be at least 0 (in bytes",
        "--deadLetterPayloadBytes=-1");
    refused("--identityShards=0: must be at least 1 (in shards", "--identityShards=0");
    refused("--earlyFiringSeconds=-1: must be at least 0 (in seconds", "--earlyFiringSeconds=-1");
    refused("--maxRecordBytes=0: must be at least 1 (in bytes", "--maxRecordBytes=0");
    refused("--progressSeconds=0: must be at least 1 (in seconds", "--progressSeconds=0");
    Result lateness = refused("--allowedLatenessSeconds=-5: must be at least 0 (in seconds",
        "--allowedLatenessSeconds=-5");
    assertThat(lateness.err(), not(containsString("PT-5S")));
    refused("--identityShards=abc: not a whole number of shards", "--identityShards=abc");
    refused("--windowSeconds=: needs a whole number of seconds", "--windowSeconds=");
    refused("--quiet=maybe: expected true or false", "--quiet=maybe");
    refused("--bigQueryWriteMode=SOMETIMES: expected UPSERT or CHANGELOG",
        "--bigQueryWriteMode=SOMETIMES");
  }

  @Test
  public void everyProblemIsReportedAtOnceAndRelationsAreChecked() throws Exception {
    Result r = refused("--dedupHorizonSeconds=10 is shorter than --allowedLatenessSeconds=300",
        "--dedupHorizonSeconds=10", "--identityShards=0");
    assertThat(r.err(), containsString("--identityShards=0"));
  }

  @Test
  public void anOutputThatIsAFileOrUnderAFileIsRefused() throws Exception {
    Path file = tmp.newFile("not-a-dir").toPath();
    Result r = weft("--sources=zipkin:" + zipkinFile(), "--output=" + file);
    assertThat(r.err(), r.code(), equalTo(1));
    assertThat(r.err(), containsString("--output=" + file + ": is a file, not a directory"));
    r = weft("--sources=zipkin:" + zipkinFile(), "--output=" + file + "/sub");
    assertThat(r.err(), r.code(), equalTo(1));
    assertThat(r.err(), containsString("--output=" + file + "/sub: cannot create or write the "
        + "directory (" + file + "/sub: Not a directory)"));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  public void aMissingConfigurationFileIsNamed() throws Exception {
    refused("--patterns=" + tmp.getRoot() + "/nope.yaml: no such file",
        "--patterns=" + tmp.getRoot() + "/nope.yaml");
    refused("--policy=" + tmp.getRoot() + ": is a directory, not a file",
        "--policy=" + tmp.getRoot());
  }

  @Test
  public void aDirectoryWithoutFilesIsRefusedWithTheGlobToWrite() throws Exception {
    Path dir = tmp.newFolder("logs").toPath();
    Files.createDirectories(dir.resolve("2024"));
    Result r = weft("--sources=json-logs:" + dir, "--output=" + tmp.newFolder("o"));
    assertThat(r.err(), r.code(), equalTo(1));
    assertThat(r.err(), containsString("--sources=json-logs:" + dir + ": the directory holds no "
        + "file directly (only directories); for every file below it, give the glob json-logs:"
        + dir + "/**"));
  }

  @Test
  public void aDirectoryWithFilesMeansItsFiles() throws Exception {
    Path dir = tmp.newFolder("k8s").toPath();
    Files.writeString(dir.resolve("a.yaml"), "kind: List\nitems: []\n");
    Files.writeString(dir.resolve("b.yaml"), "kind: List\nitems: []\n");
    Files.createDirectories(dir.resolve("nested"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> expanded = SourceChecks.expandDirectories(
        List.of("k8s:" + dir, "zipkin:" + zipkinFile()), new PrintStream(err, true, "UTF-8"));
    assertThat(expanded.get(0), equalTo("k8s:" + dir + "/*"));
    assertThat(expanded.get(1), equalTo("zipkin:" + tmp.getRoot() + "/spans.json"));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("is a directory: reading the"
        + " 2 file(s) in it"));
    // What Beam then matches: the two files, not the nested directory.
    assertThat(FileSystems.match(dir + "/*").metadata().size(), equalTo(2));
  }

  @Test
  public void aRunnerMissingFromTheJarNamesTheProfileToBuild() {
    Map<String, String> direct = Map.of("direct", "DirectRunner");
    assertThat(RunnerProfiles.problem("FlinkRunner", direct).orElseThrow(),
        containsString("build it with the flink profile: mvn -B -q -DskipTests -Pflink package"));
    assertThat(RunnerProfiles.problem("spark", direct).orElseThrow(), containsString("-Pspark"));
    assertThat(RunnerProfiles.problem("org.apache.beam.runners.dataflow.DataflowRunnerX", direct)
        .orElseThrow(), containsString("not a runner this weft.jar knows"));
    assertThat(RunnerProfiles.problem("DataflowRunner", direct).orElseThrow(),
        containsString("-Pdataflow"));
    assertThat(RunnerProfiles.problem("DirectRunner", direct), is(Optional.empty()));
    assertThat(RunnerProfiles.problem("direct", direct), is(Optional.empty()));
    assertThat(RunnerProfiles.problem("Nimbus", direct).orElseThrow(),
        containsString("--runner=Nimbus is not a runner this weft.jar knows; it has: DirectRunner"));
  }

  @Test
  public void aRunnerMissingFromThisBuildIsRefusedByTheCommand() throws Exception {
    assumeTrue("Flink is on this test classpath (-Prunners)",
        !RunnerProfiles.available().containsKey("flink"));
    refused("-Pflink", "--runner=FlinkRunner");
  }

  @Test
  public void aMisspeltPatternFieldNamesFileLineAndTheNearestName() throws Exception {
    String yaml = "patterns:\n"
        + "  - name: mylog\n"
        + "    regex: '^(?<date>\\d{6}) (?<level>[A-Z]+) (?<body>.*)$'\n"
        + "    time: {groups: [date], layouts: ['yyMMdd']}\n"
        + "    fields:\n"
        + "      level: severty\n";
    Path patterns = tmp.getRoot().toPath().resolve("mine.yaml");
    Path log = tmp.getRoot().toPath().resolve("x.log");
    Files.writeString(patterns, yaml);
    Files.writeString(log, "");
    refused(patterns + ": line 6: pattern entry 0 ('mylog'): unknown field 'severty'",
        "--sources=text-logs.mylog:" + log, "--patterns=" + patterns);
    Files.writeString(patterns, yaml.replace("level", "log_level").replace("severty", "severity"));
    Files.writeString(log, "");
    refused("regex group name 'log_level' is not allowed",
        "--sources=text-logs.mylog:" + log, "--patterns=" + patterns);
  }

  @Test
  public void aMisspeltPolicyKeyNamesTheNearestKey() throws Exception {
    Path policy = tmp.newFile("policy.yaml").toPath();
    Files.writeString(policy, "flor: 0.8\ntypes: []\n");
    refused("flor (line 1): unknown key 'flor'; did you mean 'floor'?", "--policy=" + policy);
  }
}
