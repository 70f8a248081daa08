package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A STAND-IN for identity resolution ({@code ResolveIdentity}) until it lands: it names entities
 * straight from an event's signals with {@link EntityIds} and applies no policy, no confidence and
 * no merging of aliases. Every event gets revision 0 and no retraction.
 *
 * <p>In: unique events. Out: one {@link ResolvedEvent} per event (same timestamp), with {@code
 * entities} from the signals and the configuration object, and {@code subject}:
 *
 * <ul>
 *   <li>CONFIG: the object itself ({@code k8s.pod:ns/name}, ...);
 *   <li>SPAN: the service, else the pod, else the host;
 *   <li>LOG and others: the most specific of pod, service, host;
 *   <li>nothing named: {@code source:<format>}, so every event has a subject and nothing is lost.
 * </ul>
 */
public final class KeyBySignals extends PTransform<PCollection<Event>, PCollection<ResolvedEvent>> {

  @Override
  public PCollection<ResolvedEvent> expand(PCollection<Event> events) {
    return events
        .apply("ResolveBySignals", MapElements.into(TypeDescriptor.of(ResolvedEvent.class))
            .via(KeyBySignals::resolve))
        .setCoder(ResolvedEventCoder.of());
  }

  /** The resolution of one event; pure. */
  public static ResolvedEvent resolve(Event e) {
    SortedMap<String, String> entities = new TreeMap<>();
    EntityIds.fromSignals(e, entities);
    String subject = null;
    if (e.kind() == EventKind.CONFIG && e.config().isPresent()) {
      String id = EntityIds.configObject(e.config().get());
      entities.put(EntityIds.type(id), id);
      subject = id;
    } else {
      List<String> preference = e.kind() == EventKind.SPAN
          ? List.of("service", "k8s.pod", "host")
          : List.of("k8s.pod", "service", "host");
      for (String type : preference) {
        if (entities.containsKey(type)) {
          subject = entities.get(type);
          break;
        }
      }
    }
    if (subject == null) {
      subject = "source:" + e.format();
      entities.put("source", subject);
    }
    return new ResolvedEvent(e, subject, entities, 0, false);
  }
}
