package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.IdentityPolicy.Block;
import dev.weft.identity.IdentityPolicy.EntityType;
import dev.weft.identity.IdentityPolicy.Rule;
import dev.weft.identity.IdentityResolver;
import dev.weft.identity.Normalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The identity side of the graph page, per entity: its bindings grouped by (decision, rule,
 * signals) with counts and time range, as {@code explain} prints them, and the aliases the stream
 * taught about it — the block-key values (a pod's IP, a host's IP) its strongly bound events
 * carried, with the time it held them. An exclusive key (an IP) belongs to one entity at a time,
 * so an alias ends where the next owner's begins, or where the object was deleted. And its
 * claims: the weaker-key values of a fallback rule (a service's bare name, a pod's uid) its
 * strongly bound events carried, held for the whole run (until a deletion), with the other
 * entities that claimed the same values (then a record by that key alone is a CONFLICT).
 *
 * <p>Aliases are not an output of the pipeline; they are recomputed here from {@code
 * bindings-*.jsonl} (which events were BOUND to which entity) and the signals of those events in
 * {@code events-*.jsonl}, normalized by the same policy.
 */
final class EntityIdentities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final IdentityPolicy policy;
  /** entity id → group key → group. */
  private final Map<String, Map<String, ObjectNode>> groups = new HashMap<>();
  /** event id → entities of a type with a block or fallback rules it was BOUND to. */
  private final Map<String, List<String[]>> boundToTeaching = new HashMap<>();
  /** "type|blockKey" (or "type|@rule:values" for a claim) → entity id → sighting. */
  private final Map<String, Map<String, ObjectNode>> sightings = new TreeMap<>();

  EntityIdentities(IdentityPolicy policy) {
    this.policy = policy;
  }

  /** Adds one line of bindings-*.jsonl. */
  void addBinding(JsonNode b) {
    String entity = b.path("entityId").asText();
    String decision = b.path("decision").asText();
    String rule = b.path("rule").asText("");
    String signals = b.path("signals").toString();
    String key = decision + "|" + rule + "|" + signals + "|" + b.path("reason").asText("");
    String time = b.path("eventTime").asText();
    ObjectNode g = groups.computeIfAbsent(entity, k -> new TreeMap<>()).get(key);
    if (g == null) {
      g = F.objectNode();
      g.put("decision", decision);
      if (!rule.isEmpty()) {
        g.put("rule", rule);
      }
      g.set("signals", b.path("signals"));
      g.put("confidence", b.path("confidence").asDouble());
      g.put("events", 0);
      g.put("from", time);
      g.put("to", time);
      g.put("example", b.path("eventId").asText());
      if (b.hasNonNull("reason")) {
        g.put("reason", b.path("reason").asText());
      }
      if (b.path("candidates").size() > 0) {
        g.set("candidates", b.path("candidates"));
      }
      groups.get(entity).put(key, g);
    }
    g.put("events", g.path("events").asLong() + 1);
    if (time.compareTo(g.path("from").asText()) < 0) {
      g.put("from", time);
    }
    if (time.compareTo(g.path("to").asText()) > 0) {
      g.put("to", time);
    }
    Optional<EntityType> type = policy.type(b.path("entityType").asText());
    // A record bound by a fallback rule's own key teaches and claims nothing (as in the resolver).
    boolean byFallback = type.flatMap(t -> t.rule(rule)).map(Rule::fallback).orElse(false);
    if ("BOUND".equals(decision) && type.isPresent() && !byFallback
        && (type.get().block().isPresent() || !type.get().fallbackRules().isEmpty())) {
      boundToTeaching.computeIfAbsent(b.path("eventId").asText(), k -> new ArrayList<>())
          .add(new String[] {type.get().name(), entity});
    }
  }

  /** Reads every events-*.jsonl file, keeping the block-key signals of strongly bound events. */
  void addEvents(List<Path> eventFiles) throws IOException {
    for (Path f : eventFiles) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          // Cheap pre-check: most events of a big run teach no alias.
          int idEnd = line.indexOf("\",");
          String id = line.startsWith("{\"eventId\":\"") && idEnd > 0
              ? line.substring(12, idEnd) : null;
          if (id != null && id.indexOf('\\') < 0 && !boundToTeaching.containsKey(id)) {
            continue;
          }
          addEvent(JSON.readTree(line));
        }
      }
    }
  }

  private void addEvent(JsonNode e) {
    List<String[]> bound = boundToTeaching.get(e.path("eventId").asText());
    if (bound == null) {
      return;
    }
    String time = e.path("eventTime").asText();
    boolean deleted = "DELETED".equals(e.path("config").path("operation").asText());
    for (String[] te : bound) {
      EntityType type = policy.type(te[0]).orElseThrow();
      Optional<Block> block = type.block();
      Optional<String> key = block.flatMap(b -> blockKey(b, e.path("signals")));
      if (key.isPresent()) {
        sighting(type.name() + "|" + key.get(), te[1], time, deleted, n -> {
          n.put("type", type.name());
          n.put("blockKey", key.get());
          n.set("signals", texts(block.get().signals()));
          n.set("rules", rulesOn(type, block.get()));
          n.put("exclusive", block.get().exclusive());
        });
      }
      for (Rule rule : type.fallbackRules()) {
        Optional<String> values = claimValues(rule, e.path("signals"));
        if (values.isPresent()) {
          sighting(type.name() + "|@" + rule.name() + ":" + values.get(), te[1], time, deleted,
              n -> {
                n.put("type", type.name());
                n.put("blockKey", values.get());
                n.set("signals", texts(rule.signals()));
                n.set("rules", F.arrayNode().add(rule.name() + " (fallback)"));
                n.put("exclusive", false);
                n.put("claim", true);
              });
        }
      }
    }
  }

  /** Records that {@code entity} was seen holding the key at {@code time}. */
  private void sighting(String key, String entity, String time, boolean deleted,
      java.util.function.Consumer<ObjectNode> describe) {
    ObjectNode s = sightings.computeIfAbsent(key, k -> new TreeMap<>())
        .computeIfAbsent(entity, k -> {
          ObjectNode n = F.objectNode();
          describe.accept(n);
          n.put("from", time);
          n.put("last", time);
          return n;
        });
    if (time.compareTo(s.path("from").asText()) < 0) {
      s.put("from", time);
    }
    if (time.compareTo(s.path("last").asText()) > 0) {
      s.put("last", time);
    }
    if (deleted) {
      s.put("until", time);
    }
  }

  private static ArrayNode texts(List<String> values) {
    return F.arrayNode().addAll(values.stream().map(F::textNode).toList());
  }

  /** A fallback rule's values as the resolver's claim key has them: normalized, escaped. */
  private Optional<String> claimValues(Rule rule, JsonNode signals) {
    Map<String, String> values = new HashMap<>();
    for (String s : rule.signals()) {
      Optional<String> v = normalized(s, signals);
      if (v.isEmpty()) {
        return Optional.empty();
      }
      values.put(s, v.get());
    }
    return Optional.of(IdentityResolver.ruleValues(rule, values));
  }

  private Optional<String> normalized(String signal, JsonNode signals) {
    Optional<String> v = signals.hasNonNull(signal) ? Optional.of(signals.path(signal).asText())
        : Optional.empty();
    for (Normalizer n : policy.normalizersFor(signal)) {
      v = v.flatMap(n::apply);
    }
    return v;
  }

  /** The weak rules that match against an alias of this block (what the alias is used for). */
  private static ArrayNode rulesOn(EntityType type, Block block) {
    ArrayNode out = F.arrayNode();
    for (Rule r : type.weakRules()) {
      if (r.signals().stream().anyMatch(block.signals()::contains)) {
        out.add(r.name() + " (weight " + r.weight() + ")");
      }
    }
    return out;
  }

  /** The block key as the resolver forms it: normalized values, key steps, joined by "/". */
  private Optional<String> blockKey(Block block, JsonNode signals) {
    List<String> parts = new ArrayList<>();
    for (String s : block.signals()) {
      Optional<String> v = normalized(s, signals);
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

  /** The binding groups of an entity, most events first. */
  ArrayNode bindingsOf(String entity) {
    ArrayNode out = F.arrayNode();
    groups.getOrDefault(entity, Map.of()).values().stream()
        .sorted(Comparator.comparingLong((ObjectNode g) -> -g.path("events").asLong())
            .thenComparing(g -> g.path("from").asText()))
        .forEach(out::add);
    return out;
  }

  /**
   * Every alias per entity, with its validity: from the first sighting to the deletion, and for an
   * exclusive key not past the next owner's first sighting. A claim is valid for the whole run (to
   * the deletion) and names the other entities that claimed the same values ({@code sharedWith}).
   */
  Map<String, ArrayNode> aliasesByEntity() {
    Map<String, ArrayNode> out = new HashMap<>();
    for (Map<String, ObjectNode> owners : sightings.values()) {
      List<ObjectNode> timeline = new ArrayList<>(owners.values());
      List<String> entities = new ArrayList<>(owners.keySet());
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < timeline.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparing((Integer i) -> timeline.get(i).path("from").asText())
          .thenComparing(entities::get));
      for (int k = 0; k < order.size(); k++) {
        ObjectNode a = timeline.get(order.get(k)).deepCopy();
        String validTo = a.path("until").asText(null);
        if (a.path("exclusive").asBoolean() && k + 1 < order.size()) {
          ObjectNode next = timeline.get(order.get(k + 1));
          String nextFrom = next.path("from").asText();
          if (validTo == null || nextFrom.compareTo(validTo) < 0) {
            validTo = nextFrom;
          }
          a.put("nextOwner", entities.get(order.get(k + 1)));
        }
        if (validTo != null) {
          a.put("validTo", validTo);
        }
        if (a.path("claim").asBoolean() && entities.size() > 1) {
          String self = entities.get(order.get(k));
          a.set("sharedWith", texts(entities.stream().filter(x -> !x.equals(self)).toList()));
        }
        out.computeIfAbsent(entities.get(order.get(k)), x -> F.arrayNode()).add(a);
      }
    }
    return out;
  }
}
