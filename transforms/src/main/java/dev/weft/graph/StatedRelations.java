package dev.weft.graph;

import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.Reference;
import dev.weft.model.ResolvedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The relations one state of a configuration object states by itself, without looking at any other
 * object (selectors are matched by {@link StructuralEdges}):
 *
 * <ul>
 *   <li>each reference the adapter found, from the object to its target ({@code part-of}, {@code
 *       runs-on}, {@code uses}, {@code mounts}, {@code routes-to}, {@code grants}, {@code binds},
 *       {@code scales});
 *   <li>for a Pod, each of its containers (app, init, ephemeral) {@code part-of} the pod, and,
 *       when the status gives the container's runtime id, that running container {@code
 *       instance-of} the named container. The named container is stable across restarts; each
 *       restart is a new runtime id, a new instance of it;
 *   <li>for a Node, the node {@code runs-on} the host its status names (see {@link
 *       #of(ResolvedEvent)});
 *   <li>for an inventory record whose mapping has relations, each relation from the entity the
 *       record was bound to (its subject) to the entity the relation names ({@code part-of},
 *       {@code assigned-to}).
 * </ul>
 */
final class StatedRelations {
  private StatedRelations() {}

  /** One relation: from, relation, to. */
  record Relation(String relation, String from, String to) {}

  /**
   * The relations of one resolved state: those of {@link #of(Event)} and, for a Node, {@code
   * runs-on} the host its own status names (the Hostname address, or the InternalIP an identity
   * alias ties to a host), as identity resolution bound it. The Kubernetes node and the machine
   * stay two nodes of the graph joined by the object's own statement, never by equal names: a
   * syslog {@code host:node-1} meets {@code k8s.node:node-1} only when the Node says its host is
   * the host the policy calls {@code host:node-1}.
   */
  static List<Relation> of(ResolvedEvent r) {
    if (r.event().kind() == EventKind.INVENTORY) {
      return inventory(r);
    }
    List<Relation> out = of(r.event());
    ConfigPart c = r.event().config().orElseThrow();
    String host = r.entities().get(HOST_TYPE);
    // A refused identity (host~10.0.0.1) names no known host: no edge to it.
    if (c.objectKind().equalsIgnoreCase("Node") && host != null
        && !EntityIds.isProvisional(host)) {
      out.add(new Relation("runs-on", EntityIds.configObject(c), host));
    }
    return out;
  }

  /** An inventory record's relations start at the entity identity bound it to. */
  private static List<Relation> inventory(ResolvedEvent r) {
    List<Relation> out = new ArrayList<>();
    ConfigPart c = r.event().config().orElseThrow();
    for (Reference ref : c.references()) {
      out.add(new Relation(ref.relation(), r.subject(),
          EntityIds.referenceTarget(r.event(), c, ref)));
    }
    return out;
  }

  /** The entity type of machines in the default identity policy. */
  static final String HOST_TYPE = "host";


  static List<Relation> of(Event e) {
    ConfigPart c = e.config().orElseThrow();
    String id = EntityIds.configObject(c);
    List<Relation> out = new ArrayList<>();
    for (Reference ref : c.references()) {
      out.add(new Relation(ref.relation().toLowerCase(Locale.ROOT), id,
          EntityIds.referenceTarget(c, ref)));
    }
    for (PodContainers.Container container : PodContainers.of(e)) {
      String named = EntityIds.podContainer(c, container.name());
      out.add(new Relation("part-of", named, id));
      container.runtimeId().ifPresent(runtime ->
          out.add(new Relation("instance-of", EntityIds.runtimeContainer(runtime), named)));
    }
    return out;
  }
}
