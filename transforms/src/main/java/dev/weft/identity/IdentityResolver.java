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
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  /** A weak resolution an event needs: one type, one blocking key. */
  public record WeakQuery(String type, String blockKey) implements Serializable {}

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
      Optional<Binding> strong = strongBinding(event, type, signals);
      if (strong.isEmpty() && configType.isPresent() && configType.get().equals(type)) {
        strong = Optional.of(configObjectBinding(event, type.prefix(), type.name(),
            event.config().get()));
      }
      if (strong.isPresent()) {
        bindings.add(strong.get());
        teaching(event, type, signals, strong.get().entityId()).ifPresent(teachings::add);
        continue;
      }
      if (type.weakRules().stream().noneMatch(r -> hasAll(signals, r.signals()))) {
        continue;
      }
      Optional<String> key = blockKey(type, signals);
      if (key.isPresent()) {
        queries.add(new WeakQuery(type.name(), key.get()));
      } else {
        bindings.add(refusal(event, type, signals, List.of(), Decision.REFUSED_BELOW_FLOOR,
            Optional.empty(), 0.0, "no blocking key " + type.block().get().signals()
                + ": no candidate can be looked up", 0));
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

  /** Decides one weak query against the entries of its blocking key. */
  public Binding decideWeak(Event event, WeakQuery query, List<Alias> entries, int revision) {
    EntityType type = policy.type(query.type()).orElseThrow();
    SortedMap<String, String> signals = normalizedSignals(event);
    Block block = type.block().orElseThrow();
    List<Scored> scored = new ArrayList<>();
    for (Alias candidate : AliasTimeline.validAt(entries, event.eventTime(), block)) {
      double miss = 1.0;
      List<Rule> matched = new ArrayList<>();
      for (Rule rule : type.weakRules()) {
        if (hasAll(signals, rule.signals())
            && rule.signals().stream().allMatch(s -> candidate.has(s, signals.get(s)))) {
          matched.add(rule);
          miss *= 1.0 - rule.weight();
        }
      }
      if (!matched.isEmpty()) {
        scored.add(new Scored(candidate.entityId(), round(1.0 - miss), matched));
      }
    }
    scored.sort(Comparator.comparingDouble(Scored::confidence).reversed()
        .thenComparing(Scored::entityId));
    List<Scored> over = scored.stream().filter(s -> s.confidence() >= type.floor()).toList();
    if (over.size() == 1) {
      Scored best = over.get(0);
      return new Binding(event.eventId(), event.eventTime(), type.name(), best.entityId(),
          Decision.ALIASED, Optional.of(ruleNames(best.rules())), used(signals, best.rules()),
          best.confidence(), List.of(), Optional.empty(), revision);
    }
    if (over.size() > 1) {
      return refusal(event, type, signals, over, Decision.CONFLICT,
          Optional.of(ruleNames(over.get(0).rules())), over.get(0).confidence(),
          over.size() + " candidates at or over the floor " + type.floor() + ": "
              + describe(over), revision);
    }
    if (scored.isEmpty()) {
      return refusal(event, type, signals, List.of(), Decision.REFUSED_BELOW_FLOOR,
          Optional.empty(), 0.0, "no alias of block key '" + query.blockKey()
              + "' matches at " + event.eventTime(), revision);
    }
    Scored best = scored.get(0);
    return refusal(event, type, signals, scored, Decision.REFUSED_BELOW_FLOOR,
        Optional.of(ruleNames(best.rules())), best.confidence(),
        "best candidate " + describe(scored) + " is below the floor " + type.floor(), revision);
  }

  /**
   * The alias a decision teaches, when the type's policy lets it teach: strongly bound events
   * always, every decision when the type says {@code teach: all}.
   */
  public Optional<Alias> teaching(Event event, Binding binding) {
    EntityType type = policy.type(binding.entityType()).orElse(null);
    if (type == null || (binding.decision() != Decision.BOUND && !type.teachFromAll())) {
      return Optional.empty();
    }
    return teaching(event, type, normalizedSignals(event), binding.entityId());
  }

  private Optional<Alias> teaching(Event event, EntityType type, SortedMap<String, String> signals,
      String entityId) {
    if (type.block().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> key = blockKey(type, signals);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    SortedMap<String, List<String>> values = new TreeMap<>();
    for (Rule rule : type.weakRules()) {
      for (String s : rule.signals()) {
        if (signals.containsKey(s)) {
          values.put(s, List.of(signals.get(s)));
        }
      }
    }
    boolean deleted = event.config().map(c -> c.operation() == ConfigOperation.DELETED)
        .orElse(false);
    return Optional.of(new Alias(type.name(), key.get(), entityId, event.eventTime(),
        event.eventTime(), deleted ? Optional.of(event.eventTime()) : Optional.empty(), values));
  }

  /** The entries of a blocking key after learning {@code sighting}. */
  public List<Alias> learn(List<Alias> entries, Alias sighting) {
    EntityType type = policy.type(sighting.type()).orElseThrow();
    return AliasTimeline.learn(entries, sighting, type.block().orElseThrow().exclusive());
  }

  /** Resolves one event completely against an in-memory store, learning what it teaches. */
  public Resolution resolve(Event event, AliasStore store) {
    Plan plan = plan(event);
    for (Alias a : plan.teachings()) {
      store.put(a.type(), a.blockKey(), learn(store.entries(a.type(), a.blockKey()), a));
    }
    List<Binding> bindings = new ArrayList<>(plan.bindings());
    for (WeakQuery q : plan.queries()) {
      Binding b = decideWeak(event, q, store.entries(q.type(), q.blockKey()), 0);
      bindings.add(b);
      teaching(event, b).ifPresent(a ->
          store.put(a.type(), a.blockKey(), learn(store.entries(a.type(), a.blockKey()), a)));
    }
    return new Resolution(bindings, assemble(event, bindings, 0, false));
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

  private Optional<Binding> strongBinding(Event event, EntityType type,
      SortedMap<String, String> signals) {
    for (Rule rule : type.strongRules()) {
      if (hasAll(signals, rule.signals())) {
        SortedMap<String, String> used = new TreeMap<>();
        List<String> parts = new ArrayList<>();
        for (String s : rule.signals()) {
          used.put(s, signals.get(s));
          parts.add(signals.get(s));
        }
        return Optional.of(new Binding(event.eventId(), event.eventTime(), type.name(),
            type.prefix() + ":" + String.join("/", parts), Decision.BOUND,
            Optional.of(rule.name()), used, 1.0, List.of(), Optional.empty(), 0));
      }
    }
    return Optional.empty();
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
    for (Rule r : type.weakRules()) {
      for (String s : r.signals()) {
        if (signals.containsKey(s)) {
          used.put(s, signals.get(s));
        }
      }
    }
    List<String> ids = candidates.stream().limit(MAX_CANDIDATES).map(Scored::entityId).toList();
    return new Binding(event.eventId(), event.eventTime(), type.name(),
        provisionalId(type, used), decision, rule, used, confidence, ids, Optional.of(reason),
        revision);
  }

  /**
   * A refused record's own entity, named after its own values so that it is stable across
   * replays: {@code k8s.pod~10.1.2.3}; long value lists (people) become a short hash.
   */
  static String provisionalId(EntityType type, SortedMap<String, String> used) {
    LinkedHashSet<String> parts = new LinkedHashSet<>();
    for (Rule r : type.weakRules()) {
      for (String s : r.signals()) {
        if (used.containsKey(s)) {
          parts.add(used.get(s));
        }
      }
    }
    String readable = String.join("/", parts);
    if (readable.length() <= MAX_READABLE_ID) {
      return type.prefix() + "~" + readable;
    }
    StringBuilder canonical = new StringBuilder();
    used.forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return type.prefix() + "~" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  Optional<String> blockKey(EntityType type, SortedMap<String, String> signals) {
    if (type.block().isEmpty()) {
      return Optional.empty();
    }
    Block block = type.block().get();
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
    return Optional.of(String.join("/", parts));
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

  private record Scored(String entityId, double confidence, List<Rule> rules) {}
}
