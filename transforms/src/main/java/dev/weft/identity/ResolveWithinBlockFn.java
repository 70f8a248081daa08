package dev.weft.identity;

import dev.weft.identity.BlockState.Pending;
import dev.weft.model.Binding;
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
 * Stage 2, keyed by shard of blocking key: learns aliases and decides weak queries against the
 * aliases valid at each event's time. A query is remembered until the lateness bound passes; when
 * a strongly taught alias arrives later and changes its decision, the decision is emitted again
 * with revision + 1. State is one map entry per blocking key, pruned against the shard's event-time
 * clock (the latest event time it has seen), so no event-time timer is needed.
 */
final class ResolveWithinBlockFn extends DoFn<KV<Integer, BlockMessage>, Binding> {
  /** Decisions kept for re-binding per blocking key; beyond it the oldest loses that chance. */
  static final int MAX_PENDING_PER_KEY = 1_000;

  private final IdentityResolver resolver;
  private final java.time.Duration lateness;
  private final boolean expire;
  private final int pendingCap;

  @StateId("blocks")
  private final StateSpec<MapState<String, BlockState>> blocksSpec =
      StateSpecs.map(StringUtf8Coder.of(), BlockState.Coder.INSTANCE);

  @StateId("clock")
  private final StateSpec<ValueState<org.joda.time.Instant>> clockSpec =
      StateSpecs.value(InstantCoder.of());

  @StateId("swept")
  private final StateSpec<ValueState<org.joda.time.Instant>> sweptSpec =
      StateSpecs.value(InstantCoder.of());

  private final Counter rebound = Metrics.counter(ResolveIdentity.class, "late-rebindings");
  private final Counter pendingDropped =
      Metrics.counter(ResolveIdentity.class, "pending-over-cap-not-rebindable");
  private final Counter expired = Metrics.counter(ResolveIdentity.class, "block-keys-expired");

  /**
   * @param expire false for bounded input: in batch the whole input is on time (the watermark does
   *     not advance before it is all read), so no decision expires and arrival order inside a shard
   *     cannot change the final result
   */
  ResolveWithinBlockFn(IdentityResolver resolver, java.time.Duration lateness, boolean expire,
      int pendingCap) {
    this.resolver = resolver;
    this.pendingCap = pendingCap;
    this.lateness = lateness;
    this.expire = expire;
  }

  @ProcessElement
  public void process(@Element KV<Integer, BlockMessage> element,
      @Timestamp org.joda.time.Instant timestamp,
      @StateId("blocks") MapState<String, BlockState> blocks,
      @StateId("clock") ValueState<org.joda.time.Instant> clockState,
      @StateId("swept") ValueState<org.joda.time.Instant> sweptState,
      OutputReceiver<Binding> out) {
    org.joda.time.Instant clock = clockState.read();
    if (clock == null || timestamp.isAfter(clock)) {
      clock = timestamp;
      clockState.write(clock);
    }
    Instant horizon = expire ? Instant.ofEpochMilli(clock.getMillis()).minus(lateness)
        : Instant.MIN;
    BlockMessage m = element.getValue();
    String key = m.stateKey(resolver);
    BlockState state = blocks.get(key).read();
    if (state == null) {
      state = BlockState.empty();
    }
    List<Alias> aliases = state.aliases();
    List<Pending> pending = new ArrayList<>(state.pending());
    if (m.teach().isPresent()) {
      List<Alias> known = aliases;
      aliases = resolver.learn(aliases, m.teach().get());
      // Late knowledge: decisions taken before this alias was known are taken again. A sighting
      // that changes nothing (every span of a service repeats its claim) re-decides nothing.
      for (int i = 0; !aliases.equals(known) && i < pending.size(); i++) {
        Pending p = pending.get(i);
        Binding before = p.binding();
        Binding after = resolver.decideWeak(p.event(), p.query(), aliases, before.revision() + 1);
        if (!after.entityId().equals(before.entityId())
            || after.decision() != before.decision()) {
          rebound.inc();
          out.outputWithTimestamp(after, toJoda(p.event().eventTime()));
          pending.set(i, new Pending(p.event(), p.query(), after));
        }
      }
    } else {
      Binding b = resolver.decideWeak(m.event().get(), m.query().get(), aliases, 0);
      out.output(b);
      for (Alias taught : resolver.teaching(m.event().get(), b)) {
        aliases = resolver.learn(aliases, taught);
      }
      if (!m.event().get().eventTime().isBefore(horizon)) {
        pending.add(new Pending(m.event().get(), m.query().get(), b));
      }
    }
    pending.removeIf(p -> p.event().eventTime().isBefore(horizon));
    while (pending.size() > pendingCap) {
      pending.remove(0);
      pendingDropped.inc();
    }
    blocks.put(key, new BlockState(expire ? prune(aliases, horizon) : aliases, pending));
    if (expire) {
      sweep(blocks, sweptState, clock, horizon);
    }
  }

  /**
   * Aliases no event within the lateness bound can match are dropped: shared entries whose ttl
   * ran out, and exclusive entries already superseded before the horizon.
   */
  private List<Alias> prune(List<Alias> aliases, Instant horizon) {
    List<Alias> kept = new ArrayList<>();
    for (int i = 0; i < aliases.size(); i++) {
      Alias a = aliases.get(i);
      IdentityPolicy.Block block = IdentityResolver.blockOf(
          resolver.policy().type(a.type()).orElseThrow(), a.blockKey());
      boolean superseded = block.exclusive() && i + 1 < aliases.size()
          && aliases.get(i + 1).from().isBefore(horizon);
      boolean timedOut = AliasTimeline.expiry(a, block).isBefore(horizon);
      boolean closed = a.until().isPresent() && a.until().get().isBefore(horizon);
      if (!superseded && !timedOut && !closed) {
        kept.add(a);
      }
    }
    return kept;
  }

  /** Once per lateness period of event time, every key of the shard is pruned. */
  private void sweep(MapState<String, BlockState> blocks,
      ValueState<org.joda.time.Instant> sweptState, org.joda.time.Instant clock,
      Instant horizon) {
    org.joda.time.Instant swept = sweptState.read();
    if (swept != null && clock.isBefore(swept.plus(Duration.millis(lateness.toMillis())))) {
      return;
    }
    sweptState.write(clock);
    List<String> empty = new ArrayList<>();
    for (Map.Entry<String, BlockState> e : blocks.entries().read()) {
      BlockState s = e.getValue();
      List<Pending> pending = new ArrayList<>(s.pending());
      pending.removeIf(p -> p.event().eventTime().isBefore(horizon));
      List<Alias> aliases = prune(s.aliases(), horizon);
      if (aliases.isEmpty() && pending.isEmpty()) {
        empty.add(e.getKey());
      } else if (aliases.size() != s.aliases().size() || pending.size() != s.pending().size()) {
        blocks.put(e.getKey(), new BlockState(aliases, pending));
      }
    }
    empty.forEach(blocks::remove);
    expired.inc(empty.size());
  }

  @SuppressWarnings("deprecation")
  @Override
  public Duration getAllowedTimestampSkew() {
    // A re-binding is emitted at the re-bound event's own time, which may precede the alias that
    // caused it, by at most the lateness bound (older decisions are no longer kept).
    return Duration.millis(lateness.toMillis());
  }

  static org.joda.time.Instant toJoda(Instant t) {
    return org.joda.time.Instant.ofEpochMilli(t.toEpochMilli());
  }
}
