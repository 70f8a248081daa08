package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A corrupted copy of every format — truncated, wrong types, invalid UTF-8, empty, a 50 MB line —
 * runs through the whole command: nothing crashes, every bad record is a dead letter with a
 * reason, and the summary's arithmetic holds.
 */
public class CorruptedInputTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static WeftRun run;

  /** The formats and one good record of each, from which the corruptions are made. */
  static final String[][] GOOD = {
      {"zipkin", "[{\"traceId\":\"0123456789abcdef\",\"id\":\"0123456789abcdef\",\"kind\":\"CLIENT\","
          + "\"timestamp\":1714557600000000,\"duration\":5,\"localEndpoint\":{\"serviceName\":\"a\"}}]",
          "[{\"traceId\":\"0123456789abcdef\",\"id\":{\"x\":1},\"timestamp\":\"soon\"}]"},
      {"otlp-traces", "{\"resourceSpans\":[]}", "{\"resourceSpans\":\"everything\"}"},
      {"otlp-logs", "{\"resourceLogs\":[]}", "{\"resourceLogs\":[{\"scopeLogs\":7}]}"},
      {"jaeger", "{\"data\":[]}", "{\"data\":[{\"traceID\":5,\"spans\":{}}]}"},
      {"k8s", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}",
          "{\"kind\":\"List\",\"items\":5}"},
      {"syslog", "<34>1 2024-05-01T10:00:00Z host app 1 - - ok", "<999>x"},
      {"json-logs", "{\"timestamp\":\"2024-05-01T10:00:00Z\",\"message\":\"ok\"}", "[1,2,3]"},
      {"text-logs.hdfs", "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 "
          + "for block blk_38865049064139660 terminating", "not an hdfs line at all"},
  };

  @BeforeClass
  public static void runOnCorruptedCopies() throws Exception {
    Path in = TMP.newFolder("in").toPath();
    List<String> args = new ArrayList<>();
    for (String[] g : GOOD) {
      String format = g[0];
      boolean lines = format.equals("json-logs") || format.startsWith("text-logs");
      String ext = lines ? ".log" : ".json";
      Path dir = Files.createDirectories(in.resolve(format));
      // A free-text log line cut after its header is still a valid line; cut inside the header.
      int cut = format.startsWith("text-logs") ? 10 : g[1].length() / 2;
      Files.write(dir.resolve("truncated" + ext), g[1].substring(0, cut)
          .getBytes(StandardCharsets.UTF_8));
      Files.write(dir.resolve("wrongtypes" + ext), g[2].getBytes(StandardCharsets.UTF_8));
      byte[] good = g[1].getBytes(StandardCharsets.UTF_8);
      byte[] bad = new byte[good.length + 2];
      System.arraycopy(good, 0, bad, 0, 10);
      bad[10] = (byte) 0xc3;
      bad[11] = (byte) 0x28;
      System.arraycopy(good, 10, bad, 12, good.length - 10);
      Files.write(dir.resolve("badutf8" + ext), bad);
      Files.write(dir.resolve("empty" + ext), new byte[0]);
      writeHugeLine(dir.resolve("huge" + ext), 50 * 1024 * 1024);
      args.add("--sources=" + format + ":" + dir + "/*" + ext);
    }
    // Every record here is corrupt on purpose, so every source is wholly dead-lettered.
    args.add("--allowAllDeadLettered");
    run = WeftRun.of(TMP.newFolder("out").toPath(), args.toArray(new String[0]));
  }

  private static void writeHugeLine(Path p, int bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(p)) {
      out.write("{\"message\":\"".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "x".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
      for (int written = 0; written < bytes; written += chunk.length) {
        out.write(chunk);
      }
      out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  public void theRunFinishesAndItsArithmeticHolds() throws IOException {
    assertThat(run.toString(), run.exitCode, equalTo(0));
    JsonNode s = run.summary();
    assertThat(s.get("conserved").asBoolean(), equalTo(true));
    assertThat(s.get("read").asLong(),
        equalTo(s.get("normalized").asLong() + s.get("deadLettered").asLong()));
  }

  @Test
  public void everyCorruptedFileOfEveryFormatHasADeadLetterWithAReason() throws IOException {
    List<JsonNode> letters = run.lines("deadletters-");
    for (String[] g : GOOD) {
      for (String kind : List.of("truncated", "wrongtypes", "badutf8", "empty", "huge")) {
        List<JsonNode> mine = letters.stream()
            .filter(d -> d.get("origin").get("resource").asText().contains("/" + g[0] + "/" + kind))
            .collect(Collectors.toList());
        assertThat(g[0] + "/" + kind + " has no dead letter", mine.size(), greaterThanOrEqualTo(1));
        for (JsonNode d : mine) {
          assertThat(d.get("reason").asText(), not(emptyOrNullString()));
        }
      }
    }
  }

  @Test
  public void theHugeLineIsRefusedAsTooLargeWithABoundedPayload() throws IOException {
    List<String> classes = new ArrayList<>();
    for (JsonNode d : run.lines("deadletters-")) {
      if (d.get("origin").get("resource").asText().contains("huge")) {
        classes.add(d.get("errorClass").asText());
        assertThat(d.get("payload").asText().length(), org.hamcrest.Matchers.lessThanOrEqualTo(65536));
        assertThat(d.get("truncated").asBoolean(), equalTo(true));
      }
    }
    assertThat(classes, hasItem("TOO_LARGE"));
  }

  @Test
  public void invalidUtf8IsNamedAsAnEncodingProblem() throws IOException {
    List<String> classes = run.lines("deadletters-").stream()
        .filter(d -> d.get("origin").get("resource").asText().contains("badutf8"))
        .map(d -> d.get("errorClass").asText()).collect(Collectors.toList());
    assertThat(classes, hasItem("INVALID_ENCODING"));
  }
}
