package dev.weft.identity;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Hand-made events for identity tests. */
final class Events {
  static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  private Events() {}

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  /** A log event with the given signals, as {@code name, value, name, value, ...}. */
  static Event log(String id, long seconds, String... signals) {
    Event.Builder b = Event.builder().eventId(id, IdKind.SOURCE_ID)
        .origin(Origin.file("test", "hand-made")).kind(EventKind.LOG)
        .eventTime(at(seconds), TimeQuality.SOURCE).observedTime(at(seconds));
    for (int i = 0; i < signals.length; i += 2) {
      b.signal(signals[i], signals[i + 1]);
    }
    return b.build();
  }

  /** A Kubernetes Pod object as the k8s adapter would give it. */
  static Event pod(String id, long seconds, ConfigOperation op, String namespace, String name,
      String uid, String ip) {
    ConfigPart part = new ConfigPart("Pod", Optional.of("v1"), op, Optional.empty(),
        Optional.empty(), name, Optional.of(namespace), Optional.of(uid), new TreeMap<>(),
        new TreeMap<>(), List.of());
    return Event.builder().eventId(id, IdKind.SOURCE_ID).origin(Origin.file("kubernetes", "pods"))
        .eventTime(at(seconds), TimeQuality.SOURCE).observedTime(at(seconds)).config(part)
        .signals(Map.of("k8s.namespace.name", namespace, "k8s.pod.name", name, "k8s.pod.uid", uid,
            "k8s.pod.ip", ip))
        .build();
  }
}
