package dev.weft.graph;

import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.Reference;
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
 *       restart is a new runtime id, a new instance of it.
 * </ul>
 */
final class StatedRelations {
  private StatedRelations() {}

  /** One relation: from, relation, to. */
  record Relation(String relation, String from, String to) {}

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
