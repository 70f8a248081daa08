package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Stage 2 for bounded input, one call per blocking key after a {@code GroupByKey}:
 * every alias the whole input teaches under a key is learned first, in a fixed order, and only
 * then is each weak query of that key decided against the complete timeline. Nothing depends on
 * the order in which the runner delivered the key's elements, so no decision is ever revised
 * (every binding has revision 0) and Direct, Flink and Spark agree.
 *
 * <p>Types with {@code teach: all} (people) learn from their own weak decisions, which is
 * inherently sequential: their queries are decided in (event time, event id) order against the
 * strong timeline plus what earlier decisions of the block taught. That order is a property of
 * the data, not of the runner.
 *
 * <p>Memory: the aliases of the key (small: one per strongly bound sighting) and the queries of
 * {@code teach: all} types are held while the key is processed; other queries are streamed.
 */
final class ResolveBlocksInBatchFn extends DoFn<KV<String, Iterable<byte[]>>, Binding> {
  /** Learning order: event time first, then a total order on everything else an alias holds. */
  static final Comparator<Alias> TEACHING_ORDER = Comparator.comparing(Alias::from)
      .thenComparing(Alias::entityId)
      .thenComparing(Alias::last)
      .thenComparing(a -> a.until().map(Object::toString).orElse(""))
      .thenComparing(a -> a.values().toString());

  /**
   * Decision order of self-teaching types: event time, then event id, then type. Records whose
   * time is a fallback (a file's modification time) come first, by event id, so that file times
   * never change the order.
   */
  static final Comparator<BlockMessage> QUERY_ORDER = Comparator
      .comparing((BlockMessage m) -> IdentityResolver.orderTime(m.event().get()))
      .thenComparing(m -> m.event().get().eventId())
      .thenComparing(m -> m.query().get().type());

  private final IdentityResolver resolver;
  private final Counter sequential =
      Metrics.counter(ResolveIdentity.class, "batch-queries-decided-in-event-time-order");

  ResolveBlocksInBatchFn(IdentityResolver resolver) {
    this.resolver = resolver;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<byte[]>> block,
      OutputReceiver<Binding> out) {
    // Phase 1: the complete alias timeline of the blocking key (the group is one key, so no
    // message needs its key again). The group is read once (Flink's batch runner does not
    // re-iterate a large group): queries wait in memory.
    List<Alias> sightings = new ArrayList<>();
    List<BlockMessage> queryMessages = new ArrayList<>();
    for (byte[] encoded : block.getValue()) {
      BlockMessage m = Encoded.value(BlockMessage.Coder.INSTANCE, encoded);
      if (m.teach().isPresent()) {
        sightings.add(m.teach().get());
      } else {
        queryMessages.add(m);
      }
    }
    sightings.sort(TEACHING_ORDER);
    List<Alias> timeline = List.of();
    for (Alias a : sightings) {
      timeline = resolver.learn(timeline, a);
    }
    sightings.clear();

    // Phase 2: every query against the complete timeline.
    List<BlockMessage> selfTeaching = new ArrayList<>();
    for (BlockMessage m : queryMessages) {
      IdentityResolver.WeakQuery q = m.query().get();
      if (resolver.policy().type(q.type()).orElseThrow().teachFromAll()) {
        selfTeaching.add(m);
        continue;
      }
      emit(out, resolver.decideWeak(m.event().get(), q, timeline, 0));
    }
    selfTeaching.sort(QUERY_ORDER);
    for (BlockMessage m : selfTeaching) {
      Event event = m.event().get();
      Binding b = resolver.decideWeak(event, m.query().get(), timeline, 0);
      emit(out, b);
      for (Alias learned : resolver.teaching(event, b)) {
        timeline = resolver.learn(timeline, learned);
      }
      sequential.inc();
    }
  }

  /** A binding is emitted at its event's time, never at the grouping's time. */
  private static void emit(OutputReceiver<Binding> out, Binding b) {
    out.outputWithTimestamp(b, ResolveWithinBlockFn.toJoda(b.eventTime()));
  }
}
