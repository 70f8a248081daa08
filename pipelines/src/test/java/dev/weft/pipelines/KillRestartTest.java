package dev.weft.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Kill and restart: the streaming pipeline on embedded Flink, in a JVM of its own, with a real
 * Kafka broker; the test kills that JVM ({@code SIGKILL}) at five points, restarts it from its
 * last complete checkpoint ({@code --savepointPath}), finishes the input, and requires the same
 * final compacted graph, binding and dead-letter topics as an uninterrupted run, with nothing lost
 * or counted twice.
 *
 * <p>The input ({@link RestartScenario}) is sent phase by phase; after each phase the test waits
 * until the sink topics show the phase was processed, then triggers a checkpoint and waits for it
 * (periodic checkpoints are off), in the uninterrupted run and in each killed run alike. A kill
 * point is a moment inside a phase, before that phase's checkpoint: the restarted job resumes from
 * the previous phase's checkpoint and must process the phase again. Kill points:
 *
 * <ol>
 *   <li>mid-read: while the 3,100-record batch is being read (some of its dead letters are on the
 *       topic, not all of them — checked after the kill);
 *   <li>between checkpoints: the open window's events are in checkpointed state (first half) and
 *       in memory only (second half), nothing of them in the graph yet;
 *   <li>after a sink write before the checkpoint completes: the window's ON_TIME record is on the
 *       graph topic, the checkpoint that covers it never happened;
 *   <li>during a late pane: the first LATE correction is on the graph topic, more late events in
 *       flight;
 *   <li>during an identity re-bind: pod B has taken pod A's IP and its binding is written.
 * </ol>
 *
 * <p>What is compared: per upsert key, the last record on the topic (what a compacted topic keeps),
 * without the pane fields ({@code timing}, {@code paneIndex}, {@code final}, {@code revision}):
 * a restored job may fire a replayed late element in a pane numbered or timed differently (its
 * operators start below the restored watermark), while the window's content must be the same.
 * Conservation: the run summary's counters do not survive a kill, so the test counts what the
 * topics hold: every malformed record has exactly one distinct dead letter, the ledger node's
 * events over its windows equal the distinct valid lines sent, the checkout window counts its 43
 * distinct events — no event lost, none counted twice.
 *
 * <p>Long (three to four minutes per run on two busy cores, 22 minutes in all): runs under
 * {@code -Prestart} only.
 */
public class KillRestartTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(1800);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(240);
  private static final Duration PHASE = Duration.ofSeconds(180);
  private static final int PARALLELISM = Integer.getInteger("weft.restart.parallelism", 1);
  /** One base time for every run of the class: equal inputs give equal keys and event ids. */
  private static final long BASE = ((System.currentTimeMillis() + 3_600_000L) / 60_000 + 1)
      * 60_000;
  static final Map<String, String> REPORT = new LinkedHashMap<>();

  private static KafkaBroker broker;
  private static KafkaTopics topics;
  private static Outcome reference;

  /** The five kill points: the phase they interrupt and when, within it, the kill comes. */
  enum KillPoint {
    MID_READ("batch"),
    BETWEEN_CHECKPOINTS("open-2"),
    AFTER_SINK_WRITE_BEFORE_CHECKPOINT("close"),
    DURING_LATE_PANE("late"),
    DURING_IDENTITY_REBIND("rebind");

    final String phase;

    KillPoint(String phase) {
      this.phase = phase;
    }
  }

  /** What a run left on the sink topics, and how it went. */
  record Outcome(Map<String, String> graph, Map<String, String> graphWithPanes,
      Map<String, String> bindings, Map<String, String> deadLetters, long millis, String notes) {}

  @BeforeClass
  public static void start() throws Exception {
    Assume.assumeTrue("kill/restart test: run with -Prestart (Flink on the classpath)",
        Boolean.getBoolean("weft.restartTest"));
    broker = KafkaBroker.start();
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterClass
  public static void stop() throws Exception {
    if (topics != null) {
      topics.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (!REPORT.isEmpty()) {
      StringBuilder s = new StringBuilder("kill/restart (embedded Flink, parallelism "
          + PARALLELISM + "):\n");
      REPORT.forEach((k, v) -> s.append("  ").append(k).append(": ").append(v).append('\n'));
      System.out.print(s);
      Files.writeString(Path.of("target", "kill-restart.txt"), s.toString());
    }
  }

  @Test
  public void killedMidRead() throws Exception {
    checkAgainstUninterrupted(KillPoint.MID_READ);
  }

  @Test
  public void killedBetweenCheckpoints() throws Exception {
    checkAgainstUninterrupted(KillPoint.BETWEEN_CHECKPOINTS);
  }

  @Test
  public void killedAfterASinkWriteBeforeItsCheckpoint() throws Exception {
    checkAgainstUninterrupted(KillPoint.AFTER_SINK_WRITE_BEFORE_CHECKPOINT);
  }

  @Test
  public void killedDuringALatePane() throws Exception {
    checkAgainstUninterrupted(KillPoint.DURING_LATE_PANE);
  }

  @Test
  public void killedDuringAnIdentityRebind() throws Exception {
    checkAgainstUninterrupted(KillPoint.DURING_IDENTITY_REBIND);
  }

  private void checkAgainstUninterrupted(KillPoint point) throws Exception {
    Outcome expected = reference();
    Outcome killed = run("k" + point.ordinal(), Optional.of(point));
    long panesDiffer = killed.graphWithPanes().entrySet().stream()
        .filter(e -> !e.getValue().equals(expected.graphWithPanes().get(e.getKey()))).count();
    REPORT.put(point.name(), killed.millis() + " ms; " + killed.notes() + "; " + panesDiffer
        + " graph key(s) whose last record differs in pane fields only");
    assertThat(point + ": graph", killed.graph(), equalTo(expected.graph()));
    assertThat(point + ": bindings", killed.bindings(), equalTo(expected.bindings()));
    assertThat(point + ": dead letters", killed.deadLetters(), equalTo(expected.deadLetters()));
    checkConservation(killed);
  }

  private static synchronized Outcome reference() throws Exception {
    if (reference == null) {
      reference = run("ref", Optional.empty());
      REPORT.put("uninterrupted", reference.millis() + " ms; " + reference.notes());
      checkConservation(reference);
    }
    return reference;
  }

  /** The independent counts: what the input holds, not what an earlier run produced. */
  private static void checkConservation(Outcome o) {
    RestartScenario s = new RestartScenario(BASE);
    assertThat("distinct dead letters", o.deadLetters().size(),
        equalTo(RestartScenario.expectedDeadLetters()));
    long ledger = o.graph().entrySet().stream()
        .filter(e -> e.getKey().startsWith(RestartScenario.LEDGER))
        .mapToLong(e -> RestartScenario.eventsOf(e.getValue())).sum();
    assertThat("ledger events over its windows", ledger,
        equalTo((long) RestartScenario.expectedLedgerEvents()));
    assertThat("checkout window events", RestartScenario.eventsOf(
        o.graph().get(RestartScenario.CHECKOUT + s.window(40))), equalTo(43L));
    assertThat("IP-only lines bound to pod A", o.bindings().values().stream()
        .filter(b -> b.contains(RestartScenario.POD_A) && b.contains("ALIASED")).count(),
        equalTo(5L));
    assertThat("IP-only lines bound to pod B", o.bindings().values().stream()
        .filter(b -> b.contains(RestartScenario.POD_B) && b.contains("ALIASED")).count(),
        equalTo(10L));
  }

  /** One run: every phase, with a kill and restart at {@code kill} when given. */
  private static Outcome run(String prefix, Optional<KillPoint> kill) throws Exception {
    long t0 = System.nanoTime();
    RestartScenario scenario = new RestartScenario(BASE);
    for (String t : List.of("logs", "k8s")) {
      topics.create(prefix + "-" + t, 1, Map.of());
    }
    for (String t : List.of("graph", "dead", "bindings")) {
      topics.create(prefix + "-" + t, 1, Map.of("cleanup.policy", "compact"));
    }
    Path work = TMP.newFolder(prefix).toPath();
    Path fields = Files.writeString(work.resolve("json-log-fields.yaml"),
        "signals:\n  k8s.pod.ip: [pod_ip]\n");
    String kafka = "kafka://" + broker.bootstrapServers() + "/" + prefix;
    List<String> args = List.of(
        "--sources=json-logs:" + kafka + "-logs?group.id=weft-" + prefix,
        "--sources=k8s:" + kafka + "-k8s?group.id=weft-" + prefix,
        "--jsonLogFields=" + fields,
        "--graphSink=" + kafka + "-graph",
        "--deadLetterSink=" + kafka + "-dead",
        "--bindingsSink=" + kafka + "-bindings",
        "--windowSeconds=10", "--allowedLatenessSeconds=600", "--watermarkDelaySeconds=2",
        "--output=" + work.resolve("out"));
    Path checkpoints = Files.createDirectories(work.resolve("checkpoints"));
    Path log = Path.of("target", "kill-restart-" + prefix + ".log");
    Files.deleteIfExists(log);
    List<String> notes = new ArrayList<>();

    EmbeddedFlinkJob job = EmbeddedFlinkJob.start(args, PARALLELISM, checkpoints,
        Optional.empty(), work, log, START);
    try {
      for (RestartScenario.Phase phase : scenario.phases()) {
        if (kill.isPresent() && kill.get().phase.equals(phase.name())) {
          KillPoint point = kill.get();
          List<String> deadKeys;
          if (point == KillPoint.MID_READ) {
            // The batch is still being produced (one acknowledged record at a time) while the
            // job reads it: the kill lands while records of the batch keep arriving.
            CompletableFuture<List<String>> sending = CompletableFuture.supplyAsync(() -> {
              try {
                return send(prefix, phase);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
            awaitKillMoment(prefix, point, phase, List.of(), scenario);
            job.kill();
            deadKeys = sending.get(PHASE.toSeconds(), TimeUnit.SECONDS);
          } else {
            deadKeys = send(prefix, phase);
            awaitKillMoment(prefix, point, phase, deadKeys, scenario);
            job.kill();
          }
          notes.add(evidence(prefix, point, deadKeys));
          String checkpoint = job.latestCompleteCheckpoint();
          Map<String, Long> marks = endOffsets(prefix);
          job = EmbeddedFlinkJob.start(args, PARALLELISM, checkpoints, Optional.of(checkpoint),
              work, log, START);
          assertThat("restored checkpoint", job.restoredFrom().map(KillRestartTest::normalize),
              equalTo(Optional.of(normalize(checkpoint))));
          notes.add("restored " + checkpoint.replaceAll(".*/(chk-\\d+)/?$", "$1"));
          // The restored job must do the phase again: its conditions, on records written since.
          awaitPhase(prefix, phase, deadKeys, marks);
        } else {
          awaitPhase(prefix, phase, send(prefix, phase), Map.of());
        }
        long id = job.checkpoint(PHASE);
        System.out.printf("[%s] phase %s done, checkpoint %d, %d ms since start%n", prefix,
            phase.name(), id, (System.nanoTime() - t0) / 1_000_000);
      }
      awaitQuiet(prefix, Duration.ofSeconds(3));
    } catch (AssertionError | Exception e) {
      throw new AssertionError(prefix + ": " + e.getMessage() + "\njob log (" + log + "):\n"
          + job.tail(), e);
    } finally {
      job.close();
    }
    return outcome(prefix, (System.nanoTime() - t0) / 1_000_000, notes);
  }

  private static String normalize(String uri) {
    return uri.replaceFirst("^file:/+", "/").replaceAll("/$", "");
  }

  /** Produces a phase's records; returns the dead-letter keys its malformed records must get. */
  private static List<String> send(String prefix, RestartScenario.Phase phase) throws Exception {
    List<String> deadKeys = new ArrayList<>();
    for (RestartScenario.Input in : phase.inputs()) {
      String topic = prefix + "-" + in.topic();
      long offset = topics.send(topic, 0, in.timeMillis(), null, in.value()).offset();
      if (in.malformed()) {
        deadKeys.add((in.topic().equals("logs") ? "json-logs" : "k8s") + "|" + topic + "[0]@"
            + offset);
      }
    }
    return deadKeys;
  }

  private static void awaitPhase(String prefix, RestartScenario.Phase phase, List<String> deadKeys,
      Map<String, Long> after) throws Exception {
    awaitOn(prefix, "dead", after, rs -> keysOf(rs).containsAll(deadKeys),
        "the dead letters of phase " + phase.name());
    for (RestartScenario.Condition c : phase.done()) {
      awaitOn(prefix, c.topic(), after, c.holds(), c.description() + " (phase " + phase.name()
          + ")");
    }
  }

  /** The moment to kill, inside the phase (see the class comment). */
  private static void awaitKillMoment(String prefix, KillPoint point, RestartScenario.Phase phase,
      List<String> deadKeys, RestartScenario scenario) throws Exception {
    switch (point) {
      case MID_READ:
        // The only dead letter before the batch is the k8s one: these are the batch's.
        awaitOn(prefix, "dead", Map.of(), rs -> keysOf(rs).stream()
            .filter(k -> k.contains("-logs[")).count() >= 5, "the first dead letters of the batch");
        return;
      case DURING_LATE_PANE:
        awaitOn(prefix, "graph", Map.of(), RestartScenario.nodeWithEvents(
            RestartScenario.CHECKOUT, scenario.window(40), e -> e > 40).holds(),
            "the first late pane");
        return;
      default:
        awaitPhase(prefix, phase, deadKeys, Map.of());
    }
  }

  /** What shows that the kill came where it should, checked after the kill. */
  private static String evidence(String prefix, KillPoint point, List<String> deadKeys)
      throws Exception {
    List<RestartScenario.Sunk> dead = readAll(prefix, "dead");
    long seen = keysOf(dead).stream().filter(deadKeys::contains).count();
    if (point == KillPoint.MID_READ) {
      // Some of the batch's dead letters were written, not all: the job died mid-batch.
      assertThat("mid-read kill came after the whole batch was read", seen,
          lessThan((long) deadKeys.size()));
    }
    return deadKeys.isEmpty() ? "killed" : "killed with " + seen + "/" + deadKeys.size()
        + " of the phase's dead letters written";
  }

  private static void awaitOn(String prefix, String topic, Map<String, Long> after,
      Predicate<List<RestartScenario.Sunk>> holds, String what) throws Exception {
    long from = after.getOrDefault(topic, 0L);
    List<RestartScenario.Sunk> rs = read(prefix, topic,
        all -> holds.test(all.stream().filter(r -> r.offset() >= from)
            .collect(Collectors.toList())), PHASE);
    if (!holds.test(rs.stream().filter(r -> r.offset() >= from).collect(Collectors.toList()))) {
      throw new AssertionError("not within " + PHASE + ": " + what + " on " + prefix + "-"
          + topic + " (from offset " + from + ", " + rs.size() + " records)");
    }
  }

  private static List<RestartScenario.Sunk> read(String prefix, String topic,
      Predicate<List<RestartScenario.Sunk>> done, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> raw = topics.readUntil(prefix + "-" + topic,
        rs -> done.test(sunk(rs)), timeout);
    return sunk(raw);
  }

  private static List<RestartScenario.Sunk> sunk(List<ConsumerRecord<byte[], byte[]>> rs) {
    List<RestartScenario.Sunk> out = new ArrayList<>(rs.size());
    for (ConsumerRecord<byte[], byte[]> r : rs) {
      out.add(new RestartScenario.Sunk(r.offset(), r.key() == null ? "" : new String(r.key(),
          UTF_8), r.value() == null ? "" : new String(r.value(), UTF_8)));
    }
    return out;
  }

  /** Dead-letter keys up to the offset (an origin may add a line or JSON pointer after it). */
  private static List<String> keysOf(List<RestartScenario.Sunk> rs) {
    return rs.stream().map(r -> r.key().replaceFirst("^(.*@\\d+).*$", "$1"))
        .collect(Collectors.toList());
  }

  private static Map<String, Long> endOffsets(String prefix) throws Exception {
    Map<String, Long> marks = new TreeMap<>();
    for (String t : List.of("graph", "dead", "bindings")) {
      marks.put(t, topics.endOffsetTotal(prefix + "-" + t, List.of(0)));
    }
    return marks;
  }

  /** Waits until no sink topic grows for {@code quiet}: the job has written all it will. */
  private static void awaitQuiet(String prefix, Duration quiet) throws Exception {
    long deadline = System.nanoTime() + PHASE.toNanos();
    Map<String, Long> last = endOffsets(prefix);
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      EmbeddedFlinkJob.pause(250);
      Map<String, Long> now = endOffsets(prefix);
      if (!now.equals(last)) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince >= quiet.toNanos()) {
        return;
      }
    }
    throw new AssertionError("sink topics of " + prefix + " still growing after " + PHASE);
  }

  /** The compacted view of the sink topics: per key, the last record written. */
  private static Outcome outcome(String prefix, long millis, List<String> notes)
      throws Exception {
    List<RestartScenario.Sunk> graph = readAll(prefix, "graph");
    List<RestartScenario.Sunk> bindings = readAll(prefix, "bindings");
    List<RestartScenario.Sunk> dead = readAll(prefix, "dead");
    Map<String, String> g = new TreeMap<>();
    Map<String, String> withPane = new TreeMap<>();
    Map<String, JsonNode> highest = new TreeMap<>();
    for (RestartScenario.Sunk r : graph) {
      g.put(r.key(), withoutPane(r.value()));
      withPane.put(r.key(), r.value());
      JsonNode n = JSON.readTree(r.value());
      highest.merge(r.key(), n, (a, c) ->
          c.path("revision").asLong() >= a.path("revision").asLong() ? c : a);
    }
    // A consumer that keeps the highest revision instead of the last write: does it agree?
    long disagree = 0;
    for (Map.Entry<String, JsonNode> e : highest.entrySet()) {
      if (!withoutPane(e.getValue().toString()).equals(g.get(e.getKey()))) {
        disagree++;
      }
    }
    Map<String, String> b = new TreeMap<>();
    bindings.forEach(r -> b.put(r.key(), r.value()));
    Map<String, String> d = new TreeMap<>();
    for (RestartScenario.Sunk r : dead) {
      // The topic names carry the run's prefix; the offsets are the same in every run.
      JsonNode letter = JSON.readTree(r.value());
      d.put(r.key().replace(prefix + "-", "RUN-"), letter.path("reason").asText());
    }
    notes.add(graph.size() + " graph writes for " + g.size() + " keys, " + bindings.size()
        + " binding writes for " + b.size() + " keys, " + dead.size() + " dead-letter writes for "
        + d.size() + " keys; highest revision differs from last write on " + disagree
        + " key(s)");
    return new Outcome(g, withPane, b, d, millis, String.join("; ", notes));
  }

  private static List<RestartScenario.Sunk> readAll(String prefix, String topic)
      throws Exception {
    long end = topics.endOffsetTotal(prefix + "-" + topic, List.of(0));
    return read(prefix, topic, rs -> end == 0 || (!rs.isEmpty()
        && rs.get(rs.size() - 1).offset() >= end - 1), Duration.ofSeconds(30));
  }

  /** A graph record without what depends on when its pane fired. */
  static String withoutPane(String json) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(json);
    n.remove(List.of("timing", "paneIndex", "final", "revision"));
    return n.toString();
  }
}
