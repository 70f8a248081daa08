package dev.weft.io.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Kafka client properties passed through to the consumer or producer, split into plain settings
 * and secrets. Secrets (SASL JAAS configs, passwords, keys, tokens) never reach Beam display data,
 * a {@code toString}, a log line or the run summary: {@link #plain()} goes to KafkaIO's config
 * updates, which Beam shows in its job graph, while secrets are merged into the client config only
 * inside the client factory on the worker (see {@link SecretInjectingClients}).
 *
 * <p>Secrets given inline travel (serialized) with the pipeline to its workers. Secrets from a
 * properties file ({@link #fromFile}) do not: only the file's path travels, and each worker reads
 * the file through Beam's file systems when it creates a client — so a Dataflow job graph or a
 * Flink job jar holds no secret. The file must then be readable where the workers run (a {@code
 * gs://} object, or the same path on every node).
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
  /** A properties file whose secret entries are read on the worker; null when there is none. */
  private final String secretsFile;
  /** The names of the secrets in {@code secretsFile}, for display only. */
  private final TreeSet<String> fileSecretNames;

  private ClientProperties(SortedMap<String, String> plain, SortedMap<String, String> secrets) {
    this(plain, secrets, null, new TreeSet<>());
  }

  private ClientProperties(SortedMap<String, String> plain, SortedMap<String, String> secrets,
      String secretsFile, SortedSet<String> fileSecretNames) {
    this.plain = new TreeMap<>(plain);
    this.secrets = new TreeMap<>(secrets);
    this.secretsFile = secretsFile;
    this.fileSecretNames = new TreeSet<>(fileSecretNames);
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

  /**
   * A Java properties file (Kafka's usual {@code client.properties}), local or on any Beam file
   * system: its plain entries are read now; its secrets are only named now and read again on the
   * worker when a client is created.
   */
  public static ClientProperties fromFile(String path) throws IOException {
    ClientProperties all = of(readFile(path));
    return new ClientProperties(all.plain, new TreeMap<>(), path,
        new TreeSet<>(all.secrets.keySet()));
  }

  static SortedMap<String, String> readFile(String path) throws IOException {
    Properties p = new Properties();
    ResourceId file = FileSystems.matchSingleFileSpec(path).resourceId();
    try (Reader r = Channels.newReader(FileSystems.open(file), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    TreeMap<String, String> all = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> all.put(k.trim(), p.getProperty(k)));
    return all;
  }

  /** This plus {@code other}, whose entries win on equal names. */
  public ClientProperties with(ClientProperties other) {
    TreeMap<String, String> p = new TreeMap<>(plain);
    TreeMap<String, String> s = new TreeMap<>(secrets);
    TreeSet<String> names = new TreeSet<>(fileSecretNames);
    other.plain.forEach((k, v) -> {
      p.put(k, v);
      s.remove(k);
    });
    other.secrets.forEach((k, v) -> {
      s.put(k, v);
      p.remove(k);
    });
    names.addAll(other.fileSecretNames);
    String file = other.secretsFile != null ? other.secretsFile : secretsFile;
    if (other.secretsFile != null && secretsFile != null && !other.secretsFile.equals(secretsFile)) {
      throw new IllegalArgumentException("two Kafka properties files with secrets: " + secretsFile
          + " and " + other.secretsFile + "; merge them into one");
    }
    return new ClientProperties(p, s, file, names);
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

  /**
   * Secrets, for the client factory on the worker only: the inline ones, then those of the
   * secrets file, read now.
   */
  SortedMap<String, String> secretsForClient() {
    TreeMap<String, String> all = new TreeMap<>(secrets);
    if (secretsFile != null) {
      try {
        readFile(secretsFile).forEach((k, v) -> {
          if (isSecret(k)) {
            all.put(k, v);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Kafka properties file " + secretsFile
            + " on this worker", e);
      }
    }
    return all;
  }

  public boolean hasSecrets() {
    return !secrets.isEmpty() || secretsFile != null;
  }

  /** A plain or inline secret value (secrets of a properties file are not held here). */
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
    fileSecretNames.forEach(k -> r.put(k, REDACTED));
    return r;
  }

  @Override
  public String toString() {
    return redacted().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientProperties c && c.plain.equals(plain) && c.secrets.equals(secrets)
        && java.util.Objects.equals(c.secretsFile, secretsFile);
  }

  @Override
  public int hashCode() {
    return plain.hashCode() * 31 + secrets.hashCode();
  }
}
