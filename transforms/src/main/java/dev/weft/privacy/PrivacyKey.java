package dev.weft.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Where the hashing key is, never the key itself: a file (local, {@code gs://}, any Beam file
 * system) or an environment variable. Only this reference travels with the pipeline; every worker
 * reads the key when it starts hashing, so the key is not in the job graph, display data, a log
 * line or the run summary (as Kafka secrets from {@code --kafkaPropertiesFile}). A file's
 * trailing line break is not part of the key.
 */
public final class PrivacyKey implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The environment variable read when no key file is given. */
  public static final String ENVIRONMENT_VARIABLE = "WEFT_PRIVACY_KEY";
  /** Shorter keys make the hashes of guessable values (e-mails, IPs) easier to brute-force. */
  public static final int MIN_BYTES = 16;

  private final String file;
  private final String variable;

  private PrivacyKey(String file, String variable) {
    this.file = file;
    this.variable = variable;
  }

  public static PrivacyKey fromFile(String path) {
    return new PrivacyKey(path, null);
  }

  public static PrivacyKey fromEnvironment(String variable) {
    return new PrivacyKey(null, variable);
  }

  /**
   * The key's bytes, read now.
   *
   * @throws IllegalStateException naming the file or variable (never the key) when it is missing,
   *     unreadable or shorter than {@link #MIN_BYTES}
   */
  public byte[] read() {
    byte[] key;
    if (file != null) {
      try (InputStream in = Channels.newInputStream(
          FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId()))) {
        key = stripLineBreak(in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the privacy key file " + file + ": "
            + e.getMessage(), e);
      }
    } else {
      String v = System.getenv(variable);
      if (v == null || v.isEmpty()) {
        throw new IllegalStateException("the environment variable " + variable
            + " holding the privacy key is not set here");
      }
      key = v.getBytes(StandardCharsets.UTF_8);
    }
    if (key.length < MIN_BYTES) {
      throw new IllegalStateException("the privacy key in " + this + " has " + key.length
          + " bytes; it needs at least " + MIN_BYTES + " (e.g. head -c 32 /dev/urandom | base64)");
    }
    return key;
  }

  /** Whether the environment variable is set in this JVM (for choosing a key at start). */
  public static Optional<PrivacyKey> environmentIfSet() {
    String v = System.getenv(ENVIRONMENT_VARIABLE);
    return v == null || v.isEmpty() ? Optional.empty()
        : Optional.of(fromEnvironment(ENVIRONMENT_VARIABLE));
  }

  private static byte[] stripLineBreak(byte[] b) {
    int end = b.length;
    while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r')) {
      end--;
    }
    return end == b.length ? b : Arrays.copyOf(b, end);
  }

  @Override
  public String toString() {
    return file != null ? "file " + file : "environment variable " + variable;
  }
}
