package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What a whole run says while and after it runs: progress lines on stderr (none with --quiet);
 * a source whose every record was dead-lettered makes the run exit 3 with the first reasons
 * (unless --allowAllDeadLettered); --patterns adds to the built-in patterns and says when it
 * replaces one; a directory given as a source is read file by file.
 */
public class RunOutcomeTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static WeftRun strict;
  private static WeftRun allowed;
  private static Path mine;

  @BeforeClass
  public static void runTwice() throws Exception {
    Path in = TMP.newFolder("in").toPath();
    Path patterns = in.resolve("patterns.yaml");
    Files.writeString(patterns, "patterns:\n"
        + "  - name: mylog\n"
        + "    regex: '^(?<date>\\d{6}) (?<body>.*)$'\n"
        + "    time: {groups: [date], layouts: ['yyyy-MM-dd']}\n"
        + "  - name: apache\n"
        + "    regex: '^\\[(?<time>[^\\]]+)\\] (?<body>.*)$'\n"
        + "    time: {groups: [time], layouts: ['EEE MMM dd HH:mm:ss yyyy']}\n");
    mine = in.resolve("mine.log");
    Files.writeString(mine, "081109 first line\n081109 second line\n");
    Path hdfs = in.resolve("hdfs.log");
    Files.writeString(hdfs, "081109 203615 148 INFO dfs.DataNode$PacketResponder: "
        + "PacketResponder 1 for block blk_38865049064139660 terminating\n");
    Path logs = Files.createDirectories(in.resolve("logs"));
    Files.writeString(logs.resolve("app.log"),
        "{\"timestamp\":\"2024-05-01T10:00:00Z\",\"message\":\"ok\"}\n");
    String[] args = {"--sources=text-logs.mylog:" + mine, "--sources=text-logs.hdfs:" + hdfs,
        "--sources=json-logs:" + logs, "--patterns=" + patterns, "--progressSeconds=1"};
    strict = WeftRun.of(TMP.newFolder("strict").toPath(), args);
    String[] more = java.util.Arrays.copyOf(args, args.length + 2);
    more[args.length] = "--allowAllDeadLettered";
    more[args.length + 1] = "--quiet";
    allowed = WeftRun.of(TMP.newFolder("allowed").toPath(), more);
  }

  @Test
  public void aWhollyDeadLetteredSourceExits3WithItsFirstReasons() {
    assertThat(strict.toString(), strict.exitCode,
        equalTo(ExitCode.SOURCE_ALL_DEAD_LETTERED.code()));
    assertThat(strict.stderr, containsString("weft: every record of --sources=text-logs.mylog:"
        + mine + " was dead-lettered (2, no event); the first reasons:\nweft:   " + mine + ":"));
    // Dead letters come in no fixed order: either line may be the first shown.
    assertThat(strict.stderr, matchesPatternIn("weft:   " + java.util.regex.Pattern.quote(
        mine.toString()) + ":[12]: INVALID_VALUE: text pattern 'mylog': time '081109' fits no "
        + "layout.*"));
    assertThat(strict.stderr, containsString("--allowAllDeadLettered accepts such a run"));
    // The other sources are not blamed.
    assertThat(strict.stderr, not(containsString("every record of --sources=text-logs.hdfs")));
    assertThat(strict.stderr, not(containsString("every record of --sources=json-logs")));
  }

  private static org.hamcrest.Matcher<String> matchesPatternIn(String lineRegex) {
    return new org.hamcrest.TypeSafeMatcher<String>() {
      @Override
      protected boolean matchesSafely(String text) {
        return text.lines().anyMatch(l -> l.matches(lineRegex));
      }

      @Override
      public void describeTo(org.hamcrest.Description d) {
        d.appendText("a line matching ").appendValue(lineRegex);
      }
    };
  }

  @Test
  public void anOptionAcceptsIt() {
    assertThat(allowed.toString(), allowed.exitCode, equalTo(ExitCode.OK.code()));
    assertThat(allowed.stderr, containsString("every record of --sources=text-logs.mylog:"));
  }

  @Test
  public void progressLinesComeFromTheRunnersCountersAndQuietSilencesThem() {
    String line = "weft: \\d+(m\\d\\d)?s  read [\\d,]+ \\([\\d,]+/s\\)  events [\\d,]+  dead letters "
        + "[\\d,]+  duplicates [\\d,]+  late [\\d,]+(  event time up to \\S+)?";
    List<String> progress = strict.stderr.lines().filter(l -> l.matches("weft: \\d.*")).toList();
    assertThat(strict.stderr, progress.isEmpty(), equalTo(false));
    progress.forEach(l -> assertThat(l, matchesPattern(line)));
    assertThat(allowed.stderr, allowed.stderr.lines().anyMatch(l -> l.matches(line)),
        equalTo(false));
  }

  @Test
  public void ownPatternsAddToTheBuiltInOnesAndSayWhichTheyReplace() throws Exception {
    JsonNode sources = allowed.summary().get("sources");
    assertThat(sources.toString(), sources.path("text-logs.hdfs:" + mine.getParent()
        + "/hdfs.log").path("normalized").asInt(), equalTo(1));
    assertThat(strict.stderr, containsString("pattern 'apache' overrides the built-in one"));
    assertThat(strict.stderr, not(containsString("pattern 'mylog' overrides")));
  }

  @Test
  public void aDirectorySourceReadsTheFilesInIt() throws Exception {
    assertThat(strict.stderr, containsString("is a directory: reading the 1 file(s) in it"));
    JsonNode sources = allowed.summary().get("sources");
    assertThat(sources.toString(), sources.path("json-logs:" + mine.getParent() + "/logs/*")
        .path("normalized").asInt(), equalTo(1));
  }
}
