package dev.weft.identity;

import dev.weft.identity.IdentityPolicy.Block;
import dev.weft.identity.IdentityPolicy.EntityType;
import dev.weft.identity.IdentityPolicy.Rule;
import dev.weft.model.Binding;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.TimeQuality;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The identity mechanism: pure and deterministic, the same for the Beam transform and the
 * evaluation command. For each entity type an event is about, rules run in priority order: a
 * strong rule binds at once; otherwise weak rules score the candidates an {@link AliasStore} holds
 * under the type's blocking key at the event's time; one candidate at or over the floor binds,
 * none is a refusal, two or more a conflict; refused and conflicting records are kept under a
 * provisional entity named after their own signal values.
 */
public final class IdentityResolver implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Attribute by which an inventory record names the one entity type it describes. */
  public static final String ENTITY_TYPE_ATTRIBUTE = "weft.entity.type";

  /** Rule name of the fallback binding of a configuration object by its kind, namespace, name. */
  public static final String CONFIG_OBJECT_RULE = "config-object";

  /** Rule name of the fallback subject of an event with no identity signal: its source. */
  public static final String SOURCE_RULE = "source";

  private static final int MAX_CANDIDATES = 10;
  private static final int MAX_READABLE_ID = 80;

  private final IdentityPolicy policy;

  public IdentityResolver(IdentityPolicy policy) {
    this.policy = policy;
  }

  public IdentityPolicy policy() {
    return policy;
  }

  /**
   * A weak resolution an event needs: one type, the blocking keys the event has ({@code keys}),
   * and {@code blockKey}, the scope whose aliases decide it: the key itself when the type has one
   * blocking key, {@link #ALL_KEYS} when it has several (all of the type's aliases then live
   * together, because a candidate may share any one key).
   */
  public record WeakQuery(String type, String blockKey, List<String> keys)
      implements Serializable {
    public WeakQuery {
      keys = List.copyOf(keys);
    }

    WeakQuery(String type, String blockKey) {
      this(type, blockKey, List.of(blockKey));
    }
  }

  /** The scope of a type with several blocking keys: its aliases are kept together. */
  public static final String ALL_KEYS = "*";

  /** Pseudo-signal under which an alias remembers the sources (files, topics) it was seen in. */
  public static final String SOURCE_SIGNAL = "weft.source";

  /**
   * What an event needs, decided without any lookup: the strong (and lookup-free) bindings, the
   * weak queries, and the aliases its strong bindings teach.
   */
  public record Plan(Event event, List<Binding> bindings, List<WeakQuery> queries,
      List<Alias> teachings) {}

  /** A complete resolution (in-memory): every binding and the resolved event. */
  public record Resolution(List<Binding> bindings, ResolvedEvent resolved) {}

  /** The event's signals after the policy's normalizers; signals normalized to nothing are absent. */
  public SortedMap<String, String> normalizedSignals(Event event) {
    SortedMap<String, String> out = new TreeMap<>();
    event.signals().forEach((name, raw) -> normalize(name, raw).ifPresent(v -> out.put(name, v)));
    return out;
  }

  private Optional<String> normalize(String signal, String raw) {
    Optional<String> v = Optional.of(raw);
    for (Normalizer n : policy.normalizersFor(signal)) {
      v = v.flatMap(n::apply);
    }
    return v;
  }

  /**
   * What a weak decision reads of an event (id, origin, times, signals, configuration), without
   * its attributes, span and log parts. Queries travel to their block with this view: a span's
   * tags and annotations are most of its bytes, and a runner copies what it groups (the Direct
   * runner copies a key's whole group once per bundle, so the bytes per query decide whether a
   * 200k-span run takes seconds or minutes).
   */
  public static Event queryView(Event event) {
    if (event.attributes().isEmpty() && event.span().isEmpty() && event.log().isEmpty()) {
      return event;
    }
    return new Event(event.eventId(), event.idKind(), event.origin(), event.kind(),
        event.rawKind(), event.eventTime(), event.timeQuality(), event.observedTime(),
        event.signals(), new java.util.TreeMap<>(), java.util.Optional.empty(),
        java.util.Optional.empty(), event.config());
  }

  /** Plans an event: strong rules bind here; weak types become queries. */
  public Plan plan(Event event) {
    SortedMap<String, String> signals = normalizedSignals(event);
    List<Binding> bindings = new ArrayList<>();
    List<WeakQuery> queries = new ArrayList<>();
    List<Alias> teachings = new ArrayList<>();
    Optional<String> declared = Optional.ofNullable(event.attributes().get(ENTITY_TYPE_ATTRIBUTE));
    Optional<EntityType> configType = event.config().flatMap(c -> configType(c.objectKind()));
    for (EntityType type : policy.types()) {
      if (declared.isPresent() && !declared.get().equals(type.name())) {
        continue;
      }
      Optional<Rule> deciding = decidingRule(type, signals);
      Optional<Binding> strong = deciding.filter(Rule::strong)
          .map(rule -> strongBinding(event, type, rule, signals));
      if (strong.isEmpty() && configType.isPresent() && configType.get().equals(type)) {
        strong = Optional.of(configObjectBinding(event, type.prefix(), type.name(),
            event.config().get()));
      }
      if (strong.isPresent()) {
        bindings.add(strong.get());
        teachings.addAll(teaching(event, type, signals, strong.get().entityId()));
        continue;
      }
      if (deciding.isPresent()) {
        // A fallback rule: the weaker key is decided by the claims stronger records made on it.
        String key = claimKey(deciding.get(), signals);
        queries.add(new WeakQuery(type.name(), key));
        continue;
      }
      if (!matchesWeakly(type, signals)) {
        continue;
      }
      List<String> keys = blockKeys(type, signals);
      if (!keys.isEmpty()) {
        queries.add(new WeakQuery(type.name(), scope(type, keys.get(0)), keys));
      } else {
        bindings.add(refusal(event, type, signals, List.of(), Decision.REFUSED_BELOW_FLOOR,
            Optional.empty(), 0.0, "no blocking key " + type.blocks().stream()
                .map(Block::signals).toList() + ": no candidate can be looked up", 0));
      }
    }
    // A configuration object of a kind no type names is still its own subject.
    if (event.config().isPresent() && configType.isEmpty() && declared.isEmpty()) {
      ConfigPart c = event.config().get();
      String name = "k8s." + c.objectKind().toLowerCase(Locale.ROOT);
      bindings.add(configObjectBinding(event, name, name, c));
    }
    return new Plan(event, bindings, queries, teachings);
  }

  /**
   * Decides one weak query against the aliases of its scope: the candidates are the entities
   * valid at the event's time under any of the event's blocking keys (and allowed by the type's
   * {@code link} constraints); each is scored by the weak rules (noisy-or of their weights) or by
   * the comparisons (prior + the weight of each comparison's first matching level, as log2 odds).
   * The best candidate at or over the floor binds when no other is, or when it leads the second
   * by the type's margin; otherwise the record is a CONFLICT. None over the floor is a refusal.
   */
  public Binding decideWeak(Event event, WeakQuery query, List<Alias> entries, int revision) {
    EntityType type = policy.type(query.type()).orElseThrow();
    SortedMap<String, String> signals = normalizedSignals(event);
    Optional<Rule> fallback = claimRule(type, query.blockKey());
    if (fallback.isPresent()) {
      return decideByClaims(event, type, fallback.get(), query, entries, signals, revision);
    }
    List<Scored> scored = new ArrayList<>();
    for (Alias candidate : candidates(event, type, query, entries)) {
      Optional<Scored> s = type.scoredByComparisons()
          ? Optional.of(scoreByComparisons(type, signals, candidate))
          : scoreByRules(type, signals, candidate);
      s.ifPresent(scored::add);
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed()
        .thenComparing(Scored::entityId));
    List<Scored> over = scored.stream().filter(s -> s.confidence() >= type.floor()).toList();
    boolean wins = over.size() == 1 || (over.size() > 1 && type.margin() > 0
        && over.get(0).score() - over.get(1).score() >= type.margin());
    if (wins) {
      Scored best = over.get(0);
      List<String> why = new ArrayList<>();
      if (!best.explanation().isEmpty()) {
        why.add(best.explanation());
      }
      if (over.size() > 1) {
        why.add("leads " + over.get(1).entityId() + " by "
            + fmt(best.score() - over.get(1).score()) + " >= margin " + fmt(type.margin()));
      }
      why.add(taught(best.alias(), event, type));
      return new Binding(event.eventId(), event.eventTime(), type.name(), best.entityId(),
          Decision.ALIASED, Optional.of(best.rule()), best.used(), best.confidence(), List.of(),
          Optional.of(String.join("; ", why)), revision);
    }
    if (over.size() > 1) {
      return refusal(event, type, signals, over, Decision.CONFLICT,
          Optional.of(over.get(0).rule()), over.get(0).confidence(),
          over.size() + " candidates at or over the floor " + type.floor()
              + (type.margin() > 0 ? ", none leading by the margin " + fmt(type.margin()) : "")
              + ": " + describe(over), revision);
    }
    if (scored.isEmpty()) {
      return refusal(event, type, signals, List.of(), Decision.REFUSED_BELOW_FLOOR,
          Optional.empty(), 0.0, "no alias of block key '" + String.join("', '", query.keys())
              + "' matches at " + event.eventTime(), revision);
    }
    Scored best = scored.get(0);
    return refusal(event, type, signals, scored, Decision.REFUSED_BELOW_FLOOR,
        Optional.of(best.rule()), best.confidence(),
        "best candidate " + describe(scored) + " is below the floor " + type.floor()
            + (best.explanation().isEmpty() ? "" : " (" + best.explanation() + ")"), revision);
  }

  /**
   * A fallback rule's decision: the entities a stronger rule bound with the same values of the
   * weaker key ("claims", valid for the whole run) decide it. One claimant: the record is that
   * entity. None: the weaker key is the entity. Two or more: refused, never merged into one of
   * them (a service name two namespaces use belongs to neither).
   */
  private Binding decideByClaims(Event event, EntityType type, Rule rule, WeakQuery query,
      List<Alias> entries, SortedMap<String, String> signals, int revision) {
    List<Alias> claims = new ArrayList<>();
    for (Alias a : candidates(event, type, query, entries)) {
      if (rule.signals().stream().allMatch(s -> a.has(s, signals.get(s)))) {
        claims.add(a);
      }
    }
    SortedMap<String, String> used = new TreeMap<>();
    rule.signals().forEach(s -> used.put(s, signals.get(s)));
    if (claims.isEmpty()) {
      return new Binding(event.eventId(), event.eventTime(), type.name(), ownId(type, rule, used),
          Decision.BOUND, Optional.of(rule.name()), used, 1.0, List.of(),
          Optional.of("fallback: no entity bound by a stronger rule claimed " + used
              + ", so the weaker key names the entity"), revision);
    }
    if (claims.size() == 1) {
      Alias claim = claims.get(0);
      return new Binding(event.eventId(), event.eventTime(), type.name(), claim.entityId(),
          Decision.ALIASED, Optional.of(rule.name()), used, 1.0, List.of(),
          Optional.of("fallback: the only entity a stronger rule bound with " + used
              + "; claim taught by " + claim.taughtBy() + ", valid for the whole run"
              + claim.until().map(u -> " until its deletion at " + u).orElse("")), revision);
    }
    List<Scored> claimants = claims.stream().map(a -> new Scored(a.entityId(), 1.0, 1.0,
        rule.name(), used, "", a)).toList();
    return refusal(event, type, signals, claimants, Decision.CONFLICT, Optional.of(rule.name()),
        1.0, claims.size() + " entities bound by stronger rules claim " + used + ": "
            + claims.stream().map(Alias::entityId).toList()
            + "; a weaker key is never merged into one of several", revision);
  }

  /**
   * The candidate entities of a query: per blocking key, the aliases valid at the event's time;
   * one entity's aliases under several keys are merged; link constraints applied.
   */
  private List<Alias> candidates(Event event, EntityType type, WeakQuery query,
      List<Alias> entries) {
    Map<String, Alias> byEntity = new TreeMap<>();
    for (String key : query.keys()) {
      List<Alias> ofKey = new ArrayList<>();
      for (Alias a : entries) {
        if (a.blockKey().equals(key)) {
          ofKey.add(a);
        }
      }
      for (Alias a : AliasTimeline.validAt(ofKey, event.eventTime(), blockOf(type, key))) {
        byEntity.merge(a.entityId(), a, Alias::merge);
      }
    }
    List<Alias> out = new ArrayList<>();
    String source = event.origin().resource();
    for (Alias a : byEntity.values()) {
      List<String> sources = a.values().getOrDefault(SOURCE_SIGNAL, List.of());
      if (type.link().oneToOne() && sources.contains(source)) {
        continue;
      }
      if (type.link().crossSourceOnly() && sources.stream().allMatch(source::equals)) {
        continue;
      }
      out.add(a);
    }
    return out;
  }

  private Optional<Scored> scoreByRules(EntityType type, SortedMap<String, String> signals,
      Alias candidate) {
    double miss = 1.0;
    List<Rule> matched = new ArrayList<>();
    for (Rule rule : type.weakRules()) {
      if (hasAll(signals, rule.signals())
          && rule.signals().stream().allMatch(s -> candidate.has(s, signals.get(s)))) {
        matched.add(rule);
        miss *= 1.0 - rule.weight();
      }
    }
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    double confidence = round(1.0 - miss);
    return Optional.of(new Scored(candidate.entityId(), confidence, confidence,
        ruleNames(matched), used(signals, matched), "", candidate));
  }

  /** Fellegi–Sunter: prior + the weight of each comparison's first matching level. */
  private static Scored scoreByComparisons(EntityType type, SortedMap<String, String> signals,
      Alias candidate) {
    double score = type.prior();
    List<String> levels = new ArrayList<>();
    StringBuilder why = new StringBuilder("match weight ");
    StringBuilder terms = new StringBuilder();
    SortedMap<String, String> used = new TreeMap<>();
    for (Comparison c : type.comparisons()) {
      Optional<String> mine = c.valueOf(signals);
      Comparison.Outcome o = c.compare(mine, c.valuesOf(candidate.values()));
      score += o.weight();
      levels.add(c.name() + ":" + o.level());
      terms.append(" ").append(o.weight() < 0 ? "- " : "+ ").append(c.name()).append(' ')
          .append(o.level()).append(' ').append(fmt(Math.abs(o.weight())));
      c.signals().stream().filter(signals::containsKey)
          .forEach(s -> used.put(s, signals.get(s)));
    }
    score = round(score);
    double confidence = round(1.0 / (1.0 + Math.pow(2.0, -score)));
    why.append(fmt(score)).append(" = prior ").append(fmt(type.prior())).append(terms);
    return new Scored(candidate.entityId(), confidence, score, String.join("+", levels), used,
        why.toString(), candidate);
  }

  /** Which event taught the alias, and when it is valid: what {@code explain} shows. */
  private static String taught(Alias a, Event event, EntityType type) {
    StringBuilder s = new StringBuilder("alias taught by ").append(a.taughtBy());
    if (a.from().equals(Instant.MIN)) {
      s.append(", a snapshot record: valid for the whole run");
    } else {
      s.append(", valid from ").append(a.from()).append(" (last seen ").append(a.last());
      a.until().ifPresent(u -> s.append(", ended ").append(u));
      s.append(')');
      if (event.eventTime().isBefore(a.from())) {
        s.append("; the event precedes the first sighting, within the look-back ")
            .append(blockOf(type, a.blockKey()).lookBack());
      }
    }
    return s.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * The aliases a decision teaches (one per blocking key the event has), when the type's policy
   * lets it teach: strongly bound events always, every decision when the type says {@code teach:
   * all}.
   */
  public List<Alias> teaching(Event event, Binding binding) {
    EntityType type = policy.type(binding.entityType()).orElse(null);
    if (type == null || (binding.decision() != Decision.BOUND && !type.teachFromAll())) {
      return List.of();
    }
    // A record named only by a weaker key claims nothing: it is not evidence of the stronger one.
    if (binding.rule().flatMap(type::rule).map(Rule::fallback).orElse(false)) {
      return List.of();
    }
    return teaching(event, type, normalizedSignals(event), binding.entityId());
  }

  private List<Alias> teaching(Event event, EntityType type, SortedMap<String, String> signals,
      String entityId) {
    List<Alias> claims = claims(event, type, signals, entityId);
    List<String> keys = blockKeys(type, signals);
    if (keys.isEmpty()) {
      return claims;
    }
    SortedMap<String, List<String>> values = new TreeMap<>();
    for (String s : type.matchSignals()) {
      if (signals.containsKey(s)) {
        values.put(s, List.of(signals.get(s)));
      }
    }
    if (type.link().constrained()) {
      values.put(SOURCE_SIGNAL, List.of(event.origin().resource()));
    }
    boolean deleted = event.config().map(c -> c.operation() == ConfigOperation.DELETED)
        .orElse(false);
    // A snapshot (no time of its own: the time is the file's) is valid for the whole run.
    boolean snapshot = event.timeQuality() == TimeQuality.FALLBACK;
    Instant from = snapshot ? Instant.MIN : event.eventTime();
    Instant last = snapshot ? Instant.MAX : event.eventTime();
    List<Alias> out = new ArrayList<>(claims);
    for (String key : keys) {
      out.add(new Alias(type.name(), key, entityId, from, last,
          deleted ? Optional.of(event.eventTime()) : Optional.empty(), values, event.eventId()));
    }
    return out;
  }

  /**
   * The claims a strongly bound record makes: for each fallback rule whose signals it carries,
   * "these weaker-key values belong to this entity", valid for the whole run (a pod uid, or a
   * service name seen with its namespace, does not change meaning over a run) and, when the
   * record is a deletion, not after it.
   */
  private List<Alias> claims(Event event, EntityType type, SortedMap<String, String> signals,
      String entityId) {
    List<Alias> out = new ArrayList<>();
    Optional<Instant> until = event.config()
        .filter(c -> c.operation() == ConfigOperation.DELETED).map(c -> event.eventTime());
    for (Rule rule : type.fallbackRules()) {
      if (hasAll(signals, rule.signals())) {
        SortedMap<String, List<String>> values = new TreeMap<>();
        rule.signals().forEach(s -> values.put(s, List.of(signals.get(s))));
        out.add(new Alias(type.name(), claimKey(rule, signals), entityId, Instant.MIN,
            Instant.MAX, until, values, event.eventId()));
      }
    }
    return out;
  }

  /**
   * The alias key of a fallback rule's values: {@code @<rule>:<values>}. It is its own scope,
   * apart from the type's blocking keys, so a type may have an exclusive block as well.
   */
  static String claimKey(Rule rule, SortedMap<String, String> signals) {
    return CLAIM_MARK + rule.name() + ":" + ruleValues(rule, signals);
  }

  /**
   * A rule's values as a part of an id or a key: each escaped, joined by '/' in the rule's signal
   * order (the id a rule gives after its type's prefix; a claim key after its rule's name).
   */
  public static String ruleValues(Rule rule, Map<String, String> signals) {
    List<String> parts = new ArrayList<>();
    rule.signals().forEach(s -> parts.add(escape(signals.get(s))));
    return String.join("/", parts);
  }

  /** The fallback rule a key belongs to, when it is a claim key of {@code type}. */
  static Optional<Rule> claimRule(EntityType type, String key) {
    if (!key.startsWith(CLAIM_MARK) || key.indexOf(':') < 0) {
      return Optional.empty();
    }
    String name = key.substring(CLAIM_MARK.length(), key.indexOf(':'));
    return type.rule(name).filter(Rule::fallback);
  }

  private static final String CLAIM_MARK = "@";

  /** Claims are valid for the whole run, shared (several entities may claim one key), no ttl. */
  private static final Block CLAIMS = new Block(List.of(), Map.of(), false, null,
      java.time.Duration.ZERO, false);

  /**
   * The entries of a scope after learning {@code sighting}: the time rules apply among the entries
   * of the sighting's own blocking key; entries of other keys (a type with several) are kept.
   */
  public List<Alias> learn(List<Alias> entries, Alias sighting) {
    EntityType type = policy.type(sighting.type()).orElseThrow();
    List<Alias> same = new ArrayList<>();
    List<Alias> others = new ArrayList<>();
    for (Alias a : entries) {
      (a.blockKey().equals(sighting.blockKey()) ? same : others).add(a);
    }
    List<Alias> learned = AliasTimeline.learn(same, sighting,
        blockOf(type, sighting.blockKey()).exclusive());
    if (others.isEmpty()) {
      return learned;
    }
    others.addAll(learned);
    return others;
  }

  /** The scope (state key part) of an alias or query with {@code blockKey} of {@code type}. */
  public String scope(String typeName, String blockKey) {
    return scope(policy.type(typeName).orElseThrow(), blockKey);
  }

  private static String scope(EntityType type, String blockKey) {
    if (claimRule(type, blockKey).isPresent()) {
      return blockKey;
    }
    return type.blocks().size() > 1 ? ALL_KEYS : blockKey;
  }

  /** The block a key was made by: keys of a type with several blocks start with its index. */
  static Block blockOf(EntityType type, String key) {
    if (claimRule(type, key).isPresent()) {
      return CLAIMS;
    }
    if (type.blocks().size() == 1) {
      return type.blocks().get(0);
    }
    int colon = key.indexOf(':');
    return type.blocks().get(Integer.parseInt(key.substring(0, colon)));
  }

  /**
   * The time by which an event's weak decision is ordered among others: its event time, or
   * {@link Instant#MIN} when that time is only a fallback (a file's modification time), so that
   * touching a file never reorders decisions.
   */
  public static Instant orderTime(Event event) {
    return event.timeQuality() == TimeQuality.FALLBACK ? Instant.MIN : event.eventTime();
  }

  /** Resolves one event completely against an in-memory store, learning what it teaches. */
  public Resolution resolve(Event event, AliasStore store) {
    Plan plan = plan(event);
    plan.teachings().forEach(a -> learnInto(store, a));
    List<Binding> bindings = new ArrayList<>(plan.bindings());
    for (WeakQuery q : plan.queries()) {
      List<Alias> entries = new ArrayList<>();
      for (String key : q.keys()) {
        entries.addAll(store.entries(q.type(), key));
      }
      Binding b = decideWeak(event, q, entries, 0);
      bindings.add(b);
      teaching(event, b).forEach(a -> learnInto(store, a));
    }
    return new Resolution(bindings, assemble(event, bindings, 0, false));
  }

  private void learnInto(AliasStore store, Alias a) {
    store.put(a.type(), a.blockKey(), learn(store.entries(a.type(), a.blockKey()), a));
  }

  /** The resolved event from its bindings: entities by type and the most specific subject. */
  public ResolvedEvent assemble(Event event, Collection<Binding> bindings, int revision,
      boolean retraction) {
    SortedMap<String, String> entities = new TreeMap<>();
    for (Binding b : bindings) {
      entities.put(b.entityType(), b.entityId());
    }
    if (entities.isEmpty()) {
      Binding source = sourceBinding(event);
      entities.put(source.entityType(), source.entityId());
    }
    return new ResolvedEvent(event, subject(event, entities), entities, revision, retraction);
  }

  /**
   * The binding of an event that names no entity: its source (format and file or topic), so that
   * even an anonymous log line has a subject and an explanation.
   */
  public Binding sourceBinding(Event event) {
    SortedMap<String, String> used = new TreeMap<>();
    used.put("weft.source.format", event.origin().format());
    used.put("weft.source.resource", event.origin().resource());
    return new Binding(event.eventId(), event.eventTime(), "source",
        "source:" + event.origin().format() + "/" + event.origin().resource(), Decision.BOUND,
        Optional.of(SOURCE_RULE), used, 1.0, List.of(),
        Optional.of("the event carries no identity signal"), 0);
  }

  private String subject(Event event, SortedMap<String, String> entities) {
    if (event.config().isPresent()) {
      Optional<EntityType> t = configType(event.config().get().objectKind());
      String name = t.map(EntityType::name)
          .orElse("k8s." + event.config().get().objectKind().toLowerCase(Locale.ROOT));
      if (entities.containsKey(name)) {
        return entities.get(name);
      }
    }
    List<String> order = policy.subjects().getOrDefault(event.kind().name(),
        policy.subjects().get("default"));
    for (String type : order) {
      if (entities.containsKey(type)) {
        return entities.get(type);
      }
    }
    // Types the subject order does not list (an inventory's person, say), in policy order.
    for (EntityType type : policy.types()) {
      if (entities.containsKey(type.name())) {
        return entities.get(type.name());
      }
    }
    return entities.values().iterator().next();
  }

  private Optional<EntityType> configType(String objectKind) {
    return policy.types().stream().filter(t -> t.configKinds().contains(objectKind)).findFirst();
  }

  /** The first strong or fallback rule, in policy order, whose signals the event all carries. */
  private static Optional<Rule> decidingRule(EntityType type, SortedMap<String, String> signals) {
    return type.rules().stream().filter(r -> r.strong() || r.fallback())
        .filter(r -> hasAll(signals, r.signals())).findFirst();
  }

  private static Binding strongBinding(Event event, EntityType type, Rule rule,
      SortedMap<String, String> signals) {
    SortedMap<String, String> used = new TreeMap<>();
    rule.signals().forEach(s -> used.put(s, signals.get(s)));
    return new Binding(event.eventId(), event.eventTime(), type.name(), ownId(type, rule, used),
        Decision.BOUND, Optional.of(rule.name()), used, 1.0, List.of(), Optional.empty(), 0);
  }

  /** The id a rule gives: {@code <prefix>:<its values, escaped, joined by '/'>}. */
  private static String ownId(EntityType type, Rule rule, Map<String, String> used) {
    return type.prefix() + ":" + ruleValues(rule, used);
  }

  /**
   * A value as a part of an entity id: '/' separates parts, so a value containing it is escaped
   * ({@code %2F}, and '%' itself as {@code %25}): namespace "billing" + service "api" is
   * {@code service:billing/api}, a service named "billing/api" is {@code service:billing%2Fapi}.
   */
  public static String escape(String value) {
    if (value.indexOf('/') < 0 && value.indexOf('%') < 0) {
      return value;
    }
    return value.replace("%", "%25").replace("/", "%2F");
  }

  private Binding configObjectBinding(Event event, String prefix, String typeName, ConfigPart c) {
    SortedMap<String, String> used = new TreeMap<>();
    used.put("k8s.object.kind", c.objectKind());
    used.put("k8s.object.name", c.name());
    c.namespace().ifPresent(ns -> used.put("k8s.namespace.name", ns));
    String id = prefix + ":" + c.namespace().map(ns -> ns + "/").orElse("") + c.name();
    return new Binding(event.eventId(), event.eventTime(), typeName, id, Decision.BOUND,
        Optional.of(CONFIG_OBJECT_RULE), used, 1.0, List.of(), Optional.empty(), 0);
  }

  private Binding refusal(Event event, EntityType type, SortedMap<String, String> signals,
      List<Scored> candidates, Decision decision, Optional<String> rule, double confidence,
      String reason, int revision) {
    SortedMap<String, String> used = new TreeMap<>();
    for (String s : type.matchSignals()) {
      if (signals.containsKey(s)) {
        used.put(s, signals.get(s));
      }
    }
    List<String> ids = candidates.stream().limit(MAX_CANDIDATES).map(Scored::entityId).toList();
    String provisional = provisionalId(type, used);
    if (type.teachFromAll()) {
      // A refused record of a self-teaching type (a person) founds its own entity: two records
      // refused with equal values (two rows of one file under one-to-one) stay two entities.
      provisional = provisional + "#" + shortHash(event.eventId());
    }
    return new Binding(event.eventId(), event.eventTime(), type.name(),
        provisional, decision, rule, used, confidence, ids, Optional.of(reason), revision);
  }

  /**
   * A refused record's own entity, named after its own values so that it is stable across
   * replays: {@code k8s.pod~10.1.2.3}; long value lists (people) become a short hash.
   */
  static String provisionalId(EntityType type, SortedMap<String, String> used) {
    LinkedHashSet<String> parts = new LinkedHashSet<>();
    for (String s : type.matchSignals()) {
      if (used.containsKey(s)) {
        parts.add(escape(used.get(s)));
      }
    }
    String readable = String.join("/", parts);
    if (readable.length() <= MAX_READABLE_ID) {
      return type.prefix() + "~" + readable;
    }
    StringBuilder canonical = new StringBuilder();
    used.forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
    return type.prefix() + "~" + shortHash(canonical.toString());
  }

  /** 16 hex digits of SHA-256: short, stable across runs and JVMs. */
  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /**
   * The event's blocking keys, one per block whose signals it carries; with several blocks each
   * key starts with its block's index ({@code 1:smith}), so equal values of different blocks
   * never meet.
   */
  List<String> blockKeys(EntityType type, SortedMap<String, String> signals) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < type.blocks().size(); i++) {
      Optional<String> key = blockKey(type.blocks().get(i), signals);
      if (key.isPresent()) {
        keys.add(type.blocks().size() > 1 ? i + ":" + key.get() : key.get());
      }
    }
    return keys;
  }

  private static Optional<String> blockKey(Block block, SortedMap<String, String> signals) {
    List<String> parts = new ArrayList<>();
    for (String s : block.signals()) {
      Optional<String> v = Optional.ofNullable(signals.get(s));
      for (Normalizer n : block.keySteps().getOrDefault(s, List.of())) {
        v = v.flatMap(n::apply);
      }
      if (v.isEmpty()) {
        return Optional.empty();
      }
      parts.add(v.get());
    }
    if (block.unordered()) {
      java.util.Collections.sort(parts);
    }
    return Optional.of(String.join("/", parts));
  }

  /** Whether weak matching applies: a weak rule's signals all present, or a compared signal. */
  private static boolean matchesWeakly(EntityType type, SortedMap<String, String> signals) {
    if (type.scoredByComparisons()) {
      return type.comparisons().stream()
          .anyMatch(c -> c.signals().stream().anyMatch(signals::containsKey));
    }
    return type.weakRules().stream().anyMatch(r -> hasAll(signals, r.signals()));
  }

  private static boolean hasAll(Map<String, String> signals, List<String> names) {
    for (String n : names) {
      if (!signals.containsKey(n)) {
        return false;
      }
    }
    return true;
  }

  private static SortedMap<String, String> used(SortedMap<String, String> signals,
      List<Rule> rules) {
    SortedMap<String, String> out = new TreeMap<>();
    for (Rule r : rules) {
      for (String s : r.signals()) {
        out.put(s, signals.get(s));
      }
    }
    return out;
  }

  private static String ruleNames(List<Rule> rules) {
    return String.join("+", rules.stream().map(Rule::name).toList());
  }

  private static String describe(List<Scored> scored) {
    Map<String, Double> shown = new LinkedHashMap<>();
    scored.stream().limit(MAX_CANDIDATES).forEach(s -> shown.put(s.entityId(), s.confidence()));
    return shown.toString();
  }

  /** Confidence rounded to 6 decimals, so that noisy-or products compare equal everywhere. */
  private static double round(double v) {
    return Math.round(v * 1_000_000d) / 1_000_000d;
  }

  /**
   * A scored candidate: {@code score} orders candidates and measures the margin (confidence for
   * weighted rules, match weight for comparisons).
   */
  private record Scored(String entityId, double confidence, double score, String rule,
      SortedMap<String, String> used, String explanation, Alias alias) {}
}
