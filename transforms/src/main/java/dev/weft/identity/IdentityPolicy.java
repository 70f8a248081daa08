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

  /** An entity type and its rules, in priority order. */
  public record EntityType(
      String name,
      String prefix,
      double floor,
      List<Rule> rules,
      Block blockOrNull,
      boolean teachFromAll,
      List<String> configKinds) implements Serializable {

    public EntityType {
      rules = List.copyOf(rules);
      configKinds = List.copyOf(configKinds);
    }

    /** The blocking key for weak rules; present exactly when the type has weak rules. */
    public Optional<Block> block() {
      return Optional.ofNullable(blockOrNull);
    }

    public List<Rule> strongRules() {
      return rules.stream().filter(Rule::strong).toList();
    }

    public List<Rule> weakRules() {
      return rules.stream().filter(r -> !r.strong()).toList();
    }
  }

  /**
   * One identification rule: it applies when the event carries ALL its signals. A strong rule
   * binds alone; a weak rule adds its weight to a candidate whose aliases carry the same values.
   */
  public record Rule(String name, List<String> signals, boolean strong, double weight)
      implements Serializable {
    public Rule {
      signals = List.copyOf(signals);
    }
  }

  /**
   * How candidates for weak matching are found: the signals whose normalized values (plus the
   * extra {@code keySteps}) form the blocking key. Aliases are stored and looked up per key, and the
   * Beam transform shards by it. {@code exclusive} says a key value belongs to one entity at a time
   * (an IP): a later owner supersedes the earlier one from its first sighting on. {@code ttl} bounds
   * how long after its last sighting an alias is still valid.
   */
  public record Block(
      List<String> signals,
      Map<String, List<Normalizer>> keySteps,
      boolean exclusive,
      Duration ttlOrNull) implements Serializable {
    public Block {
      signals = List.copyOf(signals);
      keySteps = Map.copyOf(keySteps);
    }

    public Optional<Duration> ttl() {
      return Optional.ofNullable(ttlOrNull);
    }
  }
}
