package dev.weft.overload;

import dev.weft.model.Event;
import java.util.List;

/**
 * The emitter of an event, the unit an overload budget is counted for: the first identity signal
 * it carries among a service, a host, a pod; else its source (format and resource). Known before
 * identity resolution, so a storm is bounded before the costly stages.
 */
final class Emitter {
  static final List<String> SIGNALS =
      List.of("service.name", "host.name", "host.ip", "k8s.pod.name", "k8s.pod.uid");

  private Emitter() {}

  static String of(Event e) {
    for (String s : SIGNALS) {
      String v = e.signals().get(s);
      if (v != null && !v.isEmpty()) {
        return s + "=" + v;
      }
    }
    return "source=" + e.origin().format() + "/" + e.origin().resource();
  }
}
