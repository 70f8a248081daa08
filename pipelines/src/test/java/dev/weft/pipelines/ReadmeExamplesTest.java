package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README is true: its examples are read out of README.md and run here, in-process, as the
 * jar's main would run them. The demo command runs once and its totals must be the README's; every
 * {@code $ java -jar pipelines/target/weft.jar ...} example must exit as the README says ({@code #
 * exit N}, else 0) and print every line the README shows under it; the binding lines shown must be
 * lines of the demo's output; the table of exit codes must be {@link ExitCode}. Change what a
 * command prints and this test names the README line that is now false.
 */
public class ReadmeExamplesTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final String JAR = "java -jar pipelines/target/weft.jar";

  private static Path root;
  private static List<String> readme;
  private static Path demoOut;
  private static Ran demo;

  /** What one command did. */
  private record Ran(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeClass
  public static void runTheDemoAsTheReadmeSays() throws Exception {
    root = Path.of(System.getProperty("weft.testdata", "../testdata")).toAbsolutePath()
        .normalize().getParent();
    readme = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
    String demoLine = readme.stream().filter(l -> l.contains(JAR + " @testdata/demo.args"))
        .findFirst().orElseThrow(() -> new AssertionError("README has no demo command"));
    demoOut = TMP.newFolder("weft-out").toPath();
    List<String> args = arguments(demoLine.substring(demoLine.indexOf(JAR) + JAR.length()));
    args.add("--output=" + demoOut);
    demo = weft(args);
    assertThat(demo.toString(), demo.code(), equalTo(0));
  }

  /** The README's arguments, with its relative paths made absolute and @files expanded. */
  static List<String> arguments(String commandLine) throws Exception {
    List<String> out = new ArrayList<>();
    for (String token : commandLine.replaceAll("#.*$", "").trim().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      if (token.startsWith("@")) {
        for (String line : Files.readAllLines(root.resolve(token.substring(1)))) {
          String l = line.strip();
          if (!l.isEmpty() && !l.startsWith("#")) {
            out.add(absolute(l));
          }
        }
      } else {
        out.add(absolute(token));
      }
    }
    return out;
  }

  private static String absolute(String arg) {
    return arg.replaceAll("(^|[=:])testdata(?=/|$)",
            "$1" + Matcher.quoteReplacement(root.resolve("testdata").toString()))
        .replaceAll("(^|[=:])\\.\\./shared/realdata",
            "$1" + Matcher.quoteReplacement(root.resolve("../shared/realdata").normalize()
                .toString()));
  }

  private static Ran weft(List<String> args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = WeftMain.run(args.toArray(new String[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    // Absolute paths back to the README's relative ones.
    String prefix = root.toString() + "/";
    return new Ran(code, out.toString(StandardCharsets.UTF_8).replace(prefix, ""),
        err.toString(StandardCharsets.UTF_8).replace(prefix, ""));
  }

  /** The lines of the fenced block that follows the first README line containing {@code text}. */
  private static List<String> blockAfter(String text) {
    int i = 0;
    while (i < readme.size() && !readme.get(i).contains(text)) {
      i++;
    }
    while (i < readme.size() && !readme.get(i).startsWith("```")) {
      i++;
    }
    List<String> block = new ArrayList<>();
    for (i++; i < readme.size() && !readme.get(i).startsWith("```"); i++) {
      block.add(readme.get(i));
    }
    assertThat("README has a block after '" + text + "'", block.isEmpty(), equalTo(false));
    return block;
  }

  @Test
  public void theDemoPrintsTheTotalsTheReadmeShows() {
    for (String line : blockAfter("At the end it prints the totals")) {
      assertThat(demo.out().lines().toList(), hasItem(line));
    }
  }

  /** Every {@code $ java -jar ...} example in the README, with its expected exit and lines. */
  static Map<String, List<String>> dollarExamples() {
    Map<String, List<String>> examples = new LinkedHashMap<>();
    boolean inBlock = false;
    String current = null;
    for (String line : readme) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        current = null;
        continue;
      }
      if (inBlock && line.startsWith("$ " + JAR)) {
        current = line.substring(2);
        examples.put(current, new ArrayList<>());
      } else if (inBlock && current != null) {
        examples.get(current).add(line);
      }
    }
    return examples;
  }

  @Test
  public void everyExampleExitsAndPrintsAsTheReadmeShows() throws Exception {
    Map<String, List<String>> examples = dollarExamples();
    assertThat(examples.keySet().toString(), examples.size() >= 6, equalTo(true));
    List<String> ran = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : examples.entrySet()) {
      String command = e.getKey();
      if (command.contains("--runner=FlinkRunner") && RunnerProfiles.available().containsKey("flink")) {
        System.out.println("skipped (Flink is on this classpath): " + command);
        continue;
      }
      if (command.contains("../shared/realdata")
          && !Files.isDirectory(root.resolve("../shared/realdata"))) {
        System.out.println("skipped (no real samples here): " + command);
        continue;
      }
      List<String> args = arguments(command.substring(JAR.length()));
      boolean subcommand = !args.isEmpty() && !args.get(0).startsWith("-");
      if (args.contains("explain")) {
        // The README's weft-out is the demo's output; here it is in a temporary folder.
        args.removeIf(a -> a.startsWith("--output="));
        args.add("--output=" + demoOut);
      } else if (!subcommand) {
        args.add("--output=" + TMP.newFolder().toPath());
      }
      Matcher exit = Pattern.compile("#\\s*exit\\s+(\\d+)").matcher(command);
      int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
      Ran r = weft(args);
      String shown = command + "\n" + r.all();
      assertThat(shown, r.code(), equalTo(expected));
      List<String> printed = r.all().lines().toList();
      for (String line : e.getValue()) {
        assertThat("README line under `" + command + "`", printed, hasItem(line));
      }
      assertThat(shown, r.err(), not(containsString("\tat ")));
      ran.add(command);
    }
    System.out.println("README examples run: " + ran.size() + "\n" + String.join("\n", ran));
  }

  @Test
  public void theExplainCommandOfTheQuickStartNamesAnEntityOfTheDemo() throws Exception {
    String line = readme.stream().filter(l -> l.startsWith("$ " + JAR + " explain")).findFirst()
        .orElseThrow();
    assertThat(line, not(containsString("--output")));
  }

  @Test
  public void theBindingLinesShownAreLinesOfTheDemo() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> bindings = new ArrayList<>();
    try (var files = Files.newDirectoryStream(demoOut, "bindings-*.jsonl")) {
      for (Path f : files) {
        for (String l : Files.readAllLines(f)) {
          if (!l.isBlank()) {
            bindings.add(json.readTree(l));
          }
        }
      }
    }
    List<String> shown = blockAfter("Every decision is one line of");
    for (String l : shown) {
      assertThat(bindings, hasItem(json.readTree(l)));
    }
  }

  @Test
  public void helpListsTheFormatsAndTheExitCodes() throws Exception {
    assertThat(readme.stream().anyMatch(l -> l.startsWith(JAR + " --help")), equalTo(true));
    Ran help = weft(List.of("--help"));
    assertThat(help.code(), equalTo(0));
    for (String format : AdapterCatalog.FORMATS) {
      assertThat(help.out(), containsString(format.replace(".NAME", "")));
    }
    for (ExitCode c : ExitCode.values()) {
      assertThat(help.out(), containsString(c.code() + "  " + c.meaning()));
    }
  }

  @Test
  public void theTableOfExitCodesIsTheCommandsOwn() {
    Map<Integer, String> table = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\| (\\d+) \\| (.*) \\|$");
    int start = readme.indexOf("Exit codes, of the run and of every subcommand:");
    assertThat("README has the table of exit codes", start >= 0, equalTo(true));
    for (int i = start + 1; i < readme.size() && i < start + 12; i++) {
      Matcher m = row.matcher(readme.get(i));
      if (m.matches()) {
        table.put(Integer.parseInt(m.group(1)), m.group(2));
      }
    }
    Map<Integer, String> own = new LinkedHashMap<>();
    for (ExitCode c : ExitCode.values()) {
      own.put(c.code(), c.meaning());
    }
    assertThat(table, equalTo(own));
  }
}
