package dev.weft.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Assume;

/**
 * The Google Cloud Pub/Sub emulator ({@code cloud-pubsub-emulator}, shipped by the Debian package
 * {@code google-cloud-cli-pubsub-emulator}) on a free loopback port, with the few REST calls a test
 * needs: create a topic and a subscription, publish messages with attributes.
 *
 * <p>Where the emulator is not installed, {@link #startOrSkip()} skips the calling test through
 * JUnit {@code Assume} with a message saying what to install; it never fails it. The binary is
 * looked up in {@code $PUBSUB_EMULATOR_BIN}, then in the Google Cloud SDK's usual place.
 */
public final class PubsubEmulator implements AutoCloseable {
  private static final String DEFAULT_BIN =
      "/usr/lib/google-cloud-sdk/platform/pubsub-emulator/bin/cloud-pubsub-emulator";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path home;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread cleanupHook;

  private PubsubEmulator(Process process, Path home, int port) {
    this.process = process;
    this.home = home;
    this.port = port;
    this.cleanupHook = new Thread(this::stop, "pubsub-emulator-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /** The emulator binary, or empty when it is not installed. */
  public static java.util.Optional<Path> binary() {
    String env = System.getenv("PUBSUB_EMULATOR_BIN");
    Path bin = Path.of(env != null && !env.isBlank() ? env : DEFAULT_BIN);
    return Files.isExecutable(bin) ? java.util.Optional.of(bin) : java.util.Optional.empty();
  }

  /** Starts the emulator, or skips the calling test (JUnit Assume) when it is not installed. */
  public static PubsubEmulator startOrSkip() throws IOException, InterruptedException {
    java.util.Optional<Path> bin = binary();
    Assume.assumeTrue("Pub/Sub emulator not installed (apt-get install"
        + " google-cloud-cli-pubsub-emulator, or set PUBSUB_EMULATOR_BIN); skipping.",
        bin.isPresent());
    Path home = Files.createTempDirectory("weft-pubsub-");
    int port = KafkaBroker.freePort();
    Path log = home.resolve("emulator.log");
    ProcessBuilder pb = new ProcessBuilder(bin.get().toString(), "--host=127.0.0.1",
        "--port=" + port)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    PubsubEmulator emulator = new PubsubEmulator(pb.start(), home, port);
    emulator.awaitReady(log);
    return emulator;
  }

  /** {@code http://127.0.0.1:PORT}: Beam's {@code --pubsubRootUrl}. */
  public String rootUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code 127.0.0.1:PORT}: the client libraries' {@code PUBSUB_EMULATOR_HOST}. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** Creates {@code projects/PROJECT/topics/TOPIC}. */
  public void createTopic(String project, String topic) throws IOException, InterruptedException {
    call("PUT", "/v1/projects/" + project + "/topics/" + topic, "{}");
  }

  /** Creates a pull subscription {@code projects/PROJECT/subscriptions/SUB} on a topic. */
  public void createSubscription(String project, String subscription, String topic)
      throws IOException, InterruptedException {
    call("PUT", "/v1/projects/" + project + "/subscriptions/" + subscription,
        "{\"topic\":\"projects/" + project + "/topics/" + topic + "\",\"ackDeadlineSeconds\":30}");
  }

  /** Publishes one message with attributes; returns the emulator's response body. */
  public String publish(String project, String topic, byte[] data, Map<String, String> attributes)
      throws IOException, InterruptedException {
    String attrs = attributes.entrySet().stream()
        .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
    String body = "{\"messages\":[{\"data\":\"" + Base64.getEncoder().encodeToString(data)
        + "\",\"attributes\":" + attrs + "}]}";
    return call("POST", "/v1/projects/" + project + "/topics/" + topic + ":publish", body);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; the hook runs stop() itself.
    }
  }

  private void stop() {
    // The launcher is a shell script that starts a JVM: stop the JVM, not only the script.
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    KafkaBroker.deleteQuietly(home);
  }

  private void awaitReady(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      if (out.contains("Server started, listening on " + port)) {
        return;
      }
      if (!process.isAlive()) {
        KafkaBroker.deleteQuietly(home);
        throw new IOException("Pub/Sub emulator exited with " + process.exitValue() + ":\n" + out);
      }
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    String out = Files.readString(log);
    close();
    throw new IOException("Pub/Sub emulator not up within " + STARTUP_TIMEOUT + ":\n" + out);
  }

  private String call(String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(rootUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(method + " " + path + " -> " + response.statusCode() + ": "
          + response.body());
    }
    return response.body();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
