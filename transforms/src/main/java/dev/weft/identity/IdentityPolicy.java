package dev.weft.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed identity policy: the data half of "identity = policy + mechanism". It says which entity
 * types exist, how each is identified (rules in priority order, strong or weighted, the signals
 * each requires), the confidence floor, how every signal is normalized, how candidates are blocked
 * for weak matching, and which entity is an event's subject. The mechanism is {@link
 * IdentityResolver}; the file format is documented in {@code weft/policy.yaml}, the default policy
 * shipped in the jar.
 */
public record IdentityPolicy(
    String source,
    double floor,
    Map<String, List<Normalizer>> normalizers,
    Map<String, List<String>> subjects,
    List<EntityType> types) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Resource path of the default policy inside the jar. */
  public static final String DEFAULT_RESOURCE = "weft/policy.yaml";

  public IdentityPolicy {
    normalizers = Map.copyOf(normalizers);
    subjects = Map.copyOf(subjects);
    types = List.copyOf(types);
  }

  /** The policy shipped in the jar (OpenTelemetry resources, Zipkin endpoints, Kubernetes). */
  public static IdentityPolicy defaultPolicy() {
    try (InputStream in = IdentityPolicy.class.getClassLoader()
        .getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new PolicyException(DEFAULT_RESOURCE, "(file)", "default policy missing from jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "classpath:" + DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and checks a policy file; a problem throws {@link PolicyException}. */
  public static IdentityPolicy fromFile(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException(file.toString(), "(file)", "cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses policy text; {@code source} names it in error messages. */
  public static IdentityPolicy parse(String yaml, String source) {
    return new PolicyParser(source).parse(yaml);
  }

  public Optional<EntityType> type(String name) {
    return types.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The steps for a signal; signals the policy does not name are trimmed only. */
  public List<Normalizer> normalizersFor(String signal) {
    return normalizers.getOrDefault(signal, List.of(Normalizer.TRIM));
  }

  /**
   * An entity type and how records are linked to it: rules in priority order (strong, or weak
   * with a noisy-or weight) and/or comparisons (Fellegi–Sunter levels with log2 weights), the
   * blocking keys that find candidates, and how the best candidate must win.
   *
   * @param prior log2 prior odds of a match, added to the comparisons' weights (Splink's
   *     "probability two random records match", as a match weight); 0 when unset
   * @param margin how far the best candidate must lead the second to win (in confidence for
   *     weighted rules, in match weight for comparisons); 0: any second candidate at or over the
   *     floor is a CONFLICT
   * @param link who may be linked with whom (one-to-one, cross-source only)
   */
  public record EntityType(
      String name,
      String prefix,
      double floor,
      List<Rule> rules,
      List<Block> blocks,
      boolean teachFromAll,
      List<String> configKinds,
      List<Comparison> comparisons,
      double prior,
      double margin,
      Link link) implements Serializable {

    public EntityType {
      rules = List.copyOf(rules);
      blocks = List.copyOf(blocks);
      configKinds = List.copyOf(configKinds);
      comparisons = List.copyOf(comparisons);
    }

    /** The first blocking key for weak matching; present exactly when the type matches weakly. */
    public Optional<Block> block() {
      return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(0));
    }

    public List<Rule> strongRules() {
      return rules.stream().filter(Rule::strong).toList();
    }

    /** Weighted rules, scored against candidates; fallback rules are not among them. */
    public List<Rule> weakRules() {
      return rules.stream().filter(r -> !r.strong() && !r.fallback()).toList();
    }

    /** Rules that bind by a weaker key unless an entity bound by a stronger rule claimed it. */
    public List<Rule> fallbackRules() {
      return rules.stream().filter(Rule::fallback).toList();
    }

    public Optional<Rule> rule(String name) {
      return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** True when candidates are scored by comparison levels rather than weighted rules. */
    public boolean scoredByComparisons() {
      return !comparisons.isEmpty();
    }

    /** Every signal weak matching reads: weak rules' and comparisons' signals, in policy order. */
    public List<String> matchSignals() {
      java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
      weakRules().forEach(r -> out.addAll(r.signals()));
      comparisons.forEach(c -> out.addAll(c.signals()));
      fallbackRules().forEach(r -> out.addAll(r.signals()));
      return List.copyOf(out);
    }
  }

  /**
   * Linking constraints of a type. {@code oneToOne}: an entity holds at most one record per source
   * (file or topic), so a record never joins an entity that already has a record of its own
   * source. {@code crossSourceOnly}: a record only joins an entity that holds a record of another
   * source (two records of one source are never linked to each other).
   */
  public record Link(boolean oneToOne, boolean crossSourceOnly) implements Serializable {
    public static final Link ANY = new Link(false, false);

    public boolean constrained() {
      return oneToOne || crossSourceOnly;
    }
  }

  /**
   * One identification rule: it applies when the event carries ALL its signals. A strong rule
   * binds alone; a weak rule adds its weight to a candidate whose aliases carry the same values.
   *
   * <p>A {@code fallback} rule names an entity by a weaker key (a service name without its
   * namespace, a pod uid without its namespace/name). Every record bound by a stronger rule that
   * also carries the fallback's signals CLAIMS those values for its entity, for the whole run. A
   * record the fallback applies to binds to the one entity that claimed its values (ALIASED);
   * to its own id {@code prefix:values} when none did (BOUND; it claims nothing); and is refused
   * (CONFLICT, provisional id) when two or more did: a weaker key never picks among them.
   */
  public record Rule(String name, List<String> signals, boolean strong, double weight,
      boolean fallback) implements Serializable {
    public Rule {
      signals = List.copyOf(signals);
    }

    public Rule(String name, List<String> signals, boolean strong, double weight) {
      this(name, signals, strong, weight, false);
    }
  }

  /**
   * How candidates for weak matching are found: the signals whose normalized values (plus the
   * extra {@code keySteps}) form the blocking key. Aliases are stored and looked up per key, and the
   * Beam transform shards by it. {@code exclusive} says a key value belongs to one entity at a time
   * (an IP): a later owner supersedes the earlier one from its first sighting on. {@code ttl} bounds
   * how long after its last sighting an alias is still valid. {@code lookBack} lets an alias
   * apply to events up to that long BEFORE its first sighting, when no other entity owned the key
   * then: a log line at 10:00:03 can bind to the instance whose span, at 10:00:05, teaches the
   * alias (see {@link AliasTimeline}). {@code unordered}: the key's parts are sorted before they
   * are joined, so a record whose given name and surname are swapped has the same key.
   */
  public record Block(
      List<String> signals,
      Map<String, List<Normalizer>> keySteps,
      boolean exclusive,
      Duration ttlOrNull,
      Duration lookBack,
      boolean unordered) implements Serializable {
    public Block {
      signals = List.copyOf(signals);
      keySteps = Map.copyOf(keySteps);
    }

    public Optional<Duration> ttl() {
      return Optional.ofNullable(ttlOrNull);
    }
  }
}
