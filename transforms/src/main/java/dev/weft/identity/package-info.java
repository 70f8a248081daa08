/**
 * Identity resolution: policy + mechanism.
 *
 * <h2>Policy</h2>
 * {@link dev.weft.identity.IdentityPolicy} is a YAML file (default {@code weft/policy.yaml} in the
 * jar, or {@code --policy=FILE}): entity types, per type the rules in priority order (the signals
 * each requires, strong or a weight), the confidence floor, normalizers per signal, the blocking key
 * of the weak rules, and which entity is an event's subject. {@link dev.weft.identity.PolicyParser}
 * stops a run at start with the file, the place (path and line) and the problem.
 *
 * <h2>Mechanism</h2>
 * {@link dev.weft.identity.IdentityResolver} is pure and deterministic. Per entity type an event is
 * about: the first strong rule whose signals are all present binds ({@code BOUND}, id {@code
 * prefix:values}); otherwise the weak rules score the candidates an {@link
 * dev.weft.identity.AliasStore} holds under the type's blocking key, valid at the event's own time
 * (noisy-or of the matching rules' weights); exactly one candidate at or over the floor binds
 * ({@code ALIASED}); none is {@code REFUSED_BELOW_FLOOR}; two or more is a {@code CONFLICT}. Refused
 * and conflicting records are kept under a provisional entity named after their own values ({@code
 * prefix~values}), never merged. Aliases are learned in event time from strongly bound events (or,
 * for types with {@code teach: all} such as people, from every decision); an exclusive block (an
 * IP) is a timeline in which a later owner supersedes an earlier one from its first sighting, so
 * an IP reused by another pod never merges the two pods.
 *
 * <p>A {@code fallback} rule binds by a weaker key (a service name without its namespace, a pod
 * uid without namespace/name): records bound by a stronger rule that carry the weaker key's values
 * CLAIM them for their entity for the whole run (alias key {@code @<rule>:<values>}, its own
 * stage-2 key); a record the fallback applies to binds to the one claimant ({@code ALIASED}), to
 * its own {@code prefix:values} when there is none ({@code BOUND}, claiming nothing), and is a
 * {@code CONFLICT} under a provisional id when there are several.
 *
 * <h2>In Beam: why three keyed stages</h2>
 * {@link dev.weft.identity.ResolveIdentity}: (1) stateless: strong rules need no lookup, so events
 * with only strong types (most spans) leave at once; (2) keyed by {@code hash(type|blocking key) mod
 * shards}: each weak query meets every alias it can match in one place, because a type has one
 * blocking key and all its weak rules are scored against candidates under that key (this is why
 * the policy allows one block per type: weak signals whose aliases would live on different shards
 * are never combined, which would need a cross-shard join per candidate); (3) keyed by {@code
 * hash(eventId) mod shards}: the strong bindings and the weak bindings of one event (one per weak
 * type, possibly on different stage-2 shards) are joined into its {@link
 * dev.weft.model.ResolvedEvent}. Keys are bounded by the shard count (the Direct runner is
 * superlinear in keys); no global state, no side input.
 *
 * <p>Late knowledge: stage 2 remembers its weak decisions up to the lateness bound; when a strongly
 * taught alias arrives that changes one, it emits the binding again with revision + 1, and stage 3
 * emits the earlier resolved event as a retraction followed by the corrected one. State is pruned
 * against each shard's event-time clock (latest event time seen) rather than event-time timers,
 * which the Spark classic runner rejects in streaming.
 *
 * <p>Bounded input needs no late knowledge: stage 2 becomes one grouping of teachings and queries
 * by the same shard key, in which every alias of a blocking key is learned (in event-time order)
 * before any query of that key is decided against the complete timeline ({@code
 * ResolveBlocksInBatchFn}); {@code teach: all} types decide their queries in (event time, event id)
 * order. A batch run therefore never re-binds or retracts, every revision is 0, and the result does
 * not depend on arrival order, so Direct, Flink and Spark agree.
 *
 * <h2>Scope choices</h2>
 * Peer signals ({@code peer.service}, {@code server.address}, {@code net.peer.*}, {@code
 * network.peer.address}) describe the other side of a call, not the event's own entities: the
 * default policy declares no rule on them and leaves them to the graph. A configuration object
 * whose type no strong rule names is bound by kind, namespace and name (rule {@code config-object}).
 * An event with no identity signal is about its source ({@code source:format/resource}).
 *
 * <h2>Evaluation</h2>
 * {@link dev.weft.identity.LinkageEvaluation} runs the same resolver (in-memory store, file order)
 * over inventory records and scores merged pairs against an answer key the policy never sees.
 */
package dev.weft.identity;
