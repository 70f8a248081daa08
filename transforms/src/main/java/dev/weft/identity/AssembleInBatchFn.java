package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Stage 3 for bounded input, one call per group of event ids after a {@code GroupByKey}: each
 * event's plan (strong bindings) joined with its weak bindings and emitted once, at the event's
 * time. Batch decisions are never revised, so there is nothing to retract; a redelivered plan is
 * ignored and counted, as in the streaming assembler ({@link AssembleResolvedEventFn}).
 */
final class AssembleInBatchFn extends DoFn<KV<Integer, Iterable<byte[]>>, ResolvedEvent> {
  private final IdentityResolver resolver;
  private final Counter duplicatePlans =
      Metrics.counter(ResolveIdentity.class, "duplicate-events-ignored");
  private final Counter incomplete =
      Metrics.counter(ResolveIdentity.class, "batch-resolutions-incomplete");

  AssembleInBatchFn(IdentityResolver resolver) {
    this.resolver = resolver;
  }

  /** One event's messages: its plan and its weak bindings, latest revision per entity type. */
  private static final class Joined {
    AssemblyMessage plan;
    final TreeMap<String, Binding> weak = new TreeMap<>();
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<byte[]>> group,
      OutputReceiver<ResolvedEvent> out) {
    Map<String, Joined> events = new HashMap<>();
    for (byte[] encoded : group.getValue()) {
      AssemblyMessage m = Encoded.value(AssemblyMessage.Coder.INSTANCE, encoded);
      Joined j = events.computeIfAbsent(m.eventId(), id -> new Joined());
      if (m.event().isPresent()) {
        if (j.plan != null) {
          duplicatePlans.inc();
        } else {
          j.plan = m;
        }
      } else {
        Binding b = m.weak().get();
        j.weak.merge(b.entityType(), b, (was, now) -> now.revision() > was.revision() ? now : was);
      }
    }
    for (Joined j : events.values()) {
      if (j.plan == null || !j.plan.expected().stream().allMatch(j.weak::containsKey)) {
        // Cannot happen on bounded input (every query is decided once); counted, never silent.
        incomplete.inc();
        continue;
      }
      Event event = j.plan.event().get();
      List<Binding> all = new ArrayList<>(j.plan.strong());
      all.addAll(j.weak.values());
      out.outputWithTimestamp(resolver.assemble(event, all, 0, false),
          ResolveWithinBlockFn.toJoda(event.eventTime()));
    }
  }
}
