package dev.weft.graph;

import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The containers a Pod state describes, read back from the attributes the Kubernetes adapter
 * writes for each of them ({@code k8s.container.<name>.<field>}, {@code
 * k8s.init_container.<name>.<field>}, {@code k8s.ephemeral_container.<name>.<field>}; fields
 * {@code image}, {@code ports} from the spec, {@code id}, {@code runtime}, {@code ready}, {@code
 * restart_count}, {@code state} from the status). A container name is a DNS label (no dots), so the
 * name ends at the first dot after the prefix. Env values, args and commands are not in the event
 * at all.
 */
final class PodContainers {
  private PodContainers() {}

  /** Where a container runs in its pod's life: an app container, an init or ephemeral one. */
  enum Role {
    APP("k8s.container."),
    INIT("k8s.init_container."),
    EPHEMERAL("k8s.ephemeral_container.");

    final String prefix;

    Role(String prefix) {
      this.prefix = prefix;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One container of one pod state, with the fields the pod gave for it. */
  record Container(String name, Role role, SortedMap<String, String> fields) {
    Optional<String> image() {
      return Optional.ofNullable(fields.get("image"));
    }

    /** The runtime's container id from the status, without its scheme. */
    Optional<String> runtimeId() {
      return Optional.ofNullable(fields.get("id"));
    }
  }

  static boolean isPod(ConfigPart c) {
    return c.objectKind().equals("Pod") && c.apiVersion().isPresent();
  }

  /** The containers of a Pod event in role then name order; empty for any other event. */
  static List<Container> of(Event e) {
    if (e.config().isEmpty() || !isPod(e.config().get())) {
      return List.of();
    }
    List<Container> out = new ArrayList<>();
    for (Role role : Role.values()) {
      Map<String, SortedMap<String, String>> byName = new LinkedHashMap<>();
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        String key = a.getKey();
        if (!key.startsWith(role.prefix)) {
          continue;
        }
        String rest = key.substring(role.prefix.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
          continue;
        }
        byName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>())
            .put(rest.substring(dot + 1), a.getValue());
      }
      byName.forEach((name, fields) -> out.add(new Container(name, role, fields)));
    }
    return out;
  }

  /**
   * An image reference split as OpenTelemetry names it: {@code container.image.name} without tag
   * or digest, {@code container.image.tags} the tag. {@code registry:5000/shop/app:1.2@sha256:...}
   * is name {@code registry:5000/shop/app}, tag {@code 1.2}; a colon before the last slash is a
   * registry port, not a tag.
   */
  static SortedMap<String, String> imageAttributes(String image) {
    SortedMap<String, String> out = new TreeMap<>();
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      out.put("container.image.tags", ref.substring(colon + 1));
      ref = ref.substring(0, colon);
    }
    out.put("container.image.name", ref);
    return out;
  }
}
