package dev.weft.graph;

import static dev.weft.graph.GraphFixtures.stamped;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.KubernetesAdapter;
import dev.weft.core.EventsToGraph;
import dev.weft.core.GraphParams;
import dev.weft.model.RawRecord;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.ResolveIdentity;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * Golden structural edges of hand-written Kubernetes objects, through the real adapter, the real
 * identity resolution (default policy) and the whole graph stage. Each expected edge is written
 * beside the field of the input that states it; they were derived by reading the input, not by
 * copying Weft's output.
 */
public class KubernetesStructureTest {
  private static final Map<String, String> CAPTURED = new ConcurrentHashMap<>();
  private static final GraphParams PARAMS = new GraphParams(Duration.standardMinutes(1),
      Duration.standardMinutes(5), Optional.empty(), Duration.standardMinutes(10),
      Duration.standardMinutes(1), 1000);

  static final String APP_ID = "4f1c0a9b7e2d4c6a8b0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e";
  static final String MIGRATE_ID =
      "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

  /** A pod with an init container, two app containers (one not started), an ephemeral one. */
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web-0
        namespace: shop
        uid: 1111-pod
        resourceVersion: "100"
        creationTimestamp: "2024-05-01T10:00:00Z"
      spec:
        nodeName: node-1                      # web-0 runs-on k8s.node:node-1
        serviceAccountName: web               # web-0 uses k8s.serviceaccount:shop/web
        imagePullSecrets:
        - name: regcred                       # web-0 uses k8s.secret:shop/regcred
        initContainers:
        - name: migrate                       # k8s.container:shop/web-0/migrate part-of web-0
          image: registry.local:5000/shop/migrate:2.1
        containers:
        - name: app                           # k8s.container:shop/web-0/app part-of web-0
          image: shop/web:1.4.2
          env:
          - name: DB_PASSWORD
            value: hunter2                    # never carried
          - name: API_KEY
            valueFrom:
              secretKeyRef: {name: api-keys, key: k}   # no edge (env is not read)
        - name: sidecar                       # k8s.container:shop/web-0/sidecar part-of web-0
          image: envoyproxy/envoy@sha256:0123abcd
        ephemeralContainers:
        - name: debugger                      # k8s.container:shop/web-0/debugger part-of web-0
          image: busybox
        volumes:
        - name: data
          persistentVolumeClaim:
            claimName: web-data               # web-0 mounts k8s.persistentvolumeclaim:shop/web-data
        - name: tls
          secret:
            secretName: web-tls               # web-0 mounts k8s.secret:shop/web-tls
        - name: config
          configMap:
            name: web-config                  # web-0 mounts k8s.configmap:shop/web-config
        - name: bundle
          projected:
            sources:
            - secret: {name: api-token}       # web-0 mounts k8s.secret:shop/api-token
            - configMap: {name: ca-bundle}    # web-0 mounts k8s.configmap:shop/ca-bundle
            - serviceAccountToken: {path: token}   # names no object
        - name: cache
          ephemeral:                          # web-0 mounts k8s.persistentvolumeclaim:shop/web-0-cache
            volumeClaimTemplate:
              spec: {accessModes: [ReadWriteOnce]}
        - name: scratch
          emptyDir: {}                        # names no object
      status:
        phase: Running
        initContainerStatuses:
        - name: migrate
          containerID: containerd://%s        # container:<id> instance-of .../migrate
          state: {terminated: {exitCode: 0}}
        containerStatuses:
        - name: app
          containerID: containerd://%s        # container:<id> instance-of .../app
          ready: true
          restartCount: 0
          state: {running: {startedAt: "2024-05-01T10:00:05Z"}}
        - name: sidecar                       # not started: no id, no instance
          ready: false
          state: {waiting: {reason: ContainerCreating}}
      """.formatted(MIGRATE_ID, APP_ID);

  static final String SERVICE_ACCOUNT = """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: web, namespace: shop, uid: 2222-sa, resourceVersion: "7",
                 creationTimestamp: "2024-05-01T09:00:00Z"}
      secrets:
      - name: web-token                       # sa web uses k8s.secret:shop/web-token
      imagePullSecrets:
      - name: regcred                         # sa web uses k8s.secret:shop/regcred
      """;

  static final String ENDPOINT_SLICE = """
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: web-x7k2p
        namespace: shop
        uid: 3333-eps
        resourceVersion: "55"
        creationTimestamp: "2024-05-01T10:00:10Z"
        labels: {kubernetes.io/service-name: web}
        ownerReferences:                      # slice part-of k8s.service:shop/web
        - {apiVersion: v1, kind: Service, name: web, uid: 4444-svc, controller: true}
      addressType: IPv4
      endpoints:
      - addresses: [10.0.0.5]
        conditions: {ready: true}
        targetRef: {kind: Pod, name: web-0, namespace: shop}   # slice routes-to web-0
      - addresses: [10.0.0.6]
        conditions: {ready: false}            # not ready: receives no traffic, no edge
        targetRef: {kind: Pod, name: web-1, namespace: shop}
      - addresses: [10.0.0.7]                 # no conditions: ready (the API's nil)
        targetRef: {kind: Pod, name: web-2, namespace: shop}   # slice routes-to web-2
      - addresses: [10.0.0.8]                 # no targetRef: names no object
      ports:
      - {name: http, port: 8080, protocol: TCP}
      """;

  static final String SECRET = """
      apiVersion: v1
      kind: Secret
      metadata: {name: web-tls, namespace: shop, uid: 5555-sec, resourceVersion: "9",
                 creationTimestamp: "2024-05-01T09:00:00Z"}
      type: kubernetes.io/tls
      data: {tls.key: c3VwZXJzZWNyZXQ=}       # never carried
      stringData: {password: hunter3}         # never carried
      """;

  /** Every structural edge the four objects state, as "from relation to". */
  static final List<String> EXPECTED = List.of(
      "k8s.pod:shop/web-0 runs-on k8s.node:node-1",
      "k8s.pod:shop/web-0 uses k8s.serviceaccount:shop/web",
      "k8s.pod:shop/web-0 uses k8s.secret:shop/regcred",
      "k8s.pod:shop/web-0 mounts k8s.persistentvolumeclaim:shop/web-data",
      "k8s.pod:shop/web-0 mounts k8s.secret:shop/web-tls",
      "k8s.pod:shop/web-0 mounts k8s.configmap:shop/web-config",
      "k8s.pod:shop/web-0 mounts k8s.secret:shop/api-token",
      "k8s.pod:shop/web-0 mounts k8s.configmap:shop/ca-bundle",
      "k8s.pod:shop/web-0 mounts k8s.persistentvolumeclaim:shop/web-0-cache",
      "k8s.container:shop/web-0/migrate part-of k8s.pod:shop/web-0",
      "k8s.container:shop/web-0/app part-of k8s.pod:shop/web-0",
      "k8s.container:shop/web-0/sidecar part-of k8s.pod:shop/web-0",
      "k8s.container:shop/web-0/debugger part-of k8s.pod:shop/web-0",
      "container:" + MIGRATE_ID + " instance-of k8s.container:shop/web-0/migrate",
      "container:" + APP_ID + " instance-of k8s.container:shop/web-0/app",
      "k8s.serviceaccount:shop/web uses k8s.secret:shop/web-token",
      "k8s.serviceaccount:shop/web uses k8s.secret:shop/regcred",
      "k8s.endpointslice:shop/web-x7k2p part-of k8s.service:shop/web",
      "k8s.endpointslice:shop/web-x7k2p routes-to k8s.pod:shop/web-0",
      "k8s.endpointslice:shop/web-x7k2p routes-to k8s.pod:shop/web-2");

  static List<Event> parse(String... yamls) {
    List<Event> events = new ArrayList<>();
    for (String yaml : yamls) {
      AdapterResult r = new KubernetesAdapter().parse(new RawRecord(
          yaml.getBytes(StandardCharsets.UTF_8), Origin.file("k8s", "test.yaml"),
          Instant.parse("2024-05-01T12:00:00Z")));
      assertThat(r.failures().toString(), r.failures().isEmpty(), equalTo(true));
      events.addAll(r.events());
    }
    return events;
  }

  static JsonNode graph(List<Event> events, String name) throws Exception {
    TestStream.Builder<Event> s = TestStream.create(EventCoder.of());
    for (Event e : events) {
      s = s.addElements(stamped(e));
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    EventsToGraph.Result g = p.apply(s.advanceWatermarkToInfinity()).apply(new EventsToGraph(PARAMS,
        new ResolveIdentity(IdentityPolicy.defaultPolicy(), java.time.Duration.ofMinutes(5), 2)));
    PCollection<String> json = FinalGraph.assemble(g.nodes(), g.edges());
    PAssert.thatSingleton(json).satisfies(j -> {
      CAPTURED.put(name, j);
      return null;
    });
    p.run().waitUntilFinish();
    return new ObjectMapper().readTree(CAPTURED.get(name));
  }

  static List<String> structuralEdges(JsonNode graph) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : graph.get("edges")) {
      if (e.get("kind").asText().equals("STRUCTURAL")) {
        out.add(e.get("from").asText() + " " + e.get("relation").asText() + " "
            + e.get("to").asText());
      }
    }
    return out;
  }

  static Map<String, String> attributes(JsonNode graph, String id) {
    for (JsonNode n : graph.get("nodes")) {
      if (n.get("id").asText().equals(id)) {
        Map<String, String> a = new TreeMap<>();
        n.get("attributes").fields().forEachRemaining(f -> a.put(f.getKey(), f.getValue().asText()));
        return a;
      }
    }
    throw new AssertionError("no node " + id);
  }

  /**
   * Two states of one Service, as popeye's test data has (svc1, in two files); the later one
   * (version 2) no longer selects p1. A relation dropped by a later write is not ended (see
   * StructuralEdges), so the edge stands, from the first state, in every arrival order.
   */
  static final String SVC_SELECTS_APP = """
      apiVersion: v1
      kind: Service
      metadata: {name: svc1, namespace: default, resourceVersion: "1"}
      spec:
        selector: {app: p1}                   # selects p1 (labels app: p1)
      """;
  static final String SVC_SELECTS_APP_AND_INSTANCE = """
      apiVersion: v1
      kind: Service
      metadata: {name: svc1, namespace: default, resourceVersion: "2"}
      spec:
        selector: {app: p1, instance: bbb}    # selects nothing: p1 has no instance label
      """;
  static final String POD_P1 = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: p1
        namespace: default
        labels: {app: p1}
      """;

  /**
   * Snapshots without a version or time of their own cannot be ordered: whichever file arrives
   * last must not decide the edge. Found on the real popeye samples (74 or 76 edges by run).
   */
  @Test
  public void aSelectorMatchDoesNotDependOnWhichSnapshotArrivesLast() throws Exception {
    List<String> expected = List.of("k8s.service:default/svc1 selects k8s.pod:default/p1");
    List<List<Event>> orders = List.of(
        parse(SVC_SELECTS_APP, POD_P1, SVC_SELECTS_APP_AND_INSTANCE),
        parse(SVC_SELECTS_APP_AND_INSTANCE, POD_P1, SVC_SELECTS_APP),
        parse(POD_P1, SVC_SELECTS_APP_AND_INSTANCE, SVC_SELECTS_APP),
        parse(POD_P1, SVC_SELECTS_APP, SVC_SELECTS_APP_AND_INSTANCE));
    for (int i = 0; i < orders.size(); i++) {
      JsonNode g = graph(orders.get(i), "snapshots-" + i);
      assertThat("order " + i, structuralEdges(g), equalTo(expected));
    }
  }

  static final String ROLE_BINDING = """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: read-pods, namespace: default}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
      subjects:
      - {kind: User, name: fred, apiGroup: rbac.authorization.k8s.io}   # cluster-wide identity
      - {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}   # cluster-wide identity
      - {kind: ServiceAccount, name: builder}                           # default/builder
      """;
  static final String CLUSTER_ROLE_BINDING = """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: view-all}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
      subjects:
      - {kind: User, name: fred, apiGroup: rbac.authorization.k8s.io}
      """;

  /** A User or Group named by a namespaced RoleBinding is the same node as cluster-wide. */
  @Test
  public void rbacUsersAndGroupsNeverTakeTheBindingsNamespace() throws Exception {
    JsonNode g = graph(parse(ROLE_BINDING, CLUSTER_ROLE_BINDING), "rbac");
    assertThat(structuralEdges(g), containsInAnyOrder(
        "k8s.rolebinding:default/read-pods grants k8s.role:default/pod-reader",
        "k8s.rolebinding:default/read-pods binds k8s.user:fred",
        "k8s.rolebinding:default/read-pods binds k8s.group:ops",
        "k8s.rolebinding:default/read-pods binds k8s.serviceaccount:default/builder",
        "k8s.clusterrolebinding:view-all grants k8s.clusterrole:view",
        "k8s.clusterrolebinding:view-all binds k8s.user:fred"));
  }

  static final String NODES = """
      apiVersion: v1
      kind: List
      items:
      - apiVersion: v1
        kind: Node
        metadata: {name: node-1, uid: n1, resourceVersion: "3",
                   creationTimestamp: "2024-05-01T09:00:00Z"}
        status:
          addresses:
          - {type: InternalIP, address: 192.168.10.1}
          - {type: Hostname, address: node-1}   # k8s.node:node-1 runs-on host:node-1
      - apiVersion: v1
        kind: Node
        metadata: {name: node-3, uid: n3, resourceVersion: "3",
                   creationTimestamp: "2024-05-01T09:00:00Z"}
        status:
          addresses:
          - {type: InternalIP, address: 192.168.10.3}   # no Hostname: the node names no host
      """;

  /** A syslog line's host, as the syslog adapter names it (HOSTNAME field as host.name). */
  static Event syslogHost(String host, String id) {
    return Event.builder().eventId(id, dev.weft.model.IdKind.SOURCE_ID)
        .origin(Origin.file("syslog", "nodes.syslog")).kind(dev.weft.model.EventKind.LOG)
        .eventTime(Instant.parse("2024-05-01T10:00:04Z"), dev.weft.model.TimeQuality.SOURCE)
        .observedTime(Instant.parse("2024-05-01T10:00:04Z")).signal("host.name", host).build();
  }

  /**
   * A machine's telemetry ({@code host:node-1}, syslog) and its Kubernetes Node meet through the
   * Node's own Hostname address, never through equal names: node-3 states no host name, so the
   * syslog host node-3 stays apart from it.
   */
  @Test
  public void aNodeRunsOnTheHostItsStatusNamesAndOnlyThat() throws Exception {
    List<Event> events = new ArrayList<>(parse(NODES));
    events.add(syslogHost("node-1", "sys-1"));
    events.add(syslogHost("node-3", "sys-3"));
    JsonNode g = graph(events, "nodes");
    assertThat(structuralEdges(g), containsInAnyOrder("k8s.node:node-1 runs-on host:node-1"));
    List<String> ids = new ArrayList<>();
    g.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
    assertThat(ids, org.hamcrest.Matchers.hasItems("host:node-1", "k8s.node:node-1",
        "host:node-3", "k8s.node:node-3"));
  }

  @Test
  public void podsServiceAccountsAndEndpointSlicesStateTheirStructure() throws Exception {
    JsonNode g = graph(parse(POD, SERVICE_ACCOUNT, ENDPOINT_SLICE, SECRET), "all");
    assertThat(structuralEdges(g), containsInAnyOrder(EXPECTED.toArray()));
  }

  @Test
  public void containerNodesSayWhatTheyRunAndWhere() throws Exception {
    JsonNode g = graph(parse(POD), "pod");
    // The running container, as spans and logs carrying OTel container.id name it.
    Map<String, String> running = attributes(g, "container:" + APP_ID);
    assertThat(running, hasEntry("k8s.container.name", "app"));
    assertThat(running, hasEntry("container.image.name", "shop/web"));
    assertThat(running, hasEntry("container.image.tags", "1.4.2"));
    assertThat(running, hasEntry("k8s.pod.name", "web-0"));
    assertThat(running, hasEntry("k8s.namespace.name", "shop"));

    // The named containers, from the spec, with or without a status.
    Map<String, String> migrate = attributes(g, "k8s.container:shop/web-0/migrate");
    assertThat(migrate, hasEntry("k8s.container.role", "init"));
    assertThat(migrate, hasEntry("container.image.name", "registry.local:5000/shop/migrate"));
    assertThat(migrate, hasEntry("container.image.tags", "2.1"));
    assertThat(migrate, hasEntry("container.id", MIGRATE_ID));
    assertThat(migrate, hasEntry("k8s.container.state", "terminated"));
    Map<String, String> sidecar = attributes(g, "k8s.container:shop/web-0/sidecar");
    assertThat(sidecar, hasEntry("k8s.container.role", "app"));
    assertThat(sidecar, hasEntry("container.image.name", "envoyproxy/envoy"));
    assertThat(sidecar, not(org.hamcrest.Matchers.hasKey("container.id")));
    assertThat(sidecar, hasEntry("k8s.container.state", "waiting"));
    assertThat(attributes(g, "k8s.container:shop/web-0/debugger"),
        hasEntry("k8s.container.role", "ephemeral"));
  }

  @Test
  public void secretDataAndEnvValuesAreNeverCarried() {
    List<Event> events = parse(POD, SECRET);
    for (Event e : events) {
      assertThat(e.toString(), not(containsString("hunter2")));
      assertThat(e.toString(), not(containsString("hunter3")));
      assertThat(e.toString(), not(containsString("c3VwZXJzZWNyZXQ=")));
    }
  }

  @Test
  public void deletingThePodEndsItsContainersAndTheirLinks() throws Exception {
    String deleted = "{\"type\":\"DELETED\",\"object\":" + new ObjectMapper().writeValueAsString(
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(POD
            .replace("resourceVersion: \"100\"", "resourceVersion: \"101\"\n  deletionTimestamp:"
                + " \"2024-05-01T11:00:00Z\""))) + "}";
    JsonNode g = graph(parse(POD, deleted), "deleted");
    int edges = 0;
    for (JsonNode e : g.get("edges")) {
      String from = e.get("from").asText();
      if (from.startsWith("k8s.container:") || from.startsWith("container:")) {
        assertThat(e.toString(), e.path("validTo").asText(), equalTo("2024-05-01T11:00:00Z"));
        edges++;
      }
    }
    int nodes = 0;
    for (JsonNode n : g.get("nodes")) {
      if (n.get("id").asText().startsWith("k8s.container:")) {
        assertThat(n.toString(), n.path("validTo").asText(), equalTo("2024-05-01T11:00:00Z"));
        nodes++;
      }
    }
    // Four containers part-of the pod, two of them with a running instance.
    assertThat(edges, equalTo(6));
    assertThat(nodes, equalTo(4));
  }
}
