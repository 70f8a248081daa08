package dev.weft.io.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Kafka client properties passed through to the consumer or producer, split into plain settings
 * and secrets. Secrets (SASL JAAS configs, passwords, keys, tokens) never reach Beam display data,
 * a {@code toString}, a log line or the run summary: {@link #plain()} goes to KafkaIO's config
 * updates, which Beam shows in its job graph, while {@link #secrets()} are merged into the client
 * config only inside the client factory on the worker (see {@link SecretInjectingClients}).
 *
 * <p>A property is a secret when its name contains {@code password}, {@code secret}, {@code jaas},
 * {@code token}, {@code credentials} or {@code user.info}, or ends in {@code .key} (a PEM private
 * key): over-redacting a harmless setting costs nothing, leaking one key costs a rotation.
 */
public final class ClientProperties implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String[] SECRET_MARKERS =
      {"password", "secret", "jaas", "token", "credentials", "user.info"};
  static final String REDACTED = "[redacted]";

  private final TreeMap<String, String> plain;
  private final TreeMap<String, String> secrets;

  private ClientProperties(SortedMap<String, String> plain, SortedMap<String, String> secrets) {
    this.plain = new TreeMap<>(plain);
    this.secrets = new TreeMap<>(secrets);
  }

  public static ClientProperties none() {
    return new ClientProperties(new TreeMap<>(), new TreeMap<>());
  }

  /** Sorts each entry into plain settings or secrets by its name. */
  public static ClientProperties of(Map<String, String> properties) {
    TreeMap<String, String> plain = new TreeMap<>();
    TreeMap<String, String> secrets = new TreeMap<>();
    properties.forEach((k, v) -> (isSecret(k) ? secrets : plain).put(k.trim(), v));
    return new ClientProperties(plain, secrets);
  }

  /**
   * Parses {@code key=value} pairs separated by {@code ;} or new lines, the form of the command
   * line's {@code --kafkaProperties}. A value may contain {@code =} and {@code ;} (a JAAS config
   * does: {@code sasl.jaas.config=... required username="u" password="p";}): a {@code ;} separates
   * pairs only where a {@code key=} follows it.
   *
   * @throws IllegalArgumentException naming the malformed pair (by its key only, never its value)
   */
  public static ClientProperties parse(String pairs) {
    TreeMap<String, String> all = new TreeMap<>();
    if (pairs != null) {
      for (String pair : pairs.split("\n|;(?=\\s*[A-Za-z0-9_.\\-]+=)")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("Kafka property '" + pair.trim().split("\\s")[0]
              + "' has no '=': write key=value pairs separated by ';'");
        }
        all.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return of(all);
  }

  /** Reads a Java properties file (the usual {@code client.properties} of Kafka's tools). */
  public static ClientProperties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    TreeMap<String, String> all = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
    return of(all);
  }

  /** This plus {@code other}, whose entries win on equal names. */
  public ClientProperties with(ClientProperties other) {
    TreeMap<String, String> p = new TreeMap<>(plain);
    TreeMap<String, String> s = new TreeMap<>(secrets);
    other.plain.forEach((k, v) -> {
      p.put(k, v);
      s.remove(k);
    });
    other.secrets.forEach((k, v) -> {
      s.put(k, v);
      p.remove(k);
    });
    return new ClientProperties(p, s);
  }

  public static boolean isSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT).trim();
    for (String marker : SECRET_MARKERS) {
      if (n.contains(marker)) {
        return true;
      }
    }
    return n.endsWith(".key") || n.endsWith(".keystore.key");
  }

  /** Settings safe to show (Beam display data, logs). */
  public SortedMap<String, String> plain() {
    return Collections.unmodifiableSortedMap(plain);
  }

  /** Secrets: only for the client factory on the worker. */
  SortedMap<String, String> secrets() {
    return Collections.unmodifiableSortedMap(secrets);
  }

  public boolean hasSecrets() {
    return !secrets.isEmpty();
  }

  public String get(String name) {
    return plain.containsKey(name) ? plain.get(name) : secrets.get(name);
  }

  Map<String, Object> plainAsObjects() {
    return Collections.unmodifiableMap(new TreeMap<String, Object>(plain));
  }

  /** Every name, secrets with their value replaced by {@code [redacted]}. */
  public SortedMap<String, String> redacted() {
    TreeMap<String, String> r = new TreeMap<>(plain);
    secrets.keySet().forEach(k -> r.put(k, REDACTED));
    return r;
  }

  @Override
  public String toString() {
    return redacted().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientProperties c && c.plain.equals(plain) && c.secrets.equals(secrets);
  }

  @Override
  public int hashCode() {
    return plain.hashCode() * 31 + secrets.hashCode();
  }
}
