package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * OTLP traces end to end (adapter, identity, linking, graph.json) against the OpenTelemetry
 * collector's servicegraph connector semantics. The input, {@code
 * testdata/servicegraph/otlp-traces.json}, is one hand-written export request; the expected edges below were written from
 * the connector's documented behaviour (connector/servicegraphconnector), one line per case, not
 * from Weft's output:
 *
 * <ul>
 *   <li>client/server pairing by parent span id (web a..01 CLIENT, api a..02 SERVER): web → api;
 *   <li>failure on the semantic conventions when the status is unset: the client has
 *       {@code http.response.status_code} 503 (client fails on 4xx/5xx): failed;
 *   <li>failure by span status on either side (trace 2: api b..02 SERVER status ERROR): failed;
 *   <li>virtual node from {@code virtual_node_peer_attributes} (default peer.service, db.name,
 *       db.system): api's unanswered CLIENT with db.system postgresql + db.name orders →
 *       database node; the unanswered CLIENT with only {@code server.address} → no edge;
 *   <li>messaging: PRODUCER a..05 pairs with each CONSUMER whose parent it is (fan-out: billing and
 *       mailer, one call each);
 *   <li>the {@code user} client for a root SERVER span only when asked ({@code
 *       --virtualUserClient}).
 * </ul>
 */
public class OtlpServiceGraphGoldenTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** from -> to = calls/errors, as the connector would count them. */
  static final Map<String, String> EXPECTED = Map.of(
      "service:web -> service:api", "2/2",
      "service:api -> database:postgresql/orders", "1/0",
      "service:api -> service:billing", "1/0",
      "service:api -> service:mailer", "1/0");

  @Test
  public void callEdgesAreTheConnectorsWithTheDefaultPeerAttributes() throws Exception {
    assertThat(callEdges(run()), equalTo(new TreeMap<>(EXPECTED)));
  }

  @Test
  public void theUserClientAppearsOnlyWhenAskedFor() throws Exception {
    Map<String, String> expected = new TreeMap<>(EXPECTED);
    expected.put("service:user -> service:web", "1/0");
    assertThat(callEdges(run("--virtualUserClient=true")), equalTo(expected));
  }

  private static Path run(String... extra) throws Exception {
    Path input = Path.of(System.getProperty("weft.testdata"), "servicegraph", "otlp-traces.json");
    String[] args = new String[extra.length + 1];
    args[0] = "--sources=otlp-traces:" + input;
    System.arraycopy(extra, 0, args, 1, extra.length);
    WeftRun run = WeftRun.of(TMP.newFolder().toPath(), args);
    assertThat(run.toString(), run.exitCode, equalTo(0));
    return run.output.resolve("graph.json");
  }

  private static Map<String, String> callEdges(Path graphJson) throws Exception {
    JsonNode graph = new ObjectMapper().readTree(Files.readString(graphJson));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode e : graph.path("edges")) {
      if ("CALL".equals(e.path("kind").asText())) {
        out.put(e.path("from").asText() + " -> " + e.path("to").asText(),
            e.path("count").asLong() + "/" + e.path("errors").asLong());
      }
    }
    return out;
  }
}
