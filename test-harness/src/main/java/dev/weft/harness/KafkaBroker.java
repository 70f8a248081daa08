package dev.weft.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller, {@code kafka_2.13}) in a JVM
 * of its own, with its own classpath: Kafka's Scala 2.13 never meets the Scala 2.12 that the Spark
 * runner puts on the test classpath. The classpath is written at build time by this module's {@code
 * dependency:build-classpath} execution and read here as a resource.
 *
 * <p>Typical use in a test class: {@code broker = KafkaBroker.start()} in {@code @BeforeClass},
 * {@code broker.close()} in {@code @AfterClass}. Startup takes a few seconds (storage format, then
 * the broker itself); {@link #start()} returns only when the broker logged that it is up, and
 * fails with the broker's own output when it is not up within the timeout.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "/dev/weft/harness/kafka-broker.classpath";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final String READY_LINE = "Kafka Server started";

  private final Process process;
  private final Path home;
  private final int port;
  private final Thread cleanupHook;

  private KafkaBroker(Process process, Path home, int port) {
    this.process = process;
    this.home = home;
    this.port = port;
    this.cleanupHook = new Thread(this::stop, "kafka-broker-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /**
   * A broker for trying Weft by hand: {@code java -cp CP dev.weft.harness.KafkaBroker [PORT]}
   * starts one on 127.0.0.1:PORT (default 9092) and keeps it until the process is stopped.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
    KafkaBroker broker = start(port);
    System.out.println("Kafka broker up at " + broker.bootstrapServers()
        + " (KRaft, data in a temp folder, deleted on exit); stop with Ctrl-C");
    broker.process.waitFor();
  }

  /** Starts a broker on a free loopback port and waits until it serves. */
  public static KafkaBroker start() throws IOException, InterruptedException {
    return start(freePort());
  }

  /** Starts a broker on 127.0.0.1:{@code port} and waits until it serves. */
  public static KafkaBroker start(int port) throws IOException, InterruptedException {
    String classpath = brokerClasspath();
    Path home = Files.createTempDirectory("weft-kafka-");
    int controllerPort = freePort();
    Path config = home.resolve("server.properties");
    Files.writeString(config, serverProperties(home.resolve("data"), port, controllerPort));
    // KRaft needs its metadata log formatted with a cluster id before the first start.
    Path formatLog = home.resolve("format.log");
    Process format = java(classpath, "kafka.tools.StorageTool", "format",
        "-t", clusterId(), "-c", config.toString())
        .redirectErrorStream(true).redirectOutput(formatLog.toFile()).start();
    if (!format.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IOException("Kafka storage format failed:\n" + Files.readString(formatLog));
    }

    Path brokerLog = home.resolve("broker.log");
    Process broker = java(classpath, "kafka.Kafka", config.toString())
        .redirectErrorStream(true).redirectOutput(brokerLog.toFile()).start();
    KafkaBroker running = new KafkaBroker(broker, home, port);
    running.awaitReady(brokerLog);
    return running;
  }

  /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers} and {@code kafka://} URIs. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
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
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteQuietly(home);
  }

  private void awaitReady(Path brokerLog) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.exists(brokerLog) ? Files.readString(brokerLog) : "";
      if (out.contains(READY_LINE)) {
        return;
      }
      if (!process.isAlive()) {
        deleteQuietly(home);
        throw new IOException("Kafka broker exited with " + process.exitValue() + ":\n" + out);
      }
      // Polling the broker's own log: the only readiness signal that needs no Kafka client here.
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    String out = Files.readString(brokerLog);
    close();
    throw new IOException("Kafka broker not up within " + STARTUP_TIMEOUT + ":\n" + out);
  }

  private static String serverProperties(Path dataDir, int port, int controllerPort) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir,
        "num.partitions=2",
        "auto.create.topics.enable=true",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // A test's compacted topic is compacted soon after it is written, not hours later.
        "log.cleaner.backoff.ms=1000",
        "log.cleaner.dedupe.buffer.size=4194304",
        "");
  }

  private static ProcessBuilder java(String classpath, String mainClass,
      String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Djava.awt.headless=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private static String brokerClasspath() throws IOException {
    try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IOException("Missing " + CLASSPATH_RESOURCE + ": build the weft-test-harness module"
            + " (mvn -pl test-harness install) so that its build writes the broker's classpath.");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  /**
   * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (Kafka's Uuid form),
   * drawn again when it starts with '-', which the storage tool would read as an option.
   */
  private static String clusterId() {
    SecureRandom random = new SecureRandom();
    byte[] b = new byte[16];
    String id;
    do {
      random.nextBytes(b);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    } while (id.startsWith("-"));
    return id;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp directory left behind is harmless.
    }
  }
}
