package dev.weft.graph;

import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.Reference;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How graph nodes are named, in one place, so that the same object gets the same id whichever
 * event names it: a pod seen in a span's resource signals and the pod's own Kubernetes object, a
 * node named by a pod's {@code spec.nodeName} and the Node object.
 *
 * <p>An id is {@code <type>:<name>}, or {@code <type>~<values>} for an entity identity kept
 * provisional (see {@link #type}).
 *
 * <ul>
 *   <li>{@code service:<service.name>}
 *   <li>{@code host:<host.name>}
 *   <li>Kubernetes objects: {@code k8s.<kind in lower case>:<namespace>/<name>}, or {@code
 *       k8s.<kind>:<name>} for cluster-scoped kinds (Node, Namespace, PersistentVolume, ...). A pod
 *       from span signals ({@code k8s.namespace.name}, {@code k8s.pod.name}) is {@code
 *       k8s.pod:<ns>/<name>}, the same id as the Pod object.
 *   <li>A container of a pod, as the pod's spec names it: {@code
 *       k8s.container:<namespace>/<pod>/<container name>}, the id the default identity policy
 *       gives a span or log naming its container by OTel {@code k8s.namespace.name}, {@code
 *       k8s.pod.name}, {@code k8s.container.name}; a running instance of it, as the
 *       runtime names it (OTel {@code container.id}, a pod status' {@code containerID} without its
 *       scheme): {@code container:<id in lower case>}, the id the default identity policy gives.
 *   <li>Other configuration objects: {@code <kind in lower case>:<namespace>/<name>}.
 *   <li>Peers inferred from spans: {@code database:<db.system>[@<address>]}, {@code
 *       queue:<messaging.system>/<destination>}, {@code external:<address>}; a {@code peer.service}
 *       names a {@code service:} node.
 * </ul>
 */
public final class EntityIds {
  private EntityIds() {}

  /** Kubernetes kinds that have no namespace (their references carry none either). */
  static final Set<String> CLUSTER_SCOPED = Set.of("node", "namespace", "persistentvolume",
      // RBAC subjects: a User or Group is one identity cluster-wide, even when a namespaced
      // RoleBinding names it (popeye's fred was k8s.user:default/fred and k8s.user:fred).
      "user", "group",
      "clusterrole", "clusterrolebinding", "storageclass", "customresourcedefinition",
      "priorityclass", "ingressclass", "apiservice", "runtimeclass", "csidriver", "csinode",
      "gatewayclass", "mutatingwebhookconfiguration", "validatingwebhookconfiguration");

  /**
   * The type of an entity id: its prefix, up to the first ':' (a bound entity) or '~' (a
   * provisional one, {@code k8s.pod~10.0.9.9}), whichever comes first; a policy prefix contains
   * neither (the policy parser refuses it), so an IPv6 value ({@code host~2001:db8::1}) or a
   * colon inside a value never cuts the type.
   */
  public static String type(String id) {
    int cut = typeEnd(id);
    return cut <= 0 ? "unknown" : id.substring(0, cut);
  }

  /** Whether the id is a provisional one: its type ends at a '~', not a ':'. */
  public static boolean isProvisional(String id) {
    int cut = typeEnd(id);
    return cut >= 0 && id.charAt(cut) == '~';
  }

  private static int typeEnd(String id) {
    int colon = id.indexOf(':');
    int tilde = id.indexOf('~');
    return colon < 0 ? tilde : tilde < 0 ? colon : Math.min(colon, tilde);
  }

  /** A service named outside identity resolution (a peer.service), escaped the same way. */
  public static String service(String name) {
    return "service:" + dev.weft.identity.IdentityResolver.escape(name);
  }

  public static String host(String name) {
    return "host:" + name;
  }

  public static String pod(String namespace, String name) {
    return "k8s.pod:" + namespace + "/" + name;
  }

  /** A container named by its pod's spec, stable across restarts of the container. */
  static String podContainer(ConfigPart pod, String containerName) {
    return object("Container", pod.namespace(), pod.name() + "/" + containerName,
        pod.apiVersion().isPresent());
  }

  /**
   * A running container named by its runtime id, normalized as the default policy's {@code
   * container.id} normalizers do (the adapter has already removed the {@code containerd://}
   * scheme), so a span or log carrying OTel {@code container.id} lands on the same node.
   */
  static String runtimeContainer(String id) {
    return "container:" + id.trim().toLowerCase(Locale.ROOT);
  }

  /** The id of a configuration object. Kubernetes objects are recognised by their apiVersion. */
  public static String configObject(ConfigPart c) {
    return object(c.objectKind(), c.namespace(), c.name(), c.apiVersion().isPresent());
  }

  /**
   * The id of a reference's target; a namespaced target without a namespace (an ownerReference)
   * lives in the namespace of the object that refers to it.
   */
  public static String referenceTarget(ConfigPart from, Reference r) {
    Optional<String> ns = r.targetNamespace().or(from::namespace);
    return object(r.targetKind(), ns, r.targetName(), from.apiVersion().isPresent());
  }

  /**
   * The id of what an event's reference names: for an inventory record, {@code <entity
   * type>:<value>} with the value escaped as identity escapes it, the id the policy gives the
   * target when it names its entities by that value alone (InventoryMapping's relations); for a
   * configuration object, {@link #referenceTarget(ConfigPart, Reference)}.
   */
  public static String referenceTarget(Event e, ConfigPart from, Reference r) {
    if (e.kind() == dev.weft.model.EventKind.INVENTORY) {
      return r.targetKind() + ":" + dev.weft.identity.IdentityResolver.escape(r.targetName());
    }
    return referenceTarget(from, r);
  }

  static String object(String kind, Optional<String> namespace, String name, boolean k8s) {
    String k = kind.toLowerCase(Locale.ROOT);
    String prefix = k8s ? "k8s." + k : k;
    if ((k8s && CLUSTER_SCOPED.contains(k)) || namespace.isEmpty()) {
      return prefix + ":" + name;
    }
    return prefix + ":" + namespace.get() + "/" + name;
  }

  /** The namespace key of a configuration object: its namespace, or "" when cluster-scoped. */
  static String namespaceKey(ConfigPart c) {
    String k = c.objectKind().toLowerCase(Locale.ROOT);
    return CLUSTER_SCOPED.contains(k) ? "" : c.namespace().orElse("");
  }

  /** A span attribute or signal, wherever the adapter put it. */
  static Optional<String> value(Event e, String name) {
    String v = e.signals().get(name);
    if (v == null) {
      v = e.attributes().get(name);
    }
    return Optional.ofNullable(v);
  }

  /**
   * The node a client span calls when no server span answers it, from its peer attributes
   * (OpenTelemetry semantic conventions, old and new names); empty when it names no peer.
   */
  public static Optional<String> inferredPeer(Event e) {
    Optional<String> peerService = value(e, "peer.service");
    if (peerService.isPresent()) {
      return Optional.of(service(peerService.get()));
    }
    Optional<String> address = value(e, "server.address")
        .or(() -> value(e, "net.peer.name"))
        .or(() -> value(e, "network.peer.address"))
        .or(() -> value(e, "net.peer.ip"));
    Optional<String> db = value(e, "db.system");
    if (db.isPresent()) {
      return Optional.of("database:" + db.get() + address.map(a -> "@" + a).orElse(""));
    }
    Optional<String> messaging = value(e, "messaging.system");
    if (messaging.isPresent()) {
      return Optional.of("queue:" + messaging.get()
          + value(e, "messaging.destination.name").or(() -> value(e, "messaging.destination"))
              .map(d -> "/" + d).orElse(""));
    }
    return address.map(a -> "external:" + a);
  }

  /** Entities named by an event's identity signals, by entity type. */
  static void fromSignals(Event e, Map<String, String> entities) {
    value(e, "service.name").ifPresent(s -> entities.put("service", service(s)));
    Optional<String> podName = value(e, "k8s.pod.name");
    Optional<String> podNs = value(e, "k8s.namespace.name");
    if (podName.isPresent() && podNs.isPresent()) {
      entities.put("k8s.pod", pod(podNs.get(), podName.get()));
    }
    value(e, "k8s.node.name").ifPresent(n -> entities.put("k8s.node", "k8s.node:" + n));
    value(e, "host.name").ifPresent(h -> entities.put("host", host(h)));
  }
}
