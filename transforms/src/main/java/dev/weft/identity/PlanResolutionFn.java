package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Stage 1, stateless: strong rules bind here; events needing no lookup leave resolved at once;
 * weak queries and the aliases strong bindings teach go to the shard of their blocking key; the
 * event's plan goes to the shard that will assemble it.
 */
final class PlanResolutionFn extends DoFn<Event, ResolvedEvent> {
  static final TupleTag<ResolvedEvent> RESOLVED = new TupleTag<>("resolved") {};
  static final TupleTag<Binding> BINDINGS = new TupleTag<>("strong-bindings") {};
  static final TupleTag<KV<Integer, BlockMessage>> TO_BLOCKS = new TupleTag<>("to-blocks") {};
  static final TupleTag<KV<Integer, AssemblyMessage>> TO_ASSEMBLY =
      new TupleTag<>("to-assembly") {};

  private final IdentityResolver resolver;
  private final int shards;
  private final Counter strongOnly = Metrics.counter(ResolveIdentity.class, "events-strong-only");
  private final Counter needLookup = Metrics.counter(ResolveIdentity.class, "events-need-lookup");
  private final Counter anonymous = Metrics.counter(ResolveIdentity.class, "events-no-signal");

  PlanResolutionFn(IdentityResolver resolver, int shards) {
    this.resolver = resolver;
    this.shards = shards;
  }

  @ProcessElement
  public void process(@Element Event event, MultiOutputReceiver out) {
    IdentityResolver.Plan plan = resolver.plan(event);
    List<Binding> bindings = plan.bindings();
    if (bindings.isEmpty() && plan.queries().isEmpty()) {
      anonymous.inc();
      bindings = List.of(resolver.sourceBinding(event));
    }
    bindings.forEach(out.get(BINDINGS)::output);
    for (Alias a : plan.teachings()) {
      BlockMessage m = BlockMessage.teach(a);
      out.get(TO_BLOCKS).output(KV.of(ResolveIdentity.shardOf(m.stateKey(resolver), shards), m));
    }
    if (plan.queries().isEmpty()) {
      strongOnly.inc();
      out.get(RESOLVED).output(resolver.assemble(event, bindings, 0, false));
      return;
    }
    needLookup.inc();
    Event view = IdentityResolver.queryView(event);
    for (IdentityResolver.WeakQuery q : plan.queries()) {
      out.get(TO_BLOCKS).output(KV.of(ResolveIdentity.shardOf(q.type() + "|" + q.blockKey(),
          shards), BlockMessage.query(view, q)));
    }
    out.get(TO_ASSEMBLY).output(KV.of(ResolveIdentity.shardOf(event.eventId(), shards),
        AssemblyMessage.plan(event, bindings,
            plan.queries().stream().map(IdentityResolver.WeakQuery::type).toList())));
  }
}
