package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.ResolvedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;

/**
 * Stage 3, keyed by shard of event id: joins an event's plan (its strong bindings) with its weak
 * bindings and emits the resolved event when all are in. A later revision of a weak binding that
 * changes an entity emits the earlier resolution again as a retraction, then the corrected one
 * with revision + 1. Entries are kept for twice the lateness bound (the weak stage may revise a
 * decision up to one bound after its shard's clock passed it), pruned against this shard's clock.
 */
final class AssembleResolvedEventFn extends DoFn<KV<Integer, AssemblyMessage>, ResolvedEvent> {
  private final IdentityResolver resolver;
  private final java.time.Duration retention;
  private final boolean expire;
  private final int maxEntries;

  /** How many events {@code events} holds (map state has no size), kept on a stream only. */
  @StateId("size")
  private final StateSpec<ValueState<Integer>> sizeSpec =
      StateSpecs.value(org.apache.beam.sdk.coders.VarIntCoder.of());

  private final Counter evicted =
      Metrics.counter(ResolveIdentity.class, "assembly-evicted-over-cap");

  @StateId("events")
  private final StateSpec<MapState<String, AssemblyState>> eventsSpec =
      StateSpecs.map(StringUtf8Coder.of(), AssemblyState.Coder.INSTANCE);

  @StateId("clock")
  private final StateSpec<ValueState<org.joda.time.Instant>> clockSpec =
      StateSpecs.value(InstantCoder.of());

  @StateId("swept")
  private final StateSpec<ValueState<org.joda.time.Instant>> sweptSpec =
      StateSpecs.value(InstantCoder.of());

  private final Counter revisions = Metrics.counter(ResolveIdentity.class, "revisions-emitted");
  private final Counter orphanRevisions =
      Metrics.counter(ResolveIdentity.class, "revisions-after-retention-dropped");
  private final Counter duplicatePlans =
      Metrics.counter(ResolveIdentity.class, "duplicate-events-ignored");

  /**
   * @param expire false for bounded input, where nothing is late and nothing expires
   * @param maxEntries events a shard holds at most on a stream: beyond it the oldest resolved
   *     ones are forgotten (counted {@code assembly-evicted-over-cap}; a later revision of theirs
   *     is counted {@code revisions-after-retention-dropped}); one still waiting for a binding is
   *     never forgotten, its binding is certain to come
   */
  AssembleResolvedEventFn(IdentityResolver resolver, java.time.Duration lateness, boolean expire,
      int maxEntries) {
    this.resolver = resolver;
    this.maxEntries = maxEntries;
    this.retention = lateness.multipliedBy(2);
    this.expire = expire;
  }

  @ProcessElement
  public void process(@Element KV<Integer, AssemblyMessage> element,
      @Timestamp org.joda.time.Instant timestamp,
      @StateId("events") MapState<String, AssemblyState> events,
      @StateId("clock") ValueState<org.joda.time.Instant> clockState,
      @StateId("swept") ValueState<org.joda.time.Instant> sweptState,
      @StateId("size") ValueState<Integer> sizeState,
      OutputReceiver<ResolvedEvent> out) {
    org.joda.time.Instant clock = clockState.read();
    if (clock == null || timestamp.isAfter(clock)) {
      clock = timestamp;
      clockState.write(clock);
    }
    AssemblyMessage m = element.getValue();
    String id = m.eventId();
    AssemblyState before = events.get(id).read();
    boolean added = before == null;
    if (before == null) {
      if (m.weak().isPresent() && m.weak().get().revision() > 0) {
        // The event's resolution already left retention: its revision can no longer be joined.
        orphanRevisions.inc();
        return;
      }
      before = AssemblyState.empty();
    }
    AssemblyState after;
    if (m.event().isPresent()) {
      if (before.event().isPresent()) {
        duplicatePlans.inc();
        return;
      }
      after = new AssemblyState(m.event(), m.strong(), m.expected(), before.weak(),
          before.emitted());
    } else {
      Binding b = m.weak().get();
      List<Binding> weak = new ArrayList<>();
      boolean stale = false;
      for (Binding w : before.weak()) {
        if (w.entityType().equals(b.entityType())) {
          stale = w.revision() >= b.revision();
          weak.add(stale ? w : b);
        } else {
          weak.add(w);
        }
      }
      if (stale) {
        return;
      }
      if (weak.stream().noneMatch(w -> w.entityType().equals(b.entityType()))) {
        weak.add(b);
      }
      after = new AssemblyState(before.event(), before.strong(), before.expected(), weak,
          before.emitted());
    }
    if (after.complete()) {
      ResolvedEvent now = assemble(after, after.emitted() + 1, false);
      if (before.emitted() < 0) {
        out.output(now);
        after = withEmitted(after, 0);
      } else {
        ResolvedEvent was = assemble(before, before.emitted(), true);
        if (!was.entities().equals(now.entities())) {
          revisions.inc();
          out.output(was);
          out.output(now);
          after = withEmitted(after, before.emitted() + 1);
        }
      }
    }
    events.put(id, after);
    if (expire) {
      Integer sizeRead = sizeState.read();
      int size = (sizeRead == null ? 0 : sizeRead) + (added ? 1 : 0);
      if (size > maxEntries) {
        size -= evictOldestResolved(events, size - (maxEntries - maxEntries / 10));
      }
      sizeState.write(size - sweep(events, sweptState, clock));
    }
  }

  /** Forgets the {@code n} oldest resolved events (by event time) at once; returns how many. */
  private int evictOldestResolved(MapState<String, AssemblyState> events, int n) {
    java.util.PriorityQueue<Map.Entry<String, Instant>> newestOnTop = new java.util.PriorityQueue<>(
        Map.Entry.<String, Instant>comparingByValue().reversed());
    for (Map.Entry<String, AssemblyState> e : events.entries().read()) {
      AssemblyState s = e.getValue();
      if (!s.complete() || s.emitted() < 0) {
        continue;
      }
      newestOnTop.add(Map.entry(e.getKey(), timeOf(s)));
      if (newestOnTop.size() > n) {
        newestOnTop.poll();
      }
    }
    int removed = newestOnTop.size();
    newestOnTop.forEach(e -> events.remove(e.getKey()));
    evicted.inc(removed);
    return removed;
  }

  private static Instant timeOf(AssemblyState s) {
    return s.event().map(ev -> ev.eventTime()).orElseGet(() -> s.weak().get(0).eventTime());
  }

  private ResolvedEvent assemble(AssemblyState s, int revision, boolean retraction) {
    List<Binding> all = new ArrayList<>(s.strong());
    all.addAll(s.weak());
    return resolver.assemble(s.event().get(), all, revision, retraction);
  }

  private static AssemblyState withEmitted(AssemblyState s, int emitted) {
    return new AssemblyState(s.event(), s.strong(), s.expected(), s.weak(), emitted);
  }

  /** Forgets the resolved events past retention; returns how many. */
  private int sweep(MapState<String, AssemblyState> events,
      ValueState<org.joda.time.Instant> sweptState, org.joda.time.Instant clock) {
    org.joda.time.Instant swept = sweptState.read();
    Duration period = Duration.millis(retention.toMillis() / 2);
    if (swept != null && clock.isBefore(swept.plus(period))) {
      return 0;
    }
    sweptState.write(clock);
    Instant horizon = Instant.ofEpochMilli(clock.getMillis()).minus(retention);
    List<String> old = new ArrayList<>();
    for (Map.Entry<String, AssemblyState> e : events.entries().read()) {
      AssemblyState s = e.getValue();
      if (!s.complete() || s.emitted() < 0) {
        // Still waiting for a binding that is certain to come: dropping it would lose the event.
        continue;
      }
      if (timeOf(s).isBefore(horizon)) {
        old.add(e.getKey());
      }
    }
    old.forEach(events::remove);
    return old.size();
  }
}
