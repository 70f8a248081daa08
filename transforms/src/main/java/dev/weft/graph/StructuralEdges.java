package dev.weft.graph;

import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.EventKind;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import dev.weft.model.Wire;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Structural edges from configuration: the relations an object's state states ({@link
 * StatedRelations}: its references, named by the adapter, from the object to the target, and a
 * pod's containers {@code part-of} the pod) and {@code selects} from a Service to every Pod of its
 * namespace whose labels match its selector.
 *
 * <p>In: resolved events in the global window; only configuration events and inventory records
 * that state relations (they carry a {@link ConfigPart} with references) matter. An inventory
 * record is keyed by its own entity: it never selects, so it needs no namespace's company. Out: edge
 * observations ({@link EdgeState#present} at the time a state stated the relation, {@link
 * EdgeState#ended} at the deletion of either end), at the timestamp of the event that revealed them.
 *
 * <p>Order independence: every arriving state reports the relations it states, whatever its age,
 * so the earliest report (the edge's {@code validFrom}) does not depend on arrival order; a selector
 * match is reported at {@code max(earliest state of the service, earliest state of the pod)}, which
 * is computed exactly when the later of those two arrives. Deletions are remembered (the latest
 * write wins, by {@link WriteStamp}) so that a state arriving after its object's deletion still
 * reports the end. Limitation: a relation dropped by a later non-deleting write (a selector
 * changed) is not ended; Kubernetes owner references, node names and service accounts of a pod do
 * not change in place. In the same spirit a selector match is made by any selector a service
 * stated and any label set a pod stated (two snapshot files may describe one object differently,
 * with nothing to order them by), never by whichever state happened to arrive last.
 *
 * <p>Keyed by namespace (the scope of a selector), no timers; the state holds the latest and
 * earliest state per live object of the namespace, bounded by the inventory, not by the events.
 */
final class StructuralEdges
    extends PTransform<PCollection<ResolvedEvent>, PCollection<KV<String, EdgeState>>> {

  @Override
  public PCollection<KV<String, EdgeState>> expand(PCollection<ResolvedEvent> events) {
    return events
        .apply("ConfigByNamespace", FlatMapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(ResolvedEvent.class)))
            .via((ResolvedEvent r) -> r.event().config().isEmpty()
                ? List.<KV<String, ResolvedEvent>>of()
                : r.event().kind() == EventKind.CONFIG
                ? List.of(KV.of(EntityIds.namespaceKey(r.event().config().get()), r))
                : r.event().kind() == EventKind.INVENTORY
                ? List.of(KV.of(INVENTORY_KEY + r.subject(), r))
                : List.<KV<String, ResolvedEvent>>of()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ResolvedEventCoder.of()))
        .apply("RelationsAndSelectors", ParDo.of(new StructureFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EdgeState.Coder.INSTANCE));
  }

  /** Prefix of the key of an inventory record's entity (never a namespace: those have no '|'). */
  static final String INVENTORY_KEY = "inventory|";

  static boolean isPod(ConfigPart c) {
    return c.objectKind().equalsIgnoreCase("Pod");
  }

  static boolean selectsPods(ConfigPart c) {
    return c.objectKind().equalsIgnoreCase("Service") && !c.selector().isEmpty();
  }

  static boolean deletes(ResolvedEvent r) {
    return r.event().config().get().operation() == ConfigOperation.DELETED;
  }

  static WriteStamp stamp(ResolvedEvent r) {
    return new WriteStamp(r.event().eventTime().toEpochMilli(),
        r.event().config().get().version(), r.event().eventId());
  }

  /**
   * One selector (of a Service) or label set (of a Pod) an object has stated, with the earliest
   * time a live state stated it. Two files may describe one object differently (a snapshot has no
   * version to order them by): every variant is kept, so that which one arrives last never decides
   * an edge.
   */
  record Variant(SortedMap<String, String> values, long earliest) {}

  /**
   * What is remembered of one object: its latest write, latest live state, earliest live time and
   * the distinct selectors or label sets its live states stated (few: one per distinct state).
   */
  record ObjectRecord(Optional<ResolvedEvent> latest, Optional<ResolvedEvent> latestLive,
      long earliestLive, List<Variant> variants) {

    static ObjectRecord empty() {
      return new ObjectRecord(Optional.empty(), Optional.empty(), Long.MAX_VALUE, List.of());
    }

    ObjectRecord with(ResolvedEvent r) {
      Optional<ResolvedEvent> l = latest.isEmpty() || stamp(r).newerThan(stamp(latest.get()))
          ? Optional.of(r) : latest;
      Optional<ResolvedEvent> live = latestLive;
      long earliest = earliestLive;
      List<Variant> vs = variants;
      if (!deletes(r)) {
        if (live.isEmpty() || stamp(r).newerThan(stamp(live.get()))) {
          live = Optional.of(r);
        }
        long t = r.event().eventTime().toEpochMilli();
        earliest = Math.min(earliest, t);
        vs = withVariant(variants, matchedValues(r.event().config().get()), t);
      }
      return new ObjectRecord(l, live, earliest, vs);
    }

    Optional<Long> deletedAt() {
      return latest.filter(StructuralEdges::deletes)
          .map(r -> r.event().eventTime().toEpochMilli());
    }

    boolean hasLive() {
      return latestLive.isPresent();
    }

    ConfigPart live() {
      return latestLive.get().event().config().get();
    }
  }

  /** What a selector match reads of an object: a Service's selector, a Pod's labels. */
  static Optional<SortedMap<String, String>> matchedValues(ConfigPart c) {
    if (selectsPods(c)) {
      return Optional.of(c.selector());
    }
    return isPod(c) ? Optional.of(c.labels()) : Optional.empty();
  }

  private static List<Variant> withVariant(List<Variant> variants,
      Optional<SortedMap<String, String>> values, long t) {
    if (values.isEmpty()) {
      return variants;
    }
    List<Variant> out = new ArrayList<>();
    boolean known = false;
    for (Variant v : variants) {
      if (v.values().equals(values.get())) {
        known = true;
        out.add(new Variant(v.values(), Math.min(v.earliest(), t)));
      } else {
        out.add(v);
      }
    }
    if (!known) {
      out.add(new Variant(values.get(), t));
    }
    return List.copyOf(out);
  }

  static final class ObjectRecordCoder extends CustomCoder<ObjectRecord> {
    static final ObjectRecordCoder INSTANCE = new ObjectRecordCoder();

    @Override
    public void encode(ObjectRecord o, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      writeOpt(out, o.latest());
      writeOpt(out, o.latestLive());
      out.writeLong(o.earliestLive());
      out.writeInt(o.variants().size());
      for (Variant v : o.variants()) {
        Wire.writeMap(out, v.values());
        out.writeLong(v.earliest());
      }
      out.flush();
    }

    @Override
    public ObjectRecord decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      Optional<ResolvedEvent> latest = readOpt(in);
      Optional<ResolvedEvent> latestLive = readOpt(in);
      long earliestLive = in.readLong();
      int n = in.readInt();
      List<Variant> variants = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        variants.add(new Variant(Wire.readMap(in), in.readLong()));
      }
      return new ObjectRecord(latest, latestLive, earliestLive, List.copyOf(variants));
    }

    private static void writeOpt(DataOutputStream out, Optional<ResolvedEvent> r)
        throws IOException {
      out.writeBoolean(r.isPresent());
      if (r.isPresent()) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ResolvedEventCoder.of().encode(r.get(), b);
        Wire.writeBytes(out, b.toByteArray());
      }
    }

    private static Optional<ResolvedEvent> readOpt(DataInputStream in) throws IOException {
      return in.readBoolean()
          ? Optional.of(ResolvedEventCoder.of().decode(new ByteArrayInputStream(Wire.readBytes(in))))
          : Optional.empty();
    }

    @Override
    public void verifyDeterministic() {}
  }

  static final class StructureFn extends DoFn<KV<String, ResolvedEvent>, KV<String, EdgeState>> {
    private final Counter retractions = Metrics.counter(StructuralEdges.class,
        "retractionsIgnored");

    @StateId("objects")
    private final StateSpec<MapState<String, ObjectRecord>> objectsSpec =
        StateSpecs.map(StringUtf8Coder.of(), ObjectRecordCoder.INSTANCE);

    @StateId("selectors")
    private final StateSpec<MapState<String, Boolean>> selectorsSpec =
        StateSpecs.map(StringUtf8Coder.of(), BooleanCoder.of());

    @StateId("pods")
    private final StateSpec<MapState<String, Boolean>> podsSpec =
        StateSpecs.map(StringUtf8Coder.of(), BooleanCoder.of());

    @ProcessElement
    public void process(@Element KV<String, ResolvedEvent> element,
        @StateId("objects") MapState<String, ObjectRecord> objects,
        @StateId("selectors") MapState<String, Boolean> selectors,
        @StateId("pods") MapState<String, Boolean> pods,
        OutputReceiver<KV<String, EdgeState>> out) {
      ResolvedEvent r = element.getValue();
      if (r.retraction()) {
        retractions.inc();
        return;
      }
      ConfigPart c = r.event().config().get();
      String id = r.event().kind() == EventKind.INVENTORY ? r.subject() : EntityIds.configObject(c);
      long t = r.event().eventTime().toEpochMilli();
      ObjectRecord before = objects.get(id).read();
      ObjectRecord now = (before == null ? ObjectRecord.empty() : before).with(r);
      objects.put(id, now);

      // Relations stated by references: this state's, and the end of all of them when deleted.
      Map<String, EdgeState> emit = new LinkedHashMap<>();
      if (!deletes(r)) {
        for (StatedRelations.Relation rel : StatedRelations.of(r)) {
          EdgeState e = EdgeState.present(rel.relation(), rel.from(), rel.to(), t);
          emit.merge(e.key(), e, EdgeState::merge);
        }
      }
      Optional<Long> deletedAt = now.deletedAt();
      if (deletedAt.isPresent()) {
        List<ResolvedEvent> states = new ArrayList<>(List.of(r));
        now.latestLive().ifPresent(states::add);
        for (ResolvedEvent s : states) {
          for (StatedRelations.Relation rel : StatedRelations.of(s)) {
            EdgeState e = EdgeState.ended(rel.relation(), rel.from(), rel.to(), deletedAt.get());
            emit.merge(e.key(), e, EdgeState::merge);
          }
        }
      }

      // Selectors: index the object, then match it against the other side.
      boolean k8s = r.event().kind() == EventKind.CONFIG;
      if (k8s && now.hasLive() && c.objectKind().equalsIgnoreCase("Service")
          && !now.variants().isEmpty()) {
        selectors.put(id, true);
        for (String pod : keys(pods)) {
          match(id, now, pod, objects.get(pod).read(), emit);
        }
      }
      if (k8s && now.hasLive() && isPod(c)) {
        pods.put(id, true);
        for (String service : keys(selectors)) {
          match(service, objects.get(service).read(), id, now, emit);
        }
      }
      for (EdgeState e : emit.values()) {
        out.output(KV.of(e.key(), e));
      }
    }

    private static List<String> keys(MapState<String, Boolean> index) {
      List<String> keys = new ArrayList<>();
      index.keys().read().forEach(keys::add);
      return keys;
    }

    /**
     * A service selects a pod when any selector it stated matches any label set the pod stated;
     * valid from the earliest time both of such a pair were stated. Every pair is compared when
     * the later of its two states arrives, so the result does not depend on arrival order.
     */
    private static void match(String serviceId, ObjectRecord service, String podId,
        ObjectRecord pod, Map<String, EdgeState> emit) {
      if (service == null || pod == null || !service.hasLive() || !pod.hasLive()) {
        return;
      }
      long from = Long.MAX_VALUE;
      for (Variant selector : service.variants()) {
        for (Variant labels : pod.variants()) {
          if (matches(selector.values(), labels.values())) {
            from = Math.min(from, Math.max(selector.earliest(), labels.earliest()));
          }
        }
      }
      if (from == Long.MAX_VALUE) {
        return;
      }
      EdgeState e = EdgeState.present("selects", serviceId, podId, from);
      Optional<Long> end = min(service.deletedAt(), pod.deletedAt());
      end.ifPresent(d -> e.merge(EdgeState.ended("selects", serviceId, podId, d)));
      emit.merge(e.key(), e, EdgeState::merge);
    }

    static boolean matches(SortedMap<String, String> selector, SortedMap<String, String> labels) {
      return !selector.isEmpty() && selector.entrySet().stream()
          .allMatch(s -> s.getValue().equals(labels.get(s.getKey())));
    }

    private static Optional<Long> min(Optional<Long> a, Optional<Long> b) {
      if (a.isPresent() && b.isPresent()) {
        return Optional.of(Math.min(a.get(), b.get()));
      }
      return a.isPresent() ? a : b;
    }
  }
}
