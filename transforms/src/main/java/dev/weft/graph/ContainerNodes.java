package dev.weft.graph;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * What a Pod state says about its containers as nodes: a container has no Kubernetes object of its
 * own, so its pod describes it.
 *
 * <ul>
 *   <li>The named container {@code k8s.container:<ns>/<pod>/<name>} gets the pod's write (same
 *       stamp, so last-writer-wins follows the pod's versions, and the pod's deletion ends it) with
 *       {@code k8s.container.name}, {@code k8s.container.role} (app, init, ephemeral), {@code
 *       container.image.name} / {@code container.image.tags}, {@code container.id} and the status
 *       fields, and {@code k8s.pod.name} / {@code k8s.namespace.name} of the pod it is in.
 *   <li>The running container {@code container:<id>} (where spans and logs carrying OTel {@code
 *       container.id} land) gets name, role, image and pod as signal attributes, so the 64-hex
 *       node says what it runs.
 * </ul>
 *
 * <p>Mentions only: neither node's event count changes, since the event is the pod's.
 * Retractions are ignored (a pod's identity is strong; nothing to undo).
 */
final class ContainerNodes extends DoFn<ResolvedEvent, KV<String, NodeState>> {

  @ProcessElement
  public void process(@Element ResolvedEvent r, OutputReceiver<KV<String, NodeState>> out) {
    if (r.retraction()) {
      return;
    }
    for (KV<String, NodeState> kv : of(r.event())) {
      out.output(kv);
    }
  }

  /** The node contributions of one event; none unless it is a Pod state with containers. */
  static List<KV<String, NodeState>> of(Event e) {
    List<KV<String, NodeState>> out = new ArrayList<>();
    if (e.config().isEmpty()) {
      return out;
    }
    ConfigPart pod = e.config().get();
    long t = e.eventTime().toEpochMilli();
    WriteStamp stamp = new WriteStamp(t, pod.version(), e.eventId());
    boolean deleted = pod.operation() == ConfigOperation.DELETED;
    for (PodContainers.Container c : PodContainers.of(e)) {
      SortedMap<String, String> about = new TreeMap<>();
      about.put("k8s.container.name", c.name());
      about.put("k8s.container.role", c.role().label());
      about.put("k8s.pod.name", pod.name());
      pod.namespace().ifPresent(ns -> about.put("k8s.namespace.name", ns));
      c.image().ifPresent(image -> about.putAll(PodContainers.imageAttributes(image)));

      String namedId = EntityIds.podContainer(pod, c.name());
      NodeState named = NodeState.mention(namedId);
      named.seenAt(t);
      SortedMap<String, String> config = new TreeMap<>(about);
      config.put("kind", "Container");
      c.runtimeId().ifPresent(id -> config.put("container.id", id));
      c.fields().forEach((field, value) -> {
        if (!field.equals("image") && !field.equals("id")) {
          config.put("k8s.container." + field, value);
        }
      });
      named.configWrite(stamp, deleted, config);
      out.add(KV.of(namedId, named));

      if (c.runtimeId().isPresent()) {
        String runtimeId = EntityIds.runtimeContainer(c.runtimeId().get());
        NodeState running = NodeState.mention(runtimeId);
        running.seenAt(t);
        about.forEach((k, v) -> running.signal(k, v, stamp));
        out.add(KV.of(runtimeId, running));
      }
    }
    return out;
  }
}
