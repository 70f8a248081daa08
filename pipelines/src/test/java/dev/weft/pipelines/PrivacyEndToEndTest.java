package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.identity.IdentityPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A record carrying an Authorization header, a token and an e-mail — in OTLP span attributes, a
 * JSON log line and a malformed JSON log line that becomes a dead letter — runs through the whole
 * command; under the default policy neither the token nor the address appears in any file the run
 * writes (events, dead letters, bindings, nodes, edges, graph.json, summary.json). A control run
 * with the built-in rules off and raw payloads shows both in clear, so the search can fail.
 */
public class PrivacyEndToEndTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  static final String TOKEN = "SECRET-TOKEN-4711";
  static final String EMAIL = "alice.liddell@example.com";

  private static Path in;
  private static WeftRun protectedRun;
  private static WeftRun controlRun;

  @BeforeClass
  public static void runDefaultAndControl() throws Exception {
    in = TMP.newFolder("in").toPath();
    Files.writeString(in.resolve("spans.json"), otlpSpan());
    Files.writeString(in.resolve("app.ndjson"),
        "{\"timestamp\":\"2024-05-01T10:00:03Z\",\"level\":\"info\",\"service\":\"shop-api\","
            + "\"message\":\"login " + EMAIL.toUpperCase(Locale.ROOT) + " with Authorization: Bearer "
            + TOKEN + "\",\"user\":\"" + EMAIL + "\",\"headers\":{\"Authorization\":\"Bearer "
            + TOKEN + "\",\"Cookie\":\"sid=" + TOKEN + "\"}}\n"
            + "{\"timestamp\":\"2024-05-01T10:00:04Z\",\"message\":\"retry for " + EMAIL
            + "\",\"headers\":{\"Authorization\":\"Bearer " + TOKEN + "\"\n");
    String[] sources = {"--sources=otlp-traces:" + in.resolve("spans.json"),
        "--sources=json-logs:" + in.resolve("app.ndjson")};
    protectedRun = WeftRun.of(TMP.newFolder("out").toPath(), sources);

    Path noBuiltins = in.resolve("no-builtins.yaml");
    Files.writeString(noBuiltins, shippedPolicy().replace("  builtins: true", "  builtins: false"));
    controlRun = WeftRun.of(TMP.newFolder("control").toPath(), sources[0], sources[1],
        "--policy=" + noBuiltins, "--deadLetterPayloads=raw");
  }

  static String otlpSpan() {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"shop-api\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /account\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"1714557600000000000\",\"endTimeUnixNano\":\"1714557600100000000\","
        + "\"attributes\":["
        + "{\"key\":\"http.request.header.authorization\",\"value\":{\"stringValue\":\"Bearer "
        + TOKEN + "\"}},"
        + "{\"key\":\"enduser.id\",\"value\":{\"stringValue\":\"" + EMAIL + "\"}},"
        + "{\"key\":\"url.full\",\"value\":{\"stringValue\":\"https://shop/cb?access_token="
        + TOKEN + "&user=" + EMAIL + "\"}}]}]}]}]}";
  }

  static String shippedPolicy() throws IOException {
    try (InputStream s = IdentityPolicy.class.getClassLoader()
        .getResourceAsStream(IdentityPolicy.DEFAULT_RESOURCE)) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every file the run wrote, name → text (lower-cased, so no spelling escapes the search). */
  static Map<String, String> written(WeftRun run) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (Stream<Path> files = Files.walk(run.output)) {
      for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        out.put(run.output.relativize(f).toString(),
            Files.readString(f, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  @Test
  public void theRunIsComplete() throws IOException {
    assertThat(protectedRun.toString(), protectedRun.exitCode, equalTo(0));
    assertThat(protectedRun.lines("events-").size(), equalTo(2));
    assertThat(protectedRun.lines("deadletters-").size(), equalTo(1));
    assertThat(protectedRun.summary().get("conserved").asBoolean(), equalTo(true));
    // authorization, url token, cookie, e-mail in span and log, log body (2), user field
    assertThat(protectedRun.summary().get("privacy.redacted").asLong(), greaterThanOrEqualTo(7L));
    assertThat(protectedRun.summary().get("privacy.deadLetterPayloadsScrubbed").asLong(),
        equalTo(1L));
  }

  @Test
  public void neitherTheTokenNorTheAddressIsInAnyOutputFile() throws IOException {
    Map<String, String> files = written(protectedRun);
    assertThat(files.keySet().toString(), files.keySet().stream()
        .filter(n -> n.startsWith("graph.json") || n.startsWith("bindings-")
            || n.startsWith("nodes-") || n.startsWith("edges-")).count(), greaterThanOrEqualTo(4L));
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertThat(f.getKey(), f.getValue(), not(containsString(TOKEN.toLowerCase(Locale.ROOT))));
      assertThat(f.getKey(), f.getValue(), not(containsString(EMAIL)));
      assertThat(f.getKey(), f.getValue(), not(containsString("alice.liddell")));
    }
  }

  @Test
  public void whatWasRemovedIsMarkedWhereItWas() throws IOException {
    List<JsonNode> events = protectedRun.lines("events-");
    String all = events.toString();
    assertThat(all, containsString("\"http.request.header.authorization\":\"[redacted]\""));
    assertThat(all, containsString("\"headers.Cookie\":\"[redacted]\""));
    assertThat(all, containsString("login [redacted:email] with Authorization: [redacted]"));
    JsonNode letter = protectedRun.lines("deadletters-").get(0);
    assertThat(letter.get("payload").asText(), containsString("\"Authorization\":\"[redacted]\""));
    assertThat(letter.get("payload").asText(), containsString("retry for [redacted:email]"));
  }

  @Test
  public void theControlRunWithoutTheRulesShowsBothInClear() throws IOException {
    assertThat(controlRun.toString(), controlRun.exitCode, equalTo(0));
    Map<String, String> files = written(controlRun);
    String events = files.entrySet().stream().filter(e -> e.getKey().startsWith("events-"))
        .map(Map.Entry::getValue).collect(Collectors.joining());
    String letters = files.entrySet().stream().filter(e -> e.getKey().startsWith("deadletters-"))
        .map(Map.Entry::getValue).collect(Collectors.joining());
    assertThat(events, containsString(TOKEN.toLowerCase(Locale.ROOT)));
    assertThat(events, containsString(EMAIL));
    assertThat(letters, containsString(TOKEN.toLowerCase(Locale.ROOT)));
  }

  @Test
  public void aPolicyThatHashesRefusesToStartWithoutAKey() throws Exception {
    Assume.assumeTrue("WEFT_PRIVACY_KEY is set in this environment",
        System.getenv("WEFT_PRIVACY_KEY") == null);
    Path hashing = in.resolve("hashing.yaml");
    Files.writeString(hashing, shippedPolicy().replace("  rules: []",
        "  rules:\n    - {values: email, action: hash}"));
    WeftRun run = WeftRun.of(TMP.newFolder("refused").toPath(),
        "--sources=json-logs:" + in.resolve("app.ndjson"), "--policy=" + hashing);
    assertThat(run.exitCode, equalTo(1));
    assertThat(run.stderr, containsString("--privacyKeyFile"));
    assertThat(run.stderr, containsString("WEFT_PRIVACY_KEY"));
  }

  @Test
  public void anUnknownPayloadModeIsRefused() throws Exception {
    WeftRun run = WeftRun.of(TMP.newFolder("mode").toPath(),
        "--sources=json-logs:" + in.resolve("app.ndjson"), "--deadLetterPayloads=scrubbed");
    assertThat(run.exitCode, equalTo(1));
    assertThat(run.stderr, startsWith("weft: --deadLetterPayloads=scrubbed"));
  }
}
