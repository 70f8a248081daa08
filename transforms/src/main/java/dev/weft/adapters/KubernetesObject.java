package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * One Kubernetes object (a Pod, a Service, ...) as one CONFIG {@link Event}. Used by {@link
 * KubernetesAdapter}, which finds the objects in lists, watch events and YAML streams.
 *
 * <p><b>Signals</b> describe the object the way OpenTelemetry resource attributes describe
 * telemetry coming from it (as the collector's k8sattributes processor sets them):
 *
 * <ul>
 *   <li>its own name and uid as {@code k8s.<kind>.name} / {@code k8s.<kind>.uid}: OTel names for
 *       pod, node, namespace, deployment, replicaset, daemonset, statefulset, job, cronjob; for
 *       other kinds ({@code k8s.service.name}, {@code k8s.configmap.uid}, ...) Weft follows the same
 *       pattern with the lower-cased kind, and these are Weft's names, not OTel conventions. A
 *       ServiceAccount gives {@code k8s.serviceaccount.name}, also not an OTel name;
 *   <li>{@code k8s.namespace.name} for namespaced objects;
 *   <li>for the controller owner (ownerReference with {@code controller: true}) of a workload kind,
 *       {@code k8s.<ownerkind>.name/uid} (a Pod of ReplicaSet rs1 carries {@code
 *       k8s.replicaset.name=rs1}), because spans from that pod carry them too. The object's own
 *       kind is {@link ConfigPart#objectKind()}: an identity policy keys on the own-kind signal;
 *   <li>Pods: {@code k8s.node.name} (spec.nodeName), {@code host.ip} (status.hostIP), {@code
 *       k8s.pod.ip} (status.podIP, else the first status.podIPs; Weft's name, OTel has no pod-IP
 *       attribute), {@code container.id} only when exactly one container reports an id (a
 *       multi-container pod is ambiguous; each container's id is kept as attribute {@code
 *       k8s.container.<name>.id} without the {@code docker://} / {@code containerd://} scheme, the
 *       runtime as {@code k8s.container.<name>.runtime});
 *   <li>Nodes: {@code host.name} (Hostname address) and {@code host.ip} (InternalIP address).
 * </ul>
 *
 * <p><b>References</b>: ownerReferences {@code part-of}; Pod spec.nodeName {@code runs-on} Node;
 * Pod serviceAccountName (or the deprecated serviceAccount) {@code uses} ServiceAccount; Pod
 * imagePullSecrets {@code uses} Secret; Pod volumes {@code mounts} PersistentVolumeClaim, Secret,
 * ConfigMap (see {@link #volumes}); Endpoints subsets[].addresses[].targetRef and EndpointSlice
 * endpoints[].targetRef {@code routes-to}; ServiceAccount secrets[] and imagePullSecrets[] {@code
 * uses} Secret; (Cluster)RoleBinding roleRef {@code grants}, subjects {@code binds};
 * HorizontalPodAutoscaler scaleTargetRef {@code scales}. A pod's containers (spec containers,
 * initContainers, ephemeralContainers and their statuses) are attributes {@code
 * k8s.container.<name>.*}, {@code k8s.init_container.<name>.*}, {@code
 * k8s.ephemeral_container.<name>.*}, from which the graph makes container nodes and edges.
 *
 * <p><b>Never carried</b>: container env values and commands, Secret data and stringData,
 * ConfigMap data: the adapter reads names, never contents.
 *
 * <p><b>Event time</b>: for DELETED, metadata.deletionTimestamp (SOURCE) when present; otherwise
 * the latest of metadata.creationTimestamp (SOURCE), status.conditions[].lastTransitionTime,
 * metadata.managedFields[].time, status.startTime and container statuses' state.*.startedAt
 * (DERIVED); with none of them, observedTime (FALLBACK). Attribute {@code weft.time.field} names
 * the field used. A timestamp that is not RFC 3339 fails the object (INVALID_VALUE).
 *
 * <p><b>Event id</b>: {@code k8s:<uid>:<resourceVersion>:<operation>} (SOURCE_ID) when uid and
 * resourceVersion exist, else a content hash over the object's canonical JSON and the operation.
 *
 * <p>Label values are kept as written, including the empty value ({@code
 * node-role.kubernetes.io/control-plane: ""}), because a label's presence is its meaning.
 */
final class KubernetesObject {
  /** Kubernetes (etcd) refuses objects above ~1.5 MB; anything beyond this is not a real object. */
  static final int MAX_OBJECT_CHARS = 4 << 20;

  private static final Set<String> OTEL_KINDS = Set.of("Pod", "Node", "Namespace", "Deployment",
      "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob");
  private static final Set<String> MATCH_LABEL_SELECTORS = Set.of("Deployment", "ReplicaSet",
      "StatefulSet", "DaemonSet", "Job", "PodDisruptionBudget");

  private final JsonNode obj;
  private final String pointer; // JSON pointer of the object in its document, "" for the root
  private String kind;
  private Optional<String> namespace = Optional.empty();
  private String name;

  private KubernetesObject(JsonNode obj, String pointer) {
    this.obj = obj;
    this.pointer = pointer;
  }

  /**
   * Builds the event, or throws {@link RecordRejected} naming the field (as a JSON pointer) that is
   * missing or of the wrong type.
   */
  static Event toEvent(JsonNode obj, String pointer, ConfigOperation op, Optional<String> rawOp,
      Origin origin, Instant observed) throws RecordRejected {
    return new KubernetesObject(obj, pointer).build(op, rawOp, origin, observed);
  }

  private Event build(ConfigOperation op, Optional<String> rawOp, Origin origin,
      Instant observed) throws RecordRejected {
    if (!obj.isObject()) {
      throw wrongType("", "a Kubernetes object (a mapping)", obj);
    }
    long size = JsonTrees.sizeAtMost(obj, MAX_OBJECT_CHARS + 1L);
    if (size > MAX_OBJECT_CHARS) {
      throw new RecordRejected(FailureKind.TOO_LARGE, "the object at " + where("")
          + " is larger than " + MAX_OBJECT_CHARS + " characters; Kubernetes itself refuses"
          + " objects of that size");
    }
    kind = text(obj, "kind").orElseThrow(() -> missing("/kind"));
    JsonNode meta = object(obj, "metadata");
    if (meta == null) {
      throw missing("/metadata");
    }
    name = text(meta, "name", "/metadata/name").orElseThrow(() -> missing("/metadata/name"));
    namespace = text(meta, "namespace", "/metadata/namespace");
    Optional<String> uid = text(meta, "uid", "/metadata/uid");
    Optional<String> version = text(meta, "resourceVersion", "/metadata/resourceVersion");
    Optional<String> apiVersion = text(obj, "apiVersion");
    SortedMap<String, String> labels = stringMap(meta, "labels", "/metadata/labels");
    JsonNode spec = object(obj, "spec");
    JsonNode status = object(obj, "status");

    Event.Builder b = Event.builder().origin(origin).observedTime(observed);
    SortedMap<String, String> attributes = new TreeMap<>();
    List<Reference> refs = new ArrayList<>();

    // Own identity.
    String k = kind.toLowerCase(Locale.ROOT);
    b.signal("k8s." + k + ".name", name);
    uid.ifPresent(u -> b.signal("k8s." + k + ".uid", u));
    namespace.ifPresent(ns -> b.signal("k8s.namespace.name", ns));
    ownerReferences(meta, b, refs);

    SortedMap<String, String> selector = selector(spec, attributes);
    switch (kind) {
      case "Pod" -> pod(spec, status, b, attributes, refs);
      case "Node" -> node(status, b, attributes);
      case "Service" -> service(spec, attributes);
      case "Endpoints" -> endpoints(refs);
      case "EndpointSlice" -> endpointSlice(refs);
      case "ServiceAccount" -> serviceAccount(refs);
      case "RoleBinding", "ClusterRoleBinding" -> binding(refs);
      case "HorizontalPodAutoscaler" -> autoscaler(spec, attributes, refs);
      default -> { }
    }
    if (MATCH_LABEL_SELECTORS.contains(kind) || kind.equals("ReplicationController")) {
      workload(spec, status, attributes);
    }
    conditions(status, attributes);
    json(meta, "generation", "/metadata/generation")
        .ifPresent(g -> attributes.put("k8s.generation", g.asText()));

    TimeChoice time = eventTime(op, meta, status);
    if (time == null) {
      b.eventTime(observed, TimeQuality.FALLBACK);
    } else {
      b.eventTime(time.at, time.quality);
      attributes.put("weft.time.field", time.field);
    }

    String opName = rawOp.orElse(op.name());
    if (uid.isPresent() && version.isPresent()) {
      b.eventId(EventIds.sourceId(KubernetesAdapter.FORMAT, uid.get(), version.get(), opName),
          IdKind.SOURCE_ID);
    } else {
      b.eventId(EventIds.contentHash(KubernetesAdapter.FORMAT, JsonTrees.canonical(obj), opName),
          IdKind.CONTENT_HASH);
    }
    return b.attributes(attributes)
        .config(new ConfigPart(kind, apiVersion, op, rawOp, version, name, namespace, uid, labels,
            selector, refs))
        .build();
  }

  // ------------------------------------------------------------------ kinds

  private void ownerReferences(JsonNode meta, Event.Builder b, List<Reference> refs)
      throws RecordRejected {
    JsonNode owners = array(meta, "ownerReferences", "/metadata/ownerReferences");
    for (int i = 0; owners != null && i < owners.size(); i++) {
      String at = "/metadata/ownerReferences/" + i;
      JsonNode o = element(owners, i, at);
      String ok = text(o, "kind", at + "/kind").orElseThrow(() -> missing(at + "/kind"));
      String on = text(o, "name", at + "/name").orElseThrow(() -> missing(at + "/name"));
      Optional<String> ou = text(o, "uid", at + "/uid");
      refs.add(new Reference("part-of", ok, on, namespace, ou));
      JsonNode controller = o.get("controller");
      if (controller != null && controller.asBoolean(false) && OTEL_KINDS.contains(ok)) {
        String prefix = "k8s." + ok.toLowerCase(Locale.ROOT);
        b.signal(prefix + ".name", on);
        ou.ifPresent(u -> b.signal(prefix + ".uid", u));
      }
    }
  }

  private SortedMap<String, String> selector(JsonNode spec, SortedMap<String, String> attributes)
      throws RecordRejected {
    if (spec == null) {
      return new TreeMap<>();
    }
    if (kind.equals("Service") || kind.equals("ReplicationController")) {
      return stringMap(spec, "selector", "/spec/selector");
    }
    String field = kind.equals("NetworkPolicy") ? "podSelector" : "selector";
    if (!kind.equals("NetworkPolicy") && !MATCH_LABEL_SELECTORS.contains(kind)) {
      return new TreeMap<>();
    }
    JsonNode sel = object(spec, field, "/spec/" + field);
    if (sel == null) {
      return new TreeMap<>();
    }
    JsonNode expressions = array(sel, "matchExpressions", "/spec/" + field + "/matchExpressions");
    if (expressions != null && !expressions.isEmpty()) {
      // A map cannot express "In/NotIn/Exists"; kept whole so nothing is dropped.
      attributes.put("k8s.selector.match_expressions", JsonTrees.canonical(expressions));
    }
    return stringMap(sel, "matchLabels", "/spec/" + field + "/matchLabels");
  }

  private void pod(JsonNode spec, JsonNode status, Event.Builder b,
      SortedMap<String, String> attributes, List<Reference> refs) throws RecordRejected {
    if (spec != null) {
      Optional<String> node = text(spec, "nodeName", "/spec/nodeName");
      node.ifPresent(n -> {
        b.signal("k8s.node.name", n);
        refs.add(new Reference("runs-on", "Node", n, Optional.empty(), Optional.empty()));
      });
      Optional<String> sa = text(spec, "serviceAccountName", "/spec/serviceAccountName")
          .or(() -> textOrNull(spec, "serviceAccount"));
      sa.ifPresent(s -> refs.add(
          new Reference("uses", "ServiceAccount", s, namespace, Optional.empty())));
      containers(spec, "containers", "k8s.container.", attributes);
      containers(spec, "initContainers", "k8s.init_container.", attributes);
      containers(spec, "ephemeralContainers", "k8s.ephemeral_container.", attributes);
      volumes(spec, refs);
      secretNames(spec, "imagePullSecrets", "/spec/imagePullSecrets", refs);
    }
    if (status != null) {
      text(status, "phase", "/status/phase").ifPresent(p -> attributes.put("k8s.pod.phase", p));
      text(status, "hostIP", "/status/hostIP").ifPresent(ip -> b.signal("host.ip", ip));
      Optional<String> podIp = text(status, "podIP", "/status/podIP");
      if (podIp.isEmpty()) {
        JsonNode ips = array(status, "podIPs", "/status/podIPs");
        if (ips != null && !ips.isEmpty()) {
          podIp = text(element(ips, 0, "/status/podIPs/0"), "ip", "/status/podIPs/0/ip");
        }
      }
      podIp.ifPresent(ip -> b.signal("k8s.pod.ip", ip));
      List<String> ids = new ArrayList<>();
      containerStatuses(status, "containerStatuses", "k8s.container.", attributes, ids);
      containerStatuses(status, "initContainerStatuses", "k8s.init_container.", attributes,
          new ArrayList<>());
      containerStatuses(status, "ephemeralContainerStatuses", "k8s.ephemeral_container.",
          attributes, new ArrayList<>());
      if (ids.size() == 1) {
        b.signal("container.id", ids.get(0));
      }
    }
  }

  private void containers(JsonNode spec, String field, String prefix,
      SortedMap<String, String> attributes) throws RecordRejected {
    JsonNode list = array(spec, field, "/spec/" + field);
    for (int i = 0; list != null && i < list.size(); i++) {
      String at = "/spec/" + field + "/" + i;
      JsonNode c = element(list, i, at);
      String name = text(c, "name", at + "/name").orElse(String.valueOf(i));
      text(c, "image", at + "/image").ifPresent(im -> attributes.put(prefix + name + ".image", im));
      JsonNode ports = array(c, "ports", at + "/ports");
      if (ports != null && !ports.isEmpty()) {
        StringJoiner j = new StringJoiner(",");
        for (int p = 0; p < ports.size(); p++) {
          JsonNode port = element(ports, p, at + "/ports/" + p);
          String pn = textOrNull(port, "name").map(s -> s + ":").orElse("");
          j.add(pn + textOrNull(port, "containerPort").orElse("?") + "/"
              + textOrNull(port, "protocol").orElse("TCP"));
        }
        attributes.put(prefix + name + ".ports", j.toString());
      }
    }
  }

  private void containerStatuses(JsonNode status, String field, String prefix,
      SortedMap<String, String> attributes, List<String> ids) throws RecordRejected {
    JsonNode list = array(status, field, "/status/" + field);
    for (int i = 0; list != null && i < list.size(); i++) {
      String at = "/status/" + field + "/" + i;
      JsonNode c = element(list, i, at);
      String name = text(c, "name", at + "/name").orElse(String.valueOf(i));
      Optional<String> id = text(c, "containerID", at + "/containerID");
      if (id.isPresent()) {
        String raw = id.get();
        int scheme = raw.indexOf("://");
        String bare = scheme < 0 ? raw : raw.substring(scheme + 3);
        if (scheme > 0) {
          attributes.put(prefix + name + ".runtime", raw.substring(0, scheme));
        }
        if (!bare.isEmpty()) {
          attributes.put(prefix + name + ".id", bare);
          ids.add(bare);
        }
      }
      textOrNull(c, "ready").ifPresent(r -> attributes.put(prefix + name + ".ready", r));
      textOrNull(c, "restartCount")
          .ifPresent(r -> attributes.put(prefix + name + ".restart_count", r));
      JsonNode state = object(c, "state", at + "/state");
      if (state != null && state.size() > 0) {
        attributes.put(prefix + name + ".state", state.fieldNames().next());
      }
    }
  }

  private void node(JsonNode status, Event.Builder b, SortedMap<String, String> attributes)
      throws RecordRejected {
    if (status == null) {
      return;
    }
    JsonNode addresses = array(status, "addresses", "/status/addresses");
    for (int i = 0; addresses != null && i < addresses.size(); i++) {
      JsonNode a = element(addresses, i, "/status/addresses/" + i);
      Optional<String> type = textOrNull(a, "type");
      Optional<String> address = textOrNull(a, "address");
      if (type.isPresent() && address.isPresent()) {
        if (type.get().equals("Hostname")) {
          b.signal("host.name", address.get());
        } else if (type.get().equals("InternalIP")) {
          b.signal("host.ip", address.get());
        }
        attributes.put("k8s.node.address." + type.get(), address.get());
      }
    }
    JsonNode info = object(status, "nodeInfo", "/status/nodeInfo");
    if (info != null) {
      textOrNull(info, "kubeletVersion").ifPresent(v -> attributes.put("k8s.kubelet.version", v));
      textOrNull(info, "osImage").ifPresent(v -> attributes.put("os.description", v));
      textOrNull(info, "operatingSystem").ifPresent(v -> attributes.put("os.type", v));
      textOrNull(info, "architecture").ifPresent(v -> attributes.put("host.arch", v));
      textOrNull(info, "containerRuntimeVersion")
          .ifPresent(v -> attributes.put("k8s.container_runtime.version", v));
    }
  }

  private void service(JsonNode spec, SortedMap<String, String> attributes)
      throws RecordRejected {
    if (spec == null) {
      return;
    }
    text(spec, "type", "/spec/type").ifPresent(t -> attributes.put("k8s.service.type", t));
    text(spec, "clusterIP", "/spec/clusterIP")
        .ifPresent(ip -> attributes.put("k8s.service.cluster_ip", ip));
    JsonNode ports = array(spec, "ports", "/spec/ports");
    if (ports != null && !ports.isEmpty()) {
      StringJoiner j = new StringJoiner(",");
      for (int p = 0; p < ports.size(); p++) {
        JsonNode port = element(ports, p, "/spec/ports/" + p);
        String pn = textOrNull(port, "name").map(s -> s + ":").orElse("");
        String target = textOrNull(port, "targetPort").map(t -> "->" + t).orElse("");
        j.add(pn + textOrNull(port, "port").orElse("?") + target + "/"
            + textOrNull(port, "protocol").orElse("TCP"));
      }
      attributes.put("k8s.service.ports", j.toString());
    }
  }

  private void endpoints(List<Reference> refs) throws RecordRejected {
    JsonNode subsets = array(obj, "subsets", "/subsets");
    for (int s = 0; subsets != null && s < subsets.size(); s++) {
      String at = "/subsets/" + s;
      JsonNode subset = element(subsets, s, at);
      JsonNode addresses = array(subset, "addresses", at + "/addresses");
      for (int a = 0; addresses != null && a < addresses.size(); a++) {
        String aAt = at + "/addresses/" + a;
        JsonNode target = object(element(addresses, a, aAt), "targetRef", aAt + "/targetRef");
        if (target != null) {
          addOnce(refs, targetRef(target, "routes-to", aAt + "/targetRef"));
        }
      }
    }
  }

  /**
   * EndpointSlice (discovery.k8s.io/v1 and v1beta1): {@code endpoints[].targetRef}. An endpoint
   * whose {@code conditions.ready} is false receives no traffic, as a not-ready address of an
   * Endpoints object, so it states no {@code routes-to}; a missing {@code ready} means ready (the
   * API's own reading of nil).
   */
  private void endpointSlice(List<Reference> refs) throws RecordRejected {
    JsonNode endpoints = array(obj, "endpoints", "/endpoints");
    for (int e = 0; endpoints != null && e < endpoints.size(); e++) {
      String at = "/endpoints/" + e;
      JsonNode endpoint = element(endpoints, e, at);
      JsonNode conditions = object(endpoint, "conditions", at + "/conditions");
      if (conditions != null && conditions.has("ready")
          && !conditions.get("ready").asBoolean(true)) {
        continue;
      }
      JsonNode target = object(endpoint, "targetRef", at + "/targetRef");
      if (target != null) {
        addOnce(refs, targetRef(target, "routes-to", at + "/targetRef"));
      }
    }
  }

  /** An ObjectReference (kind, name, namespace, uid); kind Pod when absent. */
  private Reference targetRef(JsonNode target, String relation, String at)
      throws RecordRejected {
    String tk = text(target, "kind", at + "/kind").orElse("Pod");
    String tn = text(target, "name", at + "/name").orElseThrow(() -> missing(at + "/name"));
    Optional<String> tns = text(target, "namespace", at + "/namespace").or(() -> namespace);
    return new Reference(relation, tk, tn, tns, text(target, "uid", at + "/uid"));
  }

  private static void addOnce(List<Reference> refs, Reference r) {
    if (!refs.contains(r)) {
      refs.add(r);
    }
  }

  /**
   * ServiceAccount: {@code secrets[]} (ObjectReferences to the secrets a pod running as it may
   * mount) and {@code imagePullSecrets[]}, both {@code uses} Secret. Names only: a Secret's data is
   * never read by this adapter.
   */
  private void serviceAccount(List<Reference> refs) throws RecordRejected {
    JsonNode secrets = array(obj, "secrets", "/secrets");
    for (int i = 0; secrets != null && i < secrets.size(); i++) {
      String at = "/secrets/" + i;
      JsonNode s = element(secrets, i, at);
      String name = text(s, "name", at + "/name").orElseThrow(() -> missing(at + "/name"));
      Optional<String> ns = text(s, "namespace", at + "/namespace").or(() -> namespace);
      addOnce(refs, new Reference("uses", "Secret", name, ns, text(s, "uid", at + "/uid")));
    }
    secretNames(obj, "imagePullSecrets", "/imagePullSecrets", refs);
  }

  /** A list of LocalObjectReferences to secrets ({@code imagePullSecrets}): {@code uses} Secret. */
  private void secretNames(JsonNode parent, String field, String path, List<Reference> refs)
      throws RecordRejected {
    JsonNode list = array(parent, field, path);
    for (int i = 0; list != null && i < list.size(); i++) {
      String at = path + "/" + i;
      String name = text(element(list, i, at), "name", at + "/name")
          .orElseThrow(() -> missing(at + "/name"));
      addOnce(refs, new Reference("uses", "Secret", name, namespace, Optional.empty()));
    }
  }

  /**
   * Pod volumes: {@code mounts} PersistentVolumeClaim ({@code persistentVolumeClaim.claimName}, and
   * the claim a generic ephemeral volume creates, named {@code <pod>-<volume>}), Secret ({@code
   * secret.secretName}) and ConfigMap ({@code configMap.name}), also inside {@code projected}
   * sources. Names only; other volume types (emptyDir, hostPath, CSI, ...) name no object.
   */
  private void volumes(JsonNode spec, List<Reference> refs) throws RecordRejected {
    JsonNode volumes = array(spec, "volumes", "/spec/volumes");
    for (int i = 0; volumes != null && i < volumes.size(); i++) {
      String at = "/spec/volumes/" + i;
      JsonNode v = element(volumes, i, at);
      volumeSource(v, at, "persistentVolumeClaim", "claimName", "PersistentVolumeClaim", refs);
      volumeSource(v, at, "secret", "secretName", "Secret", refs);
      volumeSource(v, at, "configMap", "name", "ConfigMap", refs);
      if (object(v, "ephemeral", at + "/ephemeral") != null) {
        Optional<String> volumeName = text(v, "name", at + "/name");
        if (volumeName.isPresent()) {
          addOnce(refs, new Reference("mounts", "PersistentVolumeClaim",
              name + "-" + volumeName.get(), namespace, Optional.empty()));
        }
      }
      JsonNode projected = object(v, "projected", at + "/projected");
      JsonNode sources = projected == null ? null
          : array(projected, "sources", at + "/projected/sources");
      for (int j = 0; sources != null && j < sources.size(); j++) {
        String sAt = at + "/projected/sources/" + j;
        JsonNode source = element(sources, j, sAt);
        volumeSource(source, sAt, "secret", "name", "Secret", refs);
        volumeSource(source, sAt, "configMap", "name", "ConfigMap", refs);
      }
    }
  }

  private void volumeSource(JsonNode volume, String at, String field, String nameField,
      String targetKind, List<Reference> refs) throws RecordRejected {
    JsonNode source = object(volume, field, at + "/" + field);
    if (source == null) {
      return;
    }
    Optional<String> name = text(source, nameField, at + "/" + field + "/" + nameField);
    if (name.isPresent()) {
      addOnce(refs, new Reference("mounts", targetKind, name.get(), namespace, Optional.empty()));
    }
  }

  private void binding(List<Reference> refs) throws RecordRejected {
    JsonNode role = object(obj, "roleRef", "/roleRef");
    if (role != null) {
      String rk = text(role, "kind", "/roleRef/kind").orElseThrow(() -> missing("/roleRef/kind"));
      String rn = text(role, "name", "/roleRef/name").orElseThrow(() -> missing("/roleRef/name"));
      // A Role lives in the binding's namespace; a ClusterRole in none.
      refs.add(new Reference("grants", rk, rn, rk.equals("Role") ? namespace : Optional.empty(),
          Optional.empty()));
    }
    JsonNode subjects = array(obj, "subjects", "/subjects");
    for (int i = 0; subjects != null && i < subjects.size(); i++) {
      String at = "/subjects/" + i;
      JsonNode s = element(subjects, i, at);
      String sk = text(s, "kind", at + "/kind").orElseThrow(() -> missing(at + "/kind"));
      String sn = text(s, "name", at + "/name").orElseThrow(() -> missing(at + "/name"));
      Optional<String> sns = text(s, "namespace", at + "/namespace");
      if (sns.isEmpty() && sk.equals("ServiceAccount")) {
        sns = namespace;
      }
      refs.add(new Reference("binds", sk, sn, sns, Optional.empty()));
    }
  }

  private void autoscaler(JsonNode spec, SortedMap<String, String> attributes,
      List<Reference> refs) throws RecordRejected {
    if (spec == null) {
      return;
    }
    JsonNode target = object(spec, "scaleTargetRef", "/spec/scaleTargetRef");
    if (target != null) {
      String tk = text(target, "kind", "/spec/scaleTargetRef/kind")
          .orElseThrow(() -> missing("/spec/scaleTargetRef/kind"));
      String tn = text(target, "name", "/spec/scaleTargetRef/name")
          .orElseThrow(() -> missing("/spec/scaleTargetRef/name"));
      refs.add(new Reference("scales", tk, tn, namespace, Optional.empty()));
    }
    textOrNull(spec, "minReplicas").ifPresent(v -> attributes.put("k8s.hpa.min_replicas", v));
    textOrNull(spec, "maxReplicas").ifPresent(v -> attributes.put("k8s.hpa.max_replicas", v));
  }

  private void workload(JsonNode spec, JsonNode status, SortedMap<String, String> attributes)
      throws RecordRejected {
    if (spec != null) {
      textOrNull(spec, "replicas").ifPresent(v -> attributes.put("k8s.replicas.desired", v));
      JsonNode template = object(spec, "template", "/spec/template");
      JsonNode podSpec = template == null ? null : object(template, "spec", "/spec/template/spec");
      if (podSpec != null) {
        containers(podSpec, "containers", "k8s.template.container.", attributes);
      }
    }
    if (status != null) {
      textOrNull(status, "replicas").ifPresent(v -> attributes.put("k8s.replicas.current", v));
      textOrNull(status, "readyReplicas").ifPresent(v -> attributes.put("k8s.replicas.ready", v));
    }
  }

  private void conditions(JsonNode status, SortedMap<String, String> attributes)
      throws RecordRejected {
    JsonNode list = status == null ? null : array(status, "conditions", "/status/conditions");
    for (int i = 0; list != null && i < list.size(); i++) {
      JsonNode c = element(list, i, "/status/conditions/" + i);
      Optional<String> type = textOrNull(c, "type");
      Optional<String> st = textOrNull(c, "status");
      if (type.isPresent() && st.isPresent()) {
        attributes.put("k8s.condition." + type.get(), st.get());
      }
    }
  }

  // ------------------------------------------------------------------ time

  private record TimeChoice(Instant at, TimeQuality quality, String field) {}

  private TimeChoice eventTime(ConfigOperation op, JsonNode meta, JsonNode status)
      throws RecordRejected {
    if (op == ConfigOperation.DELETED) {
      Optional<Instant> deleted = timestamp(meta, "deletionTimestamp",
          "/metadata/deletionTimestamp");
      if (deleted.isPresent()) {
        return new TimeChoice(deleted.get(), TimeQuality.SOURCE, "metadata.deletionTimestamp");
      }
    }
    TimeChoice best = null;
    Optional<Instant> created = timestamp(meta, "creationTimestamp",
        "/metadata/creationTimestamp");
    if (created.isPresent()) {
      best = new TimeChoice(created.get(), TimeQuality.SOURCE, "metadata.creationTimestamp");
    }
    JsonNode managed = array(meta, "managedFields", "/metadata/managedFields");
    for (int i = 0; managed != null && i < managed.size(); i++) {
      String at = "/metadata/managedFields/" + i;
      best = later(best, timestamp(element(managed, i, at), "time", at + "/time"),
          "metadata.managedFields[" + i + "].time");
    }
    if (status != null) {
      JsonNode conditions = array(status, "conditions", "/status/conditions");
      for (int i = 0; conditions != null && i < conditions.size(); i++) {
        String at = "/status/conditions/" + i;
        best = later(best, timestamp(element(conditions, i, at), "lastTransitionTime",
            at + "/lastTransitionTime"), "status.conditions[" + i + "].lastTransitionTime");
      }
      best = later(best, timestamp(status, "startTime", "/status/startTime"), "status.startTime");
      for (String field : List.of("containerStatuses", "initContainerStatuses",
          "ephemeralContainerStatuses")) {
        JsonNode list = array(status, field, "/status/" + field);
        for (int i = 0; list != null && i < list.size(); i++) {
          String at = "/status/" + field + "/" + i;
          JsonNode state = object(element(list, i, at), "state", at + "/state");
          if (state == null) {
            continue;
          }
          for (Iterator<Map.Entry<String, JsonNode>> it = state.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            if (s.getValue().isObject()) {
              String sAt = at + "/state/" + s.getKey() + "/startedAt";
              best = later(best, timestamp(s.getValue(), "startedAt", sAt),
                  "status." + field + "[" + i + "].state." + s.getKey() + ".startedAt");
            }
          }
        }
      }
    }
    return best;
  }

  private static TimeChoice later(TimeChoice best, Optional<Instant> candidate, String field) {
    if (candidate.isEmpty() || (best != null && !candidate.get().isAfter(best.at))) {
      return best;
    }
    return new TimeChoice(candidate.get(), TimeQuality.DERIVED, field);
  }

  private Optional<Instant> timestamp(JsonNode parent, String field, String path)
      throws RecordRejected {
    Optional<String> t = text(parent, field, path);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(t.get()).toInstant());
    } catch (DateTimeParseException e) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, where(path) + " is '" + t.get()
          + "', not an RFC 3339 timestamp");
    }
  }

  // ------------------------------------------------------------------ typed access

  private Optional<String> text(JsonNode parent, String field) throws RecordRejected {
    return text(parent, field, "/" + field);
  }

  /** A scalar field as text; absent, null and "" are empty; an object or list is WRONG_TYPE. */
  private Optional<String> text(JsonNode parent, String field, String path)
      throws RecordRejected {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw wrongType(path, "a text value", v);
    }
    String s = v.asText();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  /** For fields that only feed attributes: a value of the wrong shape is simply not used. */
  private static Optional<String> textOrNull(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(v.asText());
  }

  private Optional<JsonNode> json(JsonNode parent, String field, String path)
      throws RecordRejected {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw wrongType(path, "a scalar value", v);
    }
    return Optional.of(v);
  }

  private JsonNode object(JsonNode parent, String field) throws RecordRejected {
    return object(parent, field, "/" + field);
  }

  /**
   * YAML's empty value ({@code conditions:} with nothing after it) reads as "" in Jackson; for a
   * field that holds a mapping or a list it means absent, as it does for Kubernetes.
   */
  static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.textValue().isEmpty());
  }

  private JsonNode object(JsonNode parent, String field, String path) throws RecordRejected {
    JsonNode v = parent.get(field);
    if (absent(v)) {
      return null;
    }
    if (!v.isObject()) {
      throw wrongType(path, "a mapping", v);
    }
    return v;
  }

  private JsonNode array(JsonNode parent, String field, String path) throws RecordRejected {
    JsonNode v = parent.get(field);
    if (absent(v)) {
      return null;
    }
    if (!v.isArray()) {
      throw wrongType(path, "a list", v);
    }
    return v;
  }

  private JsonNode element(JsonNode array, int i, String path) throws RecordRejected {
    JsonNode v = array.get(i);
    if (!v.isObject()) {
      throw wrongType(path, "a mapping", v);
    }
    return v;
  }

  private SortedMap<String, String> stringMap(JsonNode parent, String field, String path)
      throws RecordRejected {
    SortedMap<String, String> out = new TreeMap<>();
    JsonNode m = object(parent, field, path);
    if (m == null) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!v.isValueNode()) {
        throw wrongType(path + "/" + e.getKey(), "a text value", v);
      }
      out.put(e.getKey(), v.isNull() ? "" : v.asText());
    }
    return out;
  }

  private String where(String path) {
    return pointer + path + (kind == null ? "" : " (" + kind + ")");
  }

  private RecordRejected missing(String path) {
    return new RecordRejected(FailureKind.MISSING_FIELD, "required field " + where(path)
        + " is missing");
  }

  private RecordRejected wrongType(String path, String expected, JsonNode found) {
    String at = (pointer + path).isEmpty() ? "the document" : where(path);
    return new RecordRejected(FailureKind.WRONG_TYPE, at + ": expected " + expected + ", found "
        + JsonTrees.describe(found));
  }
}
