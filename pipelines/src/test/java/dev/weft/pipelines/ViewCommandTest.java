package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.identity.IdentityPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The page's data from a small hand-written output directory: aliases with their validity on an
 * exclusive key (an IP reused by the next pod), binding groups, per-window revisions and late
 * panes; the command's errors; the page served on the loopback interface.
 */
public class ViewCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String A = "k8s.pod:shop/checkout-a";
  private static final String B = "k8s.pod:shop/checkout-b";

  private static String binding(String event, String time, String entity, String pod) {
    return "{\"eventId\":\"" + event + "\",\"eventTime\":\"" + time + "\",\"entityType\":\"k8s.pod\","
        + "\"entityId\":\"" + entity + "\",\"decision\":\"BOUND\",\"rule\":\"pod-namespace-name\","
        + "\"signals\":{\"k8s.namespace.name\":\"shop\",\"k8s.pod.name\":\"" + pod + "\"},"
        + "\"confidence\":1.0,\"revision\":0}";
  }

  private static String podEvent(String event, String time, String pod, String ip, String op) {
    return "{\"eventId\":\"" + event + "\",\"kind\":\"CONFIG\",\"eventTime\":\"" + time + "\","
        + "\"signals\":{\"k8s.namespace.name\":\"shop\",\"k8s.pod.ip\":\"" + ip + "\","
        + "\"k8s.pod.name\":\"" + pod + "\"},\"config\":{\"objectKind\":\"Pod\",\"operation\":\""
        + op + "\"}}";
  }

  private static String nodeRecord(String id, String timing, int revision, long events) {
    return "{\"upsertKey\":\"node|" + id + "|2024-05-01T10:00:00Z\",\"id\":\"" + id + "\","
        + "\"type\":\"k8s.pod\",\"windowStart\":\"2024-05-01T10:00:00Z\","
        + "\"windowEnd\":\"2024-05-01T10:01:00Z\",\"timing\":\"" + timing + "\",\"paneIndex\":"
        + revision + ",\"final\":false,\"revision\":" + revision + ",\"events\":" + events + "}";
  }

  /** Pod A holds 10.0.3.7 from 10:00; pod B takes the IP at 10:06 (A deleted at 10:05 or not). */
  private Path output(boolean aDeleted) throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("graph.json"), "{\"nodes\":["
        + "{\"id\":\"" + A + "\",\"type\":\"k8s.pod\",\"events\":2,\"attributes\":"
        + "{\"k8s.namespace.name\":\"shop\"}},"
        + "{\"id\":\"" + B + "\",\"type\":\"k8s.pod\",\"events\":1,\"attributes\":{}}],"
        + "\"edges\":[],\"totals\":{\"nodes\":2,\"edges\":0}}");
    Files.write(dir.resolve("bindings-00000-of-00001.jsonl"), List.of(
        binding("a1", "2024-05-01T10:00:00Z", A, "checkout-a"),
        binding("a2", "2024-05-01T10:05:00Z", A, "checkout-a"),
        binding("b1", "2024-05-01T10:06:00Z", B, "checkout-b")));
    Files.write(dir.resolve("events-00000-of-00001.jsonl"), List.of(
        podEvent("a1", "2024-05-01T10:00:00Z", "checkout-a", "10.0.3.7", "ADDED"),
        podEvent("a2", "2024-05-01T10:05:00Z", "checkout-a", "10.0.3.7",
            aDeleted ? "DELETED" : "MODIFIED"),
        podEvent("b1", "2024-05-01T10:06:00Z", "checkout-b", "10.0.3.7", "ADDED"),
        podEvent("other", "2024-05-01T10:06:00Z", "checkout-x", "10.0.9.9", "ADDED")));
    Files.write(dir.resolve("nodes-00000-of-00001.jsonl"), List.of(
        nodeRecord(A, "ON_TIME", 0, 1), nodeRecord(A, "LATE", 1, 2)));
    return dir;
  }

  private static JsonNode node(ObjectNode model, String id) {
    for (JsonNode n : model.path("nodes")) {
      if (n.path("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError(id + " missing");
  }

  @Test
  public void aDeletedPodsAliasEndsAtItsDeletionAndNamesTheNextOwner() throws Exception {
    ObjectNode model = GraphViewModel.read(output(true), IdentityPolicy.defaultPolicy());
    JsonNode a = node(model, A).path("aliases");
    assertThat(a.size(), is(1));
    assertThat(a.get(0).path("blockKey").asText(), is("10.0.3.7"));
    assertThat(a.get(0).path("from").asText(), is("2024-05-01T10:00:00Z"));
    assertThat(a.get(0).path("until").asText(), is("2024-05-01T10:05:00Z"));
    assertThat(a.get(0).path("validTo").asText(), is("2024-05-01T10:05:00Z"));
    assertThat(a.get(0).path("nextOwner").asText(), is(B));
    assertThat(a.get(0).path("rules").get(0).asText(), is("pod-ip (weight 0.9)"));
    JsonNode b = node(model, B).path("aliases");
    assertThat(b.get(0).has("validTo"), is(false));
  }

  @Test
  public void anExclusiveKeyPassesToTheNextOwnerAtItsFirstSighting() throws Exception {
    ObjectNode model = GraphViewModel.read(output(false), IdentityPolicy.defaultPolicy());
    JsonNode a = node(model, A).path("aliases").get(0);
    assertThat(a.has("until"), is(false));
    assertThat(a.path("last").asText(), is("2024-05-01T10:05:00Z"));
    assertThat(a.path("validTo").asText(), is("2024-05-01T10:06:00Z"));
  }

  private static String serviceBinding(String event, String entity, String rule) {
    return "{\"eventId\":\"" + event + "\",\"eventTime\":\"2024-05-01T10:00:00Z\","
        + "\"entityType\":\"service\",\"entityId\":\"" + entity + "\",\"decision\":\"BOUND\","
        + "\"rule\":\"" + rule + "\",\"signals\":{},\"confidence\":1.0,\"revision\":0}";
  }

  private static String serviceEvent(String event, String time, String... signals) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < signals.length; i += 2) {
      s.append(i == 0 ? "" : ",").append('"').append(signals[i]).append("\":\"")
          .append(signals[i + 1]).append('"');
    }
    return "{\"eventId\":\"" + event + "\",\"kind\":\"SPAN\",\"eventTime\":\"" + time
        + "\",\"signals\":{" + s + "}}";
  }

  /**
   * Claims are listed with the aliases: the bare service name a namespaced service's spans carry
   * (fallback rule service-name), valid for the whole run, with the other services that claimed
   * the same name; a record bound by the fallback's own key claims nothing.
   */
  @Test
  public void claimsOfFallbackRulesAreListedWithTheirOtherClaimants() throws Exception {
    Path dir = tmp.newFolder().toPath();
    Files.writeString(dir.resolve("graph.json"), "{\"nodes\":["
        + "{\"id\":\"service:shop/frontend\",\"type\":\"service\",\"events\":2},"
        + "{\"id\":\"service:billing/api\",\"type\":\"service\",\"events\":1},"
        + "{\"id\":\"service:shipping/api\",\"type\":\"service\",\"events\":1},"
        + "{\"id\":\"service:reports\",\"type\":\"service\",\"events\":1}],"
        + "\"edges\":[]}");
    Files.write(dir.resolve("bindings-00000-of-00001.jsonl"), List.of(
        serviceBinding("f1", "service:shop/frontend", "service-namespace-name"),
        serviceBinding("f2", "service:shop/frontend", "service-namespace-name"),
        serviceBinding("b1", "service:billing/api", "service-namespace-name"),
        serviceBinding("s1", "service:shipping/api", "service-namespace-name"),
        serviceBinding("r1", "service:reports", "service-name")));
    Files.write(dir.resolve("events-00000-of-00001.jsonl"), List.of(
        serviceEvent("f1", "2024-05-01T10:00:00Z", "service.namespace", "shop",
            "service.name", " frontend"),
        serviceEvent("f2", "2024-05-01T10:02:00Z", "service.namespace", "shop",
            "service.name", "frontend"),
        serviceEvent("b1", "2024-05-01T10:01:00Z", "service.namespace", "billing",
            "service.name", "api"),
        serviceEvent("s1", "2024-05-01T10:03:00Z", "service.namespace", "shipping",
            "service.name", "api"),
        serviceEvent("r1", "2024-05-01T10:04:00Z", "service.name", "reports")));
    ObjectNode model = GraphViewModel.read(dir, IdentityPolicy.defaultPolicy());
    JsonNode frontend = node(model, "service:shop/frontend").path("aliases");
    assertThat(frontend.toString(), frontend.size(), is(1));
    assertThat(frontend.get(0).path("claim").asBoolean(), is(true));
    assertThat(frontend.get(0).path("blockKey").asText(), is("frontend"));
    assertThat(frontend.get(0).path("rules").get(0).asText(), is("service-name (fallback)"));
    assertThat(frontend.get(0).path("last").asText(), is("2024-05-01T10:02:00Z"));
    assertThat(frontend.get(0).has("sharedWith"), is(false));
    assertThat(frontend.get(0).has("validTo"), is(false));
    JsonNode billing = node(model, "service:billing/api").path("aliases").get(0);
    assertThat(billing.path("sharedWith").toString(), is("[\"service:shipping/api\"]"));
    assertThat(node(model, "service:shipping/api").path("aliases").get(0).path("sharedWith")
        .toString(), is("[\"service:billing/api\"]"));
    assertThat(node(model, "service:reports").path("aliases").size(), is(0));
  }

  /** A container as its pod names it is drawn as a container, like a running one. */
  @Test
  public void namedAndRunningContainersAreOneFamily() {
    assertThat(NodeTypes.family("k8s.container"), is("container"));
    assertThat(NodeTypes.family("container"), is("container"));
  }

  @Test
  public void bindingsAreGroupedAndWindowsKeepTheLatestRevisionAndTheLatePane() throws Exception {
    ObjectNode model = GraphViewModel.read(output(true), IdentityPolicy.defaultPolicy());
    JsonNode groups = node(model, A).path("bindings");
    assertThat(groups.size(), is(1));
    assertThat(groups.get(0).path("events").asInt(), is(2));
    assertThat(groups.get(0).path("from").asText(), is("2024-05-01T10:00:00Z"));
    assertThat(groups.get(0).path("to").asText(), is("2024-05-01T10:05:00Z"));
    JsonNode windows = node(model, A).path("windows");
    assertThat(windows.size(), is(1));
    assertThat(windows.get(0).path("revision").asInt(), is(1));
    assertThat(windows.get(0).path("events").asInt(), is(2));
    assertThat(windows.get(0).path("panes").asInt(), is(2));
    assertThat(windows.get(0).path("late").asBoolean(), is(true));
    assertThat(node(model, A).path("namespace").asText(), is("shop"));
    assertThat(node(model, B).path("namespace").asText(), is("shop"));
  }

  @Test
  public void writesOneSelfContainedPageAndServesItOnLoopback() throws Exception {
    Path dir = output(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ViewCommand.run(new String[] {"view", "--output=" + dir},
        new PrintStream(out, true, "UTF-8"), System.err);
    assertThat(code, is(0));
    String html = Files.readString(dir.resolve("graph.html"));
    // Checked with contains: a failing containsString would print the whole 0.9 MB page.
    assertThat("inlines Cytoscape.js",
        html.contains("cytoscape " + ViewPage.webJarVersion("cytoscape")), is(true));
    assertThat("embeds the alias's next owner", html.contains("\"nextOwner\":\"" + B + "\""),
        is(true));
    // No external script or stylesheet: the page works offline.
    assertThat(html.contains("<script src="), is(false));
    assertThat(html.contains("<link "), is(false));

    HttpServer server = ViewCommand.startServer(dir.resolve("graph.html"), 0);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(r.statusCode(), is(200));
      assertThat(r.body(), is(html));
    } finally {
      server.stop(0);
    }
  }

  @Test
  public void anOutputWithoutGraphJsonOrAnUnknownArgumentIsRefused() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, "UTF-8");
    Path empty = tmp.newFolder().toPath();
    assertThat(ViewCommand.run(new String[] {"view", "--output=" + empty}, System.out, e), is(1));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("no graph.json in " + empty));
    assertThat(ViewCommand.run(new String[] {"view", "--serve=http"}, System.out, e), is(1));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("--serve=PORT takes a port"));
  }
}
