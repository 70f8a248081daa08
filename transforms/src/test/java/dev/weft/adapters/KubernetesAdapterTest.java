package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;
import org.yaml.snakeyaml.Yaml;

public class KubernetesAdapterTest {
  private static final Instant OBSERVED = Instant.parse("2025-01-01T00:00:00Z");
  private static final KubernetesAdapter ADAPTER = new KubernetesAdapter();

  private static AdapterResult parse(byte[] bytes) {
    return ADAPTER.parse(new RawRecord(bytes, Origin.file("k8s", "test"), OBSERVED));
  }

  private static AdapterResult parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static AdapterResult popeye(String relative) {
    return parse(RealData.bytes("kubernetes/popeye/" + relative));
  }

  private static Event named(AdapterResult r, String kind, String name) {
    return r.events().stream()
        .filter(e -> e.config().get().objectKind().equals(kind)
            && e.config().get().name().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  /**
   * Objects in a file, counted with SnakeYAML directly rather than through the adapter; {@code
   * [0]} counts Kubernetes objects, {@code [1]} documents that are not Kubernetes objects (no kind).
   */
  @SuppressWarnings("unchecked")
  private static int[] countObjects(Path file) throws IOException {
    int n = 0;
    int notKubernetes = 0;
    for (Object doc : new Yaml().loadAll(Files.readString(file))) {
      if (!(doc instanceof Map)) {
        continue;
      }
      Map<String, Object> m = (Map<String, Object>) doc;
      if (!m.containsKey("kind")) {
        notKubernetes++;
        continue;
      }
      Object items = m.get("items");
      if (String.valueOf(m.get("kind")).endsWith("List")) {
        n += items == null ? 0 : ((List<Object>) items).size();
      } else {
        n++;
      }
    }
    return new int[] {n, notKubernetes};
  }

  @Test
  public void everyPopeyeFileParsesWithoutFailures() throws IOException {
    Path root = RealData.path("kubernetes/popeye");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    assertThat(files.size(), greaterThan(40));
    int total = 0;
    int notKubernetes = 0;
    for (Path f : files) {
      AdapterResult r = parse(Files.readAllBytes(f));
      int[] expected = countObjects(f);
      // popeye's own config file (config/1.yaml, "popeye: excludes: ...") is not a Kubernetes
      // object: it must be one MISSING_FIELD failure, not an event and not silence.
      assertThat(f + ": " + r.failures().stream().map(ParseFailure::reason).toList(),
          r.failures().size(), equalTo(expected[1]));
      r.failures().forEach(x -> assertThat(x.kind(), is(FailureKind.MISSING_FIELD)));
      notKubernetes += expected[1];
      assertThat(f.toString(), r.events().size(), equalTo(expected[0]));
      for (Event e : r.events()) {
        assertThat(e.kind(), is(EventKind.CONFIG));
        assertThat(e.config().get().operation(), is(ConfigOperation.SNAPSHOT));
        assertThat(e.signals(), hasKey("k8s." + e.config().get().objectKind()
            .toLowerCase(java.util.Locale.ROOT) + ".name"));
      }
      total += r.events().size();
    }
    assertThat(total, equalTo(138));
    assertThat(notKubernetes, equalTo(1));
  }

  @Test
  public void podReferencesOwnerNodeAndServiceAccount() {
    AdapterResult r = popeye("core/pod/2.yaml");
    Event p1 = named(r, "Pod", "p1");
    ConfigPart c = p1.config().get();
    assertThat(c.namespace(), equalTo(Optional.of("default")));
    assertThat(c.labels(), hasEntry("app", "p1"));
    assertThat(c.references(), hasItem(new Reference("part-of", "ReplicaSet", "rs1",
        Optional.of("default"), Optional.empty())));
    assertThat(c.references(), hasItem(new Reference("uses", "ServiceAccount", "sa1",
        Optional.of("default"), Optional.empty())));
    assertThat(p1.signals(), hasEntry("k8s.pod.name", "p1"));
    assertThat(p1.signals(), hasEntry("k8s.namespace.name", "default"));
    assertThat(p1.signals(), hasEntry("k8s.replicaset.name", "rs1"));
    assertThat(p1.attributes(), hasEntry("k8s.pod.phase", "Running"));

    Event p3 = named(r, "Pod", "p3");
    assertThat(p3.config().get().references(), hasItem(new Reference("part-of", "DaemonSet",
        "rs3", Optional.of("default"), Optional.empty())));
    assertThat(p3.signals(), hasEntry("k8s.daemonset.name", "rs3"));
    assertThat(p3.attributes(), hasEntry("k8s.container.c1.image", "dorker.io/blee:1.0.1"));
    assertThat(p3.attributes(), hasEntry("k8s.condition.Ready", "False"));

    // p4: a non-controller Job owner is a reference but not a signal; two containers with ids
    // are ambiguous for container.id, each id is kept as an attribute.
    Event p4 = named(r, "Pod", "p4");
    assertThat(p4.config().get().references(), hasItem(new Reference("part-of", "Job", "j4",
        Optional.of("default"), Optional.empty())));
    assertThat(p4.signals(), not(hasKey("k8s.job.name")));
    assertThat(p4.signals(), not(hasKey("container.id")));
    assertThat(p4.attributes(), hasEntry("k8s.container.c2.id", "c2"));
    assertThat(p4.attributes(), hasEntry("k8s.container.c1.restart_count", "1000"));
    assertThat(p4.attributes(), hasEntry("k8s.init_container.ic1.image", "zorg"));

    // No time anywhere in popeye's pods: observedTime, flagged.
    assertThat(p1.timeQuality(), is(TimeQuality.FALLBACK));
    assertThat(p1.eventTime(), equalTo(OBSERVED));
    assertThat(p1.idKind(), is(IdKind.CONTENT_HASH));
  }

  @Test
  public void popeyeVolumesAndServiceAccountSecretsAreReferences() {
    // core/pod/1.yaml p1: volumes pvc1 (persistentVolumeClaim), cm3 (configMap), sec1 (secret),
    // projected sec2 and cm2; env valueFrom names cm1 and sec1 but env is not read.
    Event p1 = named(popeye("core/pod/1.yaml"), "Pod", "p1");
    Optional<String> ns = Optional.of("default");
    assertThat(p1.config().get().references(), equalTo(List.of(
        new Reference("uses", "ServiceAccount", "default", ns, Optional.empty()),
        new Reference("mounts", "PersistentVolumeClaim", "pvc1", ns, Optional.empty()),
        new Reference("mounts", "ConfigMap", "cm3", ns, Optional.empty()),
        new Reference("mounts", "Secret", "sec1", ns, Optional.empty()),
        new Reference("mounts", "Secret", "sec2", ns, Optional.empty()),
        new Reference("mounts", "ConfigMap", "cm2", ns, Optional.empty()))));

    // core/sa/1.yaml: sa4 secrets [bozo], imagePullSecrets [s1]; sa5 the other way round.
    AdapterResult sa = popeye("core/sa/1.yaml");
    assertThat(named(sa, "ServiceAccount", "sa4").config().get().references(), equalTo(List.of(
        new Reference("uses", "Secret", "bozo", ns, Optional.empty()),
        new Reference("uses", "Secret", "s1", ns, Optional.empty()))));
    assertThat(named(sa, "ServiceAccount", "sa5").config().get().references(), equalTo(List.of(
        new Reference("uses", "Secret", "s1", ns, Optional.empty()),
        new Reference("uses", "Secret", "bozo", ns, Optional.empty()))));
    assertThat(named(sa, "ServiceAccount", "sa1").config().get().references(), empty());
  }

  @Test
  public void wrongShapedVolumesFailThePodWithTheirPointer() {
    AdapterResult r = parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":"
        + "\"p\"},\"spec\":{\"volumes\":[{\"name\":\"v\",\"secret\":\"s\"}]}}");
    assertThat(r.events(), empty());
    assertThat(r.failures().get(0).reason(), containsString("/spec/volumes/0/secret"));
  }

  @Test
  public void podPodIpFromPodIps() {
    Event p1 = named(popeye("core/pod/1.yaml"), "Pod", "p1");
    assertThat(p1.signals(), hasEntry("k8s.pod.ip", "172.1.0.3"));
  }

  @Test
  public void selectorsOfServicesWorkloadsAndPolicies() {
    Event svc1 = named(popeye("core/svc/1.yaml"), "Service", "svc1");
    assertThat(svc1.config().get().selector(), equalTo(new java.util.TreeMap<>(
        Map.of("app", "p1"))));
    assertThat(svc1.attributes(), hasEntry("k8s.service.type", "NodePort"));
    assertThat(svc1.attributes(), hasEntry("k8s.service.ports", "http:9090->9090/TCP"));
    assertThat(svc1.signals(), hasEntry("k8s.service.name", "svc1"));

    Event rs1 = named(popeye("apps/rs/1.yaml"), "ReplicaSet", "rs1");
    assertThat(rs1.config().get().selector(), hasEntry("app", "p1"));
    assertThat(rs1.signals(), hasEntry("k8s.deployment.name", "dp1"));
    assertThat(rs1.attributes(), hasEntry("k8s.template.container.c1.image", "fred"));

    Event np1 = named(popeye("net/np/1.yaml"), "NetworkPolicy", "np1");
    assertThat(np1.config().get().selector(), hasEntry("app", "p1"));
  }

  @Test
  public void endpointsBindingsAndAutoscalers() {
    Event ep = named(popeye("core/ep/1.yaml"), "Endpoints", "svc-none");
    assertThat(ep.config().get().references(), equalTo(List.of(
        new Reference("routes-to", "Pod", "p5", Optional.of("default"), Optional.empty()),
        new Reference("routes-to", "Pod", "p4", Optional.of("default"), Optional.empty()))));

    Event rb3 = named(popeye("auth/rob/1.yaml"), "RoleBinding", "rb3");
    assertThat(rb3.config().get().references(), equalTo(List.of(
        new Reference("grants", "ClusterRole", "cr-bozo", Optional.empty(), Optional.empty()),
        new Reference("binds", "ServiceAccount", "sa-bozo", Optional.of("default"),
            Optional.empty()))));
    Event crb1 = named(popeye("auth/crb/2.yaml"), "ClusterRoleBinding", "crb1");
    assertThat(crb1.config().get().namespace(), equalTo(Optional.empty()));
    assertThat(crb1.config().get().references(), hasItem(new Reference("binds",
        "ServiceAccount", "default", Optional.of("default"), Optional.empty())));

    Event hpa1 = named(popeye("autoscaling/hpa/1.yaml"), "HorizontalPodAutoscaler", "hpa1");
    assertThat(hpa1.config().get().references(), hasItem(new Reference("scales", "Deployment",
        "dp1", Optional.of("default"), Optional.empty())));
  }

  @Test
  public void eventTimeComesFromTheObject() {
    // Node n1: no creationTimestamp; the latest condition transition is 2024-01-03T20:35:38Z.
    Event n1 = named(popeye("core/node/1.yaml"), "Node", "n1");
    assertThat(n1.eventTime(), equalTo(Instant.parse("2024-01-03T20:35:38Z")));
    assertThat(n1.timeQuality(), is(TimeQuality.DERIVED));
    assertThat(n1.attributes(), hasEntry("weft.time.field",
        "status.conditions[3].lastTransitionTime"));
    assertThat(n1.signals(), hasEntry("host.name", "dashb-control-plane"));
    assertThat(n1.signals(), hasEntry("host.ip", "192.168.228.3"));

    // Jobs: startTime (2023-02-05T23:21:00Z) is earlier than the condition (23:21:13Z).
    AdapterResult jobs = popeye("batch/job/1.yaml");
    Event first = jobs.events().get(0);
    assertThat(first.eventTime(), equalTo(Instant.parse("2023-02-05T23:21:13Z")));
    assertThat(first.timeQuality(), is(TimeQuality.DERIVED));
  }

  private static final String POD_JSON = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
      + "\"metadata\":{\"name\":\"web-7d4b9\",\"namespace\":\"shop\",\"uid\":\"u-1\","
      + "\"resourceVersion\":\"%s\",\"creationTimestamp\":\"2024-05-01T10:00:00Z\"%s,"
      + "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
      + "\"name\":\"web-7d\",\"uid\":\"rs-u\",\"controller\":true}]},"
      + "\"spec\":{\"nodeName\":\"node-a\",\"serviceAccount\":\"web-sa\","
      + "\"containers\":[{\"name\":\"app\",\"image\":\"shop/web:1.2\"}]},"
      + "\"status\":{\"phase\":\"%s\",\"hostIP\":\"10.0.0.5\",\"podIP\":\"10.1.2.3\","
      + "\"startTime\":\"2024-05-01T10:00:02Z\",\"conditions\":[{\"type\":\"Ready\","
      + "\"status\":\"True\",\"lastTransitionTime\":\"%s\"}],"
      + "\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"restartCount\":0,"
      + "\"containerID\":\"containerd://abc123\",\"state\":{\"running\":"
      + "{\"startedAt\":\"2024-05-01T10:00:05Z\"}}}]}}";

  private static String pod(String rv, String extraMeta, String phase, String ready) {
    return String.format(POD_JSON, rv, extraMeta, phase, ready);
  }

  private static final String WATCH = String.join("\n",
      "{\"type\":\"ADDED\",\"object\":" + pod("100", "", "Pending", "2024-05-01T10:00:01Z") + "}",
      "{\"type\":\"MODIFIED\",\"object\":" + pod("105", "", "Running", "2024-05-01T10:00:09Z")
          + "}",
      "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
          + "\"metadata\":{\"resourceVersion\":\"110\"}}}",
      "{\"type\":\"DELETED\",\"object\":" + pod("120",
          ",\"deletionTimestamp\":\"2024-05-02T08:00:00Z\"", "Running", "2024-05-01T10:00:09Z")
          + "}",
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"message\":\"too old resource version: 1 (120)\","
          + "\"reason\":\"Expired\",\"code\":410}}",
      "{\"type\":\"SYNCED\",\"object\":" + pod("121", "", "Running", "2024-05-01T10:00:09Z")
          + "}",
      "");

  @Test
  public void watchStreamAsJsonLines() {
    AdapterResult r = parse(WATCH);
    assertThat(r.events(), hasSize(4));
    assertThat(r.failures(), hasSize(2));

    Event added = r.events().get(0);
    ConfigPart c = added.config().get();
    assertThat(c.operation(), is(ConfigOperation.ADDED));
    assertThat(c.version(), equalTo(Optional.of("100")));
    assertThat(added.eventId(), equalTo("k8s:u-1:100:ADDED"));
    assertThat(added.idKind(), is(IdKind.SOURCE_ID));
    assertThat(added.origin().line(), equalTo(Optional.of(1L)));
    assertThat(added.origin().pointer(), equalTo(Optional.of("/object")));
    // startedAt 10:00:05 is the latest time in the object; it is derived, not the change time.
    assertThat(added.eventTime(), equalTo(Instant.parse("2024-05-01T10:00:05Z")));
    assertThat(added.timeQuality(), is(TimeQuality.DERIVED));
    assertThat(added.signals(), hasEntry("k8s.pod.uid", "u-1"));
    assertThat(added.signals(), hasEntry("k8s.node.name", "node-a"));
    assertThat(added.signals(), hasEntry("host.ip", "10.0.0.5"));
    assertThat(added.signals(), hasEntry("k8s.pod.ip", "10.1.2.3"));
    assertThat(added.signals(), hasEntry("container.id", "abc123"));
    assertThat(added.signals(), hasEntry("k8s.replicaset.uid", "rs-u"));
    assertThat(added.attributes(), hasEntry("k8s.container.app.runtime", "containerd"));
    assertThat(c.references(), hasItem(new Reference("runs-on", "Node", "node-a",
        Optional.empty(), Optional.empty())));
    assertThat(c.references(), hasItem(new Reference("uses", "ServiceAccount", "web-sa",
        Optional.of("shop"), Optional.empty())));
    assertThat(c.references(), hasItem(new Reference("part-of", "ReplicaSet", "web-7d",
        Optional.of("shop"), Optional.of("rs-u"))));

    Event modified = r.events().get(1);
    assertThat(modified.config().get().operation(), is(ConfigOperation.MODIFIED));
    assertThat(modified.eventTime(), equalTo(Instant.parse("2024-05-01T10:00:09Z")));
    assertThat(modified.attributes(), hasEntry("weft.time.field",
        "status.conditions[0].lastTransitionTime"));

    ParseFailure bookmark = r.failures().get(0);
    assertThat(bookmark.kind(), is(FailureKind.UNSUPPORTED));
    assertThat(bookmark.reason(), startsWith(KubernetesAdapter.BOOKMARK_REASON));
    assertThat(bookmark.reason(), containsString("110"));
    assertThat(bookmark.origin().line(), equalTo(Optional.of(3L)));

    Event deleted = r.events().get(2);
    assertThat(deleted.config().get().operation(), is(ConfigOperation.DELETED));
    assertThat(deleted.eventTime(), equalTo(Instant.parse("2024-05-02T08:00:00Z")));
    assertThat(deleted.timeQuality(), is(TimeQuality.SOURCE));

    ParseFailure error = r.failures().get(1);
    assertThat(error.reason(), containsString("410 Expired: too old resource version"));
    assertThat(error.origin().line(), equalTo(Optional.of(5L)));

    Event unknown = r.events().get(3);
    assertThat(unknown.config().get().operation(), is(ConfigOperation.UNKNOWN));
    assertThat(unknown.config().get().rawOperation(), equalTo(Optional.of("SYNCED")));
    assertThat(unknown.eventId(), equalTo("k8s:u-1:121:SYNCED"));
  }

  @Test
  public void sameObjectInYamlGivesTheSameEvent() throws Exception {
    String json = "{\"type\":\"ADDED\",\"object\":" + pod("100", "", "Pending",
        "2024-05-01T10:00:01Z") + "}";
    Object tree = JsonInput.JSON.readTree(json);
    String yaml = JsonInput.YAML.writeValueAsString(tree);
    Event fromJson = parse(json).events().get(0);
    AdapterResult fromYamlResult = parse(yaml);
    assertThat(fromYamlResult.failures(), is(empty()));
    Event fromYaml = fromYamlResult.events().get(0);
    assertThat(fromYaml.eventId(), equalTo(fromJson.eventId()));
    assertThat(fromYaml.config(), equalTo(fromJson.config()));
    assertThat(fromYaml.signals(), equalTo(fromJson.signals()));
    assertThat(fromYaml.attributes(), equalTo(fromJson.attributes()));
    assertThat(fromYaml.eventTime(), equalTo(fromJson.eventTime()));
  }

  @Test
  public void contentHashIsIndependentOfKeyOrderAndFormat() {
    Event a = parse("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\"n\"},"
        + "\"data\":{\"x\":\"1\",\"y\":\"2\"}}").events().get(0);
    Event b = parse("metadata: {namespace: n, name: c}\ndata: {y: '2', x: '1'}\nkind: ConfigMap\n")
        .events().get(0);
    assertThat(a.idKind(), is(IdKind.CONTENT_HASH));
    assertThat(a.eventId(), equalTo(b.eventId()));
  }

  @Test
  public void multiDocumentYamlAndConcatenatedJson() {
    AdapterResult yaml = parse("---\nkind: Namespace\nmetadata: {name: a}\n---\n---\n"
        + "kind: List\nitems:\n- {kind: Namespace, metadata: {name: b}}\n");
    assertThat(yaml.failures(), is(empty()));
    assertThat(yaml.events(), hasSize(2));
    assertThat(yaml.events().get(1).origin().line(), equalTo(Optional.of(6L)));
    assertThat(yaml.events().get(1).origin().pointer(), equalTo(Optional.of("/items/0")));

    AdapterResult json = parse("{\n \"type\": \"ADDED\",\n \"object\": {\"kind\": \"Node\","
        + " \"metadata\": {\"name\": \"n1\"}}\n}\n{\n \"type\": \"DELETED\",\n \"object\":"
        + " {\"kind\": \"Node\", \"metadata\": {\"name\": \"n1\"}}\n}\n");
    assertThat(json.failures(), is(empty()));
    assertThat(json.events(), hasSize(2));
    assertThat(json.events().get(1).origin().line(), equalTo(Optional.of(5L)));
  }

  @Test
  public void objectsLackingKindOrNameFailAloneWithTheirPointer() {
    AdapterResult r = parse("kind: List\nitems:\n- {kind: Pod, metadata: {name: a}}\n"
        + "- {metadata: {name: b}}\n- {kind: Pod, metadata: {namespace: x}}\n- {kind: Pod}\n"
        + "- {kind: Pod, metadata: {name: e}}\n");
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(3));
    assertThat(r.failures().get(0).kind(), is(FailureKind.MISSING_FIELD));
    assertThat(r.failures().get(0).origin().pointer(), equalTo(Optional.of("/items/1")));
    assertThat(r.failures().get(0).reason(), containsString("/items/1/kind"));
    assertThat(r.failures().get(1).reason(), containsString("/items/2/metadata/name"));
    assertThat(r.failures().get(2).origin().pointer(), equalTo(Optional.of("/items/3")));
    assertThat(new String(r.failures().get(0).fragment(), StandardCharsets.UTF_8),
        equalTo("{\"metadata\":{\"name\":\"b\"}}"));
  }

  @Test
  public void wrongTypesAreSpecificFailures() {
    ParseFailure items = parse("kind: List\nitems: 5\n").failures().get(0);
    assertThat(items.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(items.reason(), containsString("number '5'"));
    assertThat(items.origin().pointer(), equalTo(Optional.of("/items")));

    ParseFailure meta = parse("kind: Pod\nmetadata: x\n").failures().get(0);
    assertThat(meta.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(meta.reason(), containsString("/metadata"));
    assertThat(meta.reason(), containsString("text 'x'"));

    AdapterResult labels = parse("kind: List\nitems:\n- {kind: Pod, metadata: {name: a,"
        + " labels: [x]}}\n- {kind: Pod, metadata: {name: b}, spec: {containers: 3}}\n"
        + "- {kind: Pod, metadata: {name: c, creationTimestamp: yesterday}}\n- 7\n");
    assertThat(labels.events(), is(empty()));
    assertThat(labels.failures().get(0).reason(), containsString("/items/0/metadata/labels"));
    assertThat(labels.failures().get(1).reason(), containsString("/items/1/spec/containers"));
    assertThat(labels.failures().get(2).kind(), is(FailureKind.INVALID_VALUE));
    assertThat(labels.failures().get(2).reason(), containsString("'yesterday'"));
    assertThat(labels.failures().get(3).kind(), is(FailureKind.WRONG_TYPE));

    ParseFailure watchObject = parse("{\"type\":\"ADDED\",\"object\":\"pod\"}\n")
        .failures().get(0);
    assertThat(watchObject.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(watchObject.origin().pointer(), equalTo(Optional.of("/object")));

    ParseFailure scalar = parse("just some text\n").failures().get(0);
    assertThat(scalar.kind(), is(FailureKind.WRONG_TYPE));
  }

  @Test
  public void truncatedInputsKeepWhatWasComplete() {
    // Cut inside a quoted scalar: not well-formed.
    AdapterResult quoted = parse("kind: List\nitems:\n- kind: Pod\n  metadata:\n    name: \"p1");
    assertThat(quoted.failures().get(0).kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(quoted.failures().get(0).reason(), containsString("YAML"));
    // Cut between documents: the first document's objects survive.
    AdapterResult docs = parse("kind: Namespace\nmetadata: {name: a}\n---\nkind: List\nitems:\n"
        + "- {kind: Pod, metadata: {name: b}\n");
    assertThat(docs.events(), hasSize(1));
    assertThat(docs.failures().get(0).kind(), is(FailureKind.MALFORMED_SYNTAX));
    // Cut mid-object in YAML block style: well-formed, but the object lacks its name...
    AdapterResult block = parse("kind: List\nitems:\n- kind: Pod\n  metadata:\n"
        + "    namespace: default\n");
    assertThat(block.failures().get(0).kind(), is(FailureKind.MISSING_FIELD));
    // ... or, cut inside a key, metadata becomes the text "namesp".
    AdapterResult key = parse("kind: List\nitems:\n- kind: Pod\n  metadata:\n    namesp");
    assertThat(key.failures().get(0).kind(), is(FailureKind.WRONG_TYPE));
    // Truncated JSON line among good ones costs only that line.
    String[] lines = WATCH.split("\n");
    AdapterResult json = parse(lines[0] + "\n" + lines[1].substring(0, 120) + "\n" + lines[3]);
    assertThat(json.events(), hasSize(2));
    assertThat(json.failures(), hasSize(1));
    assertThat(json.failures().get(0).kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(json.failures().get(0).origin().line(), equalTo(Optional.of(2L)));
  }

  @Test
  public void invalidUtf8EmptyAndHugeInputs() {
    byte[] bad = "kind: Namespace\nmetadata: {name: a?}\n".getBytes(StandardCharsets.UTF_8);
    bad[34] = (byte) 0xfe;
    ParseFailure enc = parse(bad).failures().get(0);
    assertThat(enc.kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(enc.reason(), containsString("offset 34"));

    assertThat(parse("").failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(parse("\n \n").failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(parse("---\n").failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(parse("kind: List\nitems: []\n").records(), equalTo(0));

    String huge = "x".repeat(50 * 1024 * 1024);
    // YAML: a 50 MB scalar is refused before SnakeYAML sees it (it would scan it for minutes).
    AdapterResult yaml = parse("kind: List\nitems:\n- kind: ConfigMap\n  metadata: {name: big}\n"
        + "  data: {blob: " + huge + "}\n- kind: ConfigMap\n  metadata: {name: small}\n");
    assertThat(yaml.failures(), hasSize(1));
    assertThat(yaml.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
    assertThat(yaml.failures().get(0).origin().line(), equalTo(Optional.of(5L)));
    // YAML with many blanks: 50 MB of words parses; the object holding them is too large.
    String words = "ab ".repeat(17 * 1024 * 1024);
    AdapterResult wordy = parse("kind: List\nitems:\n- kind: ConfigMap\n  metadata: {name: big}"
        + "\n  data: {blob: " + words + "}\n- kind: ConfigMap\n  metadata: {name: small}\n");
    assertThat(wordy.events(), hasSize(1));
    assertThat(wordy.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
    assertThat(wordy.failures().get(0).origin().pointer(), equalTo(Optional.of("/items/0")));
    // JSON: Jackson reads it quickly; the object is refused, its neighbours are not.
    AdapterResult json = parse("{\"kind\":\"List\",\"items\":[{\"kind\":\"ConfigMap\","
        + "\"metadata\":{\"name\":\"big\"},\"data\":{\"blob\":\"" + huge + "\"}},"
        + "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"small\"}}]}");
    assertThat(json.events(), hasSize(1));
    assertThat(json.failures().get(0).kind(), is(FailureKind.TOO_LARGE));

    RawRecord cut = new RawRecord(new byte[10], Origin.file("k8s", "x"), OBSERVED, 1L << 32);
    assertThat(ADAPTER.parse(cut).failures().get(0).kind(), is(FailureKind.TOO_LARGE));
  }

  @Test
  public void garbageNeverThrows() {
    List<String> inputs = List.of("{", "[", "]", "---\n---\n", "- 1\n- 2\n", "{\"type\":1,"
        + "\"object\":{}}", "kind: List\nitems: [1, null, {kind: 3}]\n", "&a [*a]",
        "{\"kind\":\"Pod\",\"metadata\":{\"name\":{}}}", "kind: Pod\nmetadata: {name: p,"
        + " ownerReferences: [{kind: X}]}\n", "\u0000", ": : :", "kind: [List]\nitems: 3\n");
    for (String in : inputs) {
      AdapterResult r = parse(in);
      assertThat(in, r.records(), greaterThan(0));
      for (ParseFailure f : r.failures()) {
        assertThat(in + " -> " + f.reason(), f.kind(), not(is(FailureKind.ADAPTER_BUG)));
      }
    }
  }

  @Test
  public void eventsRoundTripThroughEventCoder() throws Exception {
    AdapterResult r = parse(WATCH);
    r.addAll(popeye("core/pod/2.yaml")).addAll(popeye("auth/rob/1.yaml"))
        .addAll(popeye("core/node/1.yaml"));
    assertThat(r.events().size(), greaterThan(10));
    for (Event e : r.events()) {
      byte[] bytes = CoderUtils.encodeToByteArray(EventCoder.of(), e);
      assertThat(CoderUtils.decodeFromByteArray(EventCoder.of(), bytes), equalTo(e));
    }
  }
}
