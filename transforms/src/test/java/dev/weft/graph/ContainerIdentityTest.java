package dev.weft.graph;

import static dev.weft.graph.KubernetesStructureTest.APP_ID;
import static dev.weft.graph.KubernetesStructureTest.POD;
import static dev.weft.graph.KubernetesStructureTest.graph;
import static dev.weft.graph.KubernetesStructureTest.parse;
import static dev.weft.graph.KubernetesStructureTest.structuralEdges;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/**
 * Issue 10, container ↔ pod: telemetry names a container by its runtime id ({@code container.id})
 * or by pod and container name ({@code k8s.pod.name}, {@code k8s.container.name}, as the
 * collector's k8sattributes processor and the filelog receiver set them), and the Pod object
 * names both. Through the real adapter, the default policy and the whole graph stage, each record
 * lands on the node the Pod object makes for that container, and the Pod's own statements link
 * the running instance to the named container and that to the pod. Expected ids are written from
 * {@link KubernetesStructureTest#POD}'s spec and status, not copied from Weft's output.
 */
public class ContainerIdentityTest {

  /** A log line carrying the given identity signals, as {@code name, value, ...}. */
  static Event log(String id, String... signals) {
    Event.Builder b = Event.builder().eventId(id, IdKind.SOURCE_ID)
        .origin(Origin.file("json-logs", "app.ndjson")).kind(EventKind.LOG)
        .eventTime(Instant.parse("2024-05-01T10:00:30Z"), TimeQuality.SOURCE)
        .observedTime(Instant.parse("2024-05-01T10:00:30Z"));
    for (int i = 0; i < signals.length; i += 2) {
      b.signal(signals[i], signals[i + 1]);
    }
    return b.build();
  }

  /** The event count of every node, by id: a node's count is the events it is the subject of. */
  static Map<String, Long> events(JsonNode graph) {
    Map<String, Long> out = new TreeMap<>();
    graph.get("nodes").forEach(n -> out.put(n.get("id").asText(), n.path("events").asLong()));
    return out;
  }

  /**
   * A log line naming the container only by its runtime id, spelled as a runtime prints it
   * ({@code containerd://} scheme, upper case), is the running container the Pod's status names
   * ({@code containerd://<id>}): one node, which the Pod links to its named container and pod.
   */
  @Test
  public void runtimeIdAloneIsTheRunningContainerThePodStatusNames() throws Exception {
    List<Event> events = new ArrayList<>(parse(POD));
    events.add(log("by-id", "container.id", "containerd://" + APP_ID.toUpperCase(Locale.ROOT)));
    JsonNode g = graph(events, "container-by-id");
    Map<String, Long> counts = events(g);
    assertThat(counts.get("container:" + APP_ID), equalTo(1L));
    assertThat(counts.keySet().stream().filter(id -> id.startsWith("container")).count(),
        equalTo(2L)); // the app and the init container's running instances, nothing else
    assertThat(structuralEdges(g), hasItems(
        "container:" + APP_ID + " instance-of k8s.container:shop/web-0/app",
        "k8s.container:shop/web-0/app part-of k8s.pod:shop/web-0"));
  }

  /**
   * A log line naming the container by namespace, pod and container name, with no runtime id,
   * lands on the named container the Pod's spec makes ({@code k8s.container:shop/web-0/<name>});
   * two containers of one pod stay two (app, sidecar), and a container of the same name in
   * another pod is another container (web-1/app).
   */
  @Test
  public void podAndContainerNameIsTheNamedContainerOfThatPodOnly() throws Exception {
    List<Event> events = new ArrayList<>(parse(POD));
    events.add(log("app-by-name", "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "app"));
    events.add(log("sidecar-by-name-1", "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "sidecar"));
    events.add(log("sidecar-by-name-2", "k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "sidecar"));
    events.add(log("other-pod-app", "k8s.namespace.name", "shop", "k8s.pod.name", "web-1",
        "k8s.container.name", "app"));
    JsonNode g = graph(events, "container-by-name");
    Map<String, Long> counts = events(g);
    assertThat(counts.get("k8s.container:shop/web-0/app"), equalTo(1L));
    assertThat(counts.get("k8s.container:shop/web-0/sidecar"), equalTo(2L));
    assertThat(counts.get("k8s.container:shop/web-1/app"), equalTo(1L));
    // The lines are the containers', not the pod's (the pod object is its own one event).
    assertThat(counts.get("k8s.pod:shop/web-0"), equalTo(1L));
    assertThat(counts.get("container:" + APP_ID), equalTo(0L));
    assertThat(structuralEdges(g), hasItems(
        "container:" + APP_ID + " instance-of k8s.container:shop/web-0/app",
        "k8s.container:shop/web-0/app part-of k8s.pod:shop/web-0",
        "k8s.container:shop/web-0/sidecar part-of k8s.pod:shop/web-0"));
    // No Pod object states web-1's containers: the line names its container, nothing links it.
    assertThat(structuralEdges(g).toString(), not(org.hamcrest.Matchers.containsString(
        "k8s.container:shop/web-1/app part-of")));
  }

  /**
   * A record that carries both (OTel resource: container.id and k8s.* names) is about the running
   * container (its subject) and names the container it runs: both nodes are seen, the Pod's
   * statement links them.
   */
  @Test
  public void idAndNamesTogetherNameBothTheRunningAndTheNamedContainer() throws Exception {
    List<Event> events = new ArrayList<>(parse(POD));
    events.add(log("both", "container.id", APP_ID, "k8s.namespace.name", "shop",
        "k8s.pod.name", "web-0", "k8s.container.name", "app"));
    JsonNode g = graph(events, "container-both");
    Map<String, Long> counts = events(g);
    assertThat(counts.get("container:" + APP_ID), equalTo(1L));
    JsonNode named = node(g, "k8s.container:shop/web-0/app");
    assertThat(named.path("lastSeen").asText(), equalTo("2024-05-01T10:00:30Z"));
  }

  /** An OTLP/JSON logs request with one record under a resource of the given attributes. */
  static Event otlpLog(String... resource) {
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < resource.length; i += 2) {
      attrs.append(i == 0 ? "" : ",").append("{\"key\":\"").append(resource[i])
          .append("\",\"value\":{\"stringValue\":\"").append(resource[i + 1]).append("\"}}");
    }
    String request = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[" + attrs + "]},"
        + "\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1714557630000000000\","
        + "\"severityText\":\"INFO\",\"body\":{\"stringValue\":\"GET /cart 200\"}}]}]}]}";
    dev.weft.adapters.AdapterResult r = new dev.weft.adapters.OtlpLogsAdapter().parse(
        new dev.weft.model.RawRecord(request.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            Origin.file("otlp-logs", "logs.json"), Instant.parse("2024-05-01T12:00:00Z")));
    assertThat(r.failures().toString(), r.failures().isEmpty(), equalTo(true));
    return r.events().get(0);
  }

  /**
   * The same through the OTLP logs adapter: resource attributes as the collector's k8sattributes
   * processor sets them (no container.id) land on the named container, the runtime's
   * {@code container.name} naming nothing by itself.
   */
  @Test
  public void otlpResourceWithPodAndContainerNameIsTheNamedContainer() throws Exception {
    List<Event> events = new ArrayList<>(parse(POD));
    events.add(otlpLog("k8s.namespace.name", "shop", "k8s.pod.name", "web-0",
        "k8s.container.name", "sidecar", "container.name", "k8s_sidecar_web-0_shop_1111-pod_0"));
    JsonNode g = graph(events, "container-otlp");
    assertThat(events(g).get("k8s.container:shop/web-0/sidecar"), equalTo(1L));
    assertThat(events(g).get("k8s.pod:shop/web-0"), equalTo(1L));
  }

  static JsonNode node(JsonNode graph, String id) {
    for (JsonNode n : graph.get("nodes")) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no node " + id);
  }
}
