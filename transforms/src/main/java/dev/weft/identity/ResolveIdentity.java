package dev.weft.identity;

import dev.weft.model.Binding;
import dev.weft.model.BindingCoder;
import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.ResolvedEventCoder;
import java.time.Duration;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Resolves the identity of every event under an {@link IdentityPolicy}.
 *
 * <p>In: {@code PCollection<Event>}, element timestamps = event time, any windowing (the transform
 * re-windows into the global window, because aliases must outlive any window). Out: {@link
 * ResolvedIdentity}: every event once as a {@link ResolvedEvent} (entities by type, subject), plus
 * one {@link Binding} per decision and entity type, both in the global window at the event's time.
 *
 * <p>Three stages, no global state and no side input: (1) stateless: strong rules bind; events
 * needing no lookup leave at once; (2) keyed by {@code hash(type|blocking key) mod shards}: aliases
 * learned and weak queries decided against the aliases valid at the event's time; (3) keyed by
 * {@code hash(eventId) mod shards}: an event's strong and weak bindings joined into its resolved
 * event. State is sharded into a bounded number of keys (the Direct runner is superlinear in the
 * number of keys) and pruned against each shard's event-time clock, so no event-time timer is used
 * (the Spark classic runner rejects them in streaming).
 *
 * <p>Lateness: a strongly identified event that arrives up to {@code allowedLateness} after a weak
 * decision it would have changed re-binds that decision: the binding is emitted again with
 * revision + 1, and the resolved event is emitted as a retraction of its earlier resolution
 * followed by the corrected one. Older decisions are no longer kept and are not revised.
 *
 * <p>Bounded input (batch) is resolved in two phases instead of stage 2's state: teachings and
 * queries are grouped by their {@code type|blocking key}, every alias of a key is learned (in
 * event-time order) before any query of that key is decided, and each query is decided once
 * against the complete timeline. So a batch run never re-binds, retracts or emits a revision above
 * 0, and its result does not depend on arrival order: the same input gives the same bindings on
 * every runner. {@code teach: all} types (people) learn from their own decisions; their queries
 * are decided in (event time, event id) order. Stage 3 is a grouping per event id that only joins
 * (a bounded run keeps every event to its end, so per-shard state would gain nothing; and the
 * Direct runner copies a key's whole state per bundle). Unbounded input expires decisions and
 * aliases at the lateness bound behind each shard's clock; an incomplete resolution is never
 * expired (its missing binding is certain to come), and a revision that arrives after its event
 * left retention is dropped and counted ({@code revisions-after-retention-dropped}).
 *
 * <p>Duplicates: {@code Deduplicate} runs before; a duplicate that still arrives yields the same
 * bindings again (same upsert key and revision, so upserting consumers are unaffected); for events
 * needing a lookup, stage 3 emits its resolved event only once.
 */
public final class ResolveIdentity extends PTransform<PCollection<Event>, ResolvedIdentity> {
  private final IdentityPolicy policy;
  private final Duration allowedLateness;
  private final int shards;
  private int pendingCap = ResolveWithinBlockFn.MAX_PENDING_PER_KEY;
  private int assemblyCap = MAX_ASSEMBLY_PER_SHARD;

  /** Events an assembly shard holds at most on a stream (see {@link #withAssemblyCap}). */
  public static final int MAX_ASSEMBLY_PER_SHARD = 200_000;

  /**
   * The same resolution, keeping at most {@code cap} decisions per blocking key open for a late
   * re-binding on a stream (default {@value ResolveWithinBlockFn#MAX_PENDING_PER_KEY}); the oldest
   * beyond it keep their decision and are counted {@code pending-over-cap-not-rebindable}.
   */
  public ResolveIdentity withPendingCap(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("the pending cap must be at least 1, not " + cap);
    }
    ResolveIdentity copy = new ResolveIdentity(policy, allowedLateness, shards);
    copy.pendingCap = cap;
    copy.assemblyCap = assemblyCap;
    return copy;
  }

  /**
   * The same resolution, holding at most {@code cap} events per assembly shard on a stream; beyond
   * it the oldest resolved ones are forgotten (counted {@code assembly-evicted-over-cap}) and can no
   * longer be revised (a revision for one is counted {@code revisions-after-retention-dropped}).
   */
  public ResolveIdentity withAssemblyCap(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("the assembly cap must be at least 1, not " + cap);
    }
    ResolveIdentity copy = withPendingCap(pendingCap);
    copy.assemblyCap = cap;
    return copy;
  }

  public ResolveIdentity(IdentityPolicy policy, Duration allowedLateness, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, not " + shards);
    }
    if (allowedLateness.isNegative()) {
      throw new IllegalArgumentException("allowedLateness cannot be negative");
    }
    this.policy = policy;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  @Override
  public ResolvedIdentity expand(PCollection<Event> events) {
    IdentityResolver resolver = new IdentityResolver(policy);
    boolean expire = events.isBounded() == PCollection.IsBounded.UNBOUNDED;
    PCollectionTuple planned = events
        .apply("IntoGlobalWindow", Window.<Event>into(new GlobalWindows()))
        .apply("BindStrongAndPlan", ParDo.of(new PlanResolutionFn(resolver, shards))
            .withOutputTags(PlanResolutionFn.RESOLVED, TupleTagList.of(PlanResolutionFn.BINDINGS)
                .and(PlanResolutionFn.TO_BLOCKS).and(PlanResolutionFn.TO_ASSEMBLY)));
    planned.get(PlanResolutionFn.RESOLVED).setCoder(ResolvedEventCoder.of());
    planned.get(PlanResolutionFn.BINDINGS).setCoder(BindingCoder.of());
    planned.get(PlanResolutionFn.TO_BLOCKS)
        .setCoder(KvCoder.of(VarIntCoder.of(), BlockMessage.Coder.INSTANCE));
    planned.get(PlanResolutionFn.TO_ASSEMBLY)
        .setCoder(KvCoder.of(VarIntCoder.of(), AssemblyMessage.Coder.INSTANCE));

    PCollection<Binding> weak = expire
        ? planned.get(PlanResolutionFn.TO_BLOCKS)
            .apply("DecideWithinBlock",
                ParDo.of(new ResolveWithinBlockFn(resolver, allowedLateness, expire, pendingCap)))
            .setCoder(BindingCoder.of())
        : decideInBatch(resolver, planned.get(PlanResolutionFn.TO_BLOCKS));

    PCollection<KV<Integer, AssemblyMessage>> weakToAssembly = weak
        .apply("RouteToAssembly", ParDo.of(new RouteBindingFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), AssemblyMessage.Coder.INSTANCE));
    PCollection<KV<Integer, AssemblyMessage>> toAssembly = PCollectionList
        .of(planned.get(PlanResolutionFn.TO_ASSEMBLY)).and(weakToAssembly)
        .apply("JoinPlansAndWeakBindings", Flatten.pCollections());
    PCollection<ResolvedEvent> assembled = expire
        ? toAssembly
            .apply("AssembleResolvedEvents",
                ParDo.of(new AssembleResolvedEventFn(resolver, allowedLateness, expire, assemblyCap)))
            .setCoder(ResolvedEventCoder.of())
        : assembleInBatch(resolver, toAssembly);

    PCollection<ResolvedEvent> resolved = PCollectionList
        .of(planned.get(PlanResolutionFn.RESOLVED)).and(assembled)
        .apply("AllResolvedEvents", Flatten.pCollections());
    PCollection<Binding> bindings = PCollectionList
        .of(planned.get(PlanResolutionFn.BINDINGS)).and(weak)
        .apply("AllBindings", Flatten.pCollections());
    return new ResolvedIdentity(resolved, bindings);
  }

  /**
   * Bounded input: teachings and queries meet per shard of blocking key in one grouping, so every
   * query is decided against the complete alias timeline of its key (two phases inside {@link
   * ResolveBlocksInBatchFn}), whatever order the runner delivers elements in. The grouping keeps
   * the earliest element time, so bindings can be emitted at their own event times.
   */
  private static PCollection<Binding> decideInBatch(IdentityResolver resolver,
      PCollection<KV<Integer, BlockMessage>> toBlocks) {
    // Grouped by the blocking key itself, not by its shard: smaller groups. Values travel as bytes
    // (see Encoded): one host address is the blocking key of thousands of spans.
    PCollection<KV<String, byte[]>> earliest = toBlocks
        .apply("KeyByBlockingKey", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(byte[].class)))
            .via((KV<Integer, BlockMessage> m) -> KV.of(m.getValue().stateKey(resolver),
                Encoded.bytes(BlockMessage.Coder.INSTANCE, m.getValue()))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
        .apply("KeepEarliestTime", Window.<KV<String, byte[]>>into(new GlobalWindows())
            .withTimestampCombiner(TimestampCombiner.EARLIEST));
    // One grouping read in one pass (teachings first into memory, queries kept aside): a
    // CoGroupByKey read tag by tag re-iterates the group, which Flink's batch runner refuses.
    return earliest
        .apply("GroupByBlockingKey", GroupByKey.create())
        .apply("DecideAgainstCompleteTimelines", ParDo.of(new ResolveBlocksInBatchFn(resolver)))
        .setCoder(BindingCoder.of());
  }

  /**
   * Bounded input: an event's plan and weak bindings meet in one grouping, keyed by a finer shard
   * of the event id ({@link #BATCH_ASSEMBLY_GROUPS_PER_SHARD} per identity shard): few keys,
   * because the Direct runner's cost grows with the number of keys holding state, and small
   * groups, because a bounded run keeps every event to its end and a group is held in memory while
   * it is joined. Messages travel as bytes (see {@link Encoded}). The grouping keeps the earliest
   * element time; each resolved event leaves at its own event time.
   */
  private PCollection<ResolvedEvent> assembleInBatch(IdentityResolver resolver,
      PCollection<KV<Integer, AssemblyMessage>> toAssembly) {
    int groups = shards * BATCH_ASSEMBLY_GROUPS_PER_SHARD;
    return toAssembly
        .apply("KeyByEventShard", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.integers(),
                TypeDescriptor.of(byte[].class)))
            .via((KV<Integer, AssemblyMessage> m) -> KV.of(
                shardOf(m.getValue().eventId(), groups),
                Encoded.bytes(AssemblyMessage.Coder.INSTANCE, m.getValue()))))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply("KeepEventTime", Window.<KV<Integer, byte[]>>into(new GlobalWindows())
            .withTimestampCombiner(TimestampCombiner.EARLIEST))
        .apply("GroupByEventShard", GroupByKey.create())
        .apply("AssembleResolvedEvents", ParDo.of(new AssembleInBatchFn(resolver)))
        .setCoder(ResolvedEventCoder.of());
  }

  /** Bounded assembly groups per identity shard (see {@link #assembleInBatch}). */
  static final int BATCH_ASSEMBLY_GROUPS_PER_SHARD = 16;

  /** A stable shard in [0, shards): String.hashCode is specified, so every worker agrees. */
  static int shardOf(String key, int shards) {
    return Math.floorMod(key.hashCode(), shards);
  }

  /** Sends a weak binding to the shard assembling its event. */
  static final class RouteBindingFn
      extends org.apache.beam.sdk.transforms.DoFn<Binding, KV<Integer, AssemblyMessage>> {
    private final int shards;

    RouteBindingFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Binding b, OutputReceiver<KV<Integer, AssemblyMessage>> out) {
      out.output(KV.of(shardOf(b.eventId(), shards), AssemblyMessage.weak(b)));
    }
  }
}
