package dev.weft.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The weft command running a streaming pipeline on embedded Flink in a JVM of its own (a child of
 * the test JVM), so a test can kill it as a crash would: {@code SIGKILL}, no shutdown hook, no
 * cleanup. The job is driven through the embedded cluster's REST endpoint (on a port the test
 * chooses, loopback only): which job runs, trigger a checkpoint and wait until it completed, which
 * checkpoint a restarted job restored.
 *
 * <p>Checkpoints are the test's to take: the job is configured with a periodic interval of a year
 * (Flink's first periodic checkpoint comes at a random moment within one interval, so one falls
 * inside a half-hour test with a chance of about 1 in 17,000; {@code Long.MAX_VALUE} would mean
 * none at all, but overflows Flink's REST configuration handler), so checkpoints happen where the
 * test triggers them, and a kill point "before the checkpoint" is exactly that.
 */
final class EmbeddedFlinkJob implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration NEVER = Duration.ofDays(365);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int restPort;
  private final Path checkpoints;
  private final Path log;
  private String jobId;

  private EmbeddedFlinkJob(Process process, int restPort, Path checkpoints, Path log) {
    this.process = process;
    this.restPort = restPort;
    this.checkpoints = checkpoints;
    this.log = log;
  }

  /**
   * Starts {@code WeftMain} with {@code weftArgs} on embedded Flink (parallelism
   * {@code parallelism}), checkpoints under {@code checkpoints}, restoring {@code restoreFrom} when
   * given; the child's output goes to {@code log}. Returns once the job is RUNNING.
   */
  static EmbeddedFlinkJob start(List<String> weftArgs, int parallelism, Path checkpoints,
      Optional<String> restoreFrom, Path work, Path log, Duration timeout) throws Exception {
    int port = freePort();
    Path conf = Files.createDirectories(work.resolve("flink-conf-" + port));
    Files.writeString(conf.resolve("flink-conf.yaml"), String.join("\n",
        "rest.port: " + port, "rest.bind-port: " + port, "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1", ""));
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    String addOpens = System.getProperty("weft.addOpens", "");
    if (!addOpens.isBlank()) {
      cmd.addAll(List.of(addOpens.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        WeftMain.class.getName()));
    cmd.addAll(weftArgs);
    cmd.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=[local]",
        "--parallelism=" + parallelism, "--streaming=true",
        "--checkpointingInterval=" + NEVER.toMillis(),
        "--stateBackend=filesystem", "--stateBackendStoragePath=" + checkpoints.toUri(),
        "--flinkConfDir=" + conf));
    restoreFrom.ifPresent(path -> cmd.add("--savepointPath=" + path));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    EmbeddedFlinkJob job = new EmbeddedFlinkJob(p, port, checkpoints, log);
    try {
      job.awaitRunning(timeout);
    } catch (Exception | AssertionError e) {
      job.kill();
      throw e;
    }
    return job;
  }

  String jobId() {
    return jobId;
  }

  /** Triggers a checkpoint and waits until it completed; returns its id. */
  long checkpoint(Duration timeout) throws Exception {
    JsonNode trigger = post("/jobs/" + jobId + "/checkpoints", "{}");
    String request = trigger.path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = get("/jobs/" + jobId + "/checkpoints/" + request);
      if (status.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode op = status.path("operation");
        if (op.has("failure-cause")) {
          throw new AssertionError("checkpoint failed: " + op.path("failure-cause"));
        }
        return op.path("checkpointId").asLong();
      }
      pause(200);
    }
    throw new AssertionError("checkpoint not completed within " + timeout + "; job log " + log);
  }

  /** The checkpoint this job restored at start ({@code external_path}), if any. */
  Optional<String> restoredFrom() throws Exception {
    JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return restored.isObject() ? Optional.of(restored.path("external_path").asText())
        : Optional.empty();
  }

  /**
   * The newest complete checkpoint this job left under the checkpoint folder: {@code chk-N} with
   * a {@code _metadata} file (a checkpoint cut short by a kill has none).
   */
  String latestCompleteCheckpoint() throws IOException {
    Path jobDir = checkpoints.resolve(jobId);
    try (Stream<Path> dirs = Files.list(jobDir)) {
      return dirs.filter(d -> d.getFileName().toString().matches("chk-\\d+"))
          .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
          .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString()
              .substring(4))))
          .map(d -> d.toUri().toString())
          .orElseThrow(() -> new AssertionError("no complete checkpoint under " + jobDir));
    }
  }

  /** {@code kill -9}: the JVM ends at once, as in a crash; waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void awaitRunning(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("weft exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        for (JsonNode j : get("/jobs").path("jobs")) {
          if (j.path("status").asText().equals("RUNNING")) {
            jobId = j.path("id").asText();
            // RUNNING is the job; its tasks may still be deploying. A checkpoint needs them all.
            if (allTasksRunning()) {
              return;
            }
          }
        }
      } catch (ConnectException notYet) {
        // The embedded cluster's REST endpoint is not up yet.
      }
      pause(500);
    }
    throw new AssertionError("job not running within " + timeout + ":\n" + tail());
  }

  private boolean allTasksRunning() throws Exception {
    JsonNode vertices = get("/jobs/" + jobId).path("vertices");
    for (JsonNode v : vertices) {
      if (!v.path("status").asText().equals("RUNNING")) {
        return false;
      }
    }
    return vertices.size() > 0;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError("POST " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + restPort + path);
  }

  static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
