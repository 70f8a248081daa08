package dev.weft.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.adapters.Normalize;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import dev.weft.options.WeftOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The pipeline as a continuous job on a real Kafka broker (KRaft, own JVM): two topics of two
 * formats with duplicates, out-of-order records, malformed records, invalid UTF-8 and a tombstone.
 * The test reads the dead-letter topic back, reads the event files the streaming run appends, and
 * checks the conservation counters while the job is still running; then it cancels the job.
 */
public class KafkaStreamingTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(240);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static KafkaBroker broker;
  private static KafkaTopics topics;

  @BeforeClass
  public static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterClass
  public static void stopBroker() {
    if (topics != null) {
      topics.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  public void continuousRunNormalizesDeadLettersAndConserves() throws Exception {
    topics.create("zipkin-spans", 2, Map.of());
    topics.create("json-logs", 2, Map.of());
    topics.create("weft-dead-letters", 1, Map.of("cleanup.policy", "compact"));
    long now = System.currentTimeMillis();

    // Zipkin: one document of 6 spans, the same document again (a producer retry), a truncated
    // document and a tombstone: 12 events, 2 dead letters.
    byte[] spans = Files.readAllBytes(Path.of(System.getProperty("weft.testdata"),
        "zipkin", "catalog-spans.json"));
    topics.send("zipkin-spans", 0, now, null, spans);
    topics.send("zipkin-spans", 1, now + 1, null, spans);
    topics.send("zipkin-spans", 0, now + 2, null, "[{\"traceId\":\"7a6b".getBytes(UTF_8));
    topics.send("zipkin-spans", 1, now + 3, "gone".getBytes(UTF_8), null);

    // JSON logs: the 14 non-blank lines of the sample (one of them truncated) in reverse order,
    // a good one twice, a JSON array and invalid UTF-8: 14 events, 3 dead letters.
    List<String> lines = Files.readAllLines(Path.of(System.getProperty("weft.testdata"),
        "logs", "shop.ndjson"), UTF_8).stream().filter(l -> !l.isBlank())
        .collect(Collectors.toList());
    Collections.reverse(lines);
    int i = 0;
    for (String line : lines) {
      topics.send("json-logs", i % 2, now + i, null, line.getBytes(UTF_8));
      i++;
    }
    topics.send("json-logs", 0, now + 100, null, lines.get(3).getBytes(UTF_8));
    topics.send("json-logs", 1, now + 101, null, "[1,2,3]".getBytes(UTF_8));
    topics.send("json-logs", 0, now + 102, null,
        new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

    Path out = TMP.newFolder("out").toPath();
    String kafka = "kafka://" + broker.bootstrapServers();
    WeftOptions options = PipelineOptionsFactory.fromArgs(
            "--sources=zipkin:" + kafka + "/zipkin-spans?group.id=weft-e2e",
            "--sources=json-logs:" + kafka + "/json-logs?group.id=weft-e2e",
            "--deadLetterSink=" + kafka + "/weft-dead-letters",
            "--output=" + out,
            "--blockOnRun=false")
        .withValidation().as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.Plan plan = WeftPipeline.build(p, options, new AdapterCatalog(options));
    PipelineResult result = p.run();
    try {
      List<ConsumerRecord<byte[], byte[]>> dead = topics.readUntil("weft-dead-letters",
          r -> r.size() >= 5, Duration.ofSeconds(90));
      List<JsonNode> events = awaitLines(out, "events-", 26, Duration.ofSeconds(40));
      Map<String, Long> counts = awaitCounters(result, plan, 31, Duration.ofSeconds(60));

      // Every malformed record is a dead letter keyed by its origin, with a reason.
      assertThat(dead.stream().map(r -> new String(r.key(), UTF_8).replaceAll("@\\d+$", "@N")
              .replaceAll("\\[\\d]", "[P]")).collect(Collectors.toList()),
          containsInAnyOrder("zipkin|zipkin-spans[P]@N", "zipkin|zipkin-spans[P]@N",
              "json-logs|json-logs[P]@N", "json-logs|json-logs[P]@N",
              "json-logs|json-logs[P]@N"));
      List<String> reasons = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : dead) {
        reasons.add(JSON.readTree(r.value()).path("reason").asText());
      }
      assertThat(reasons, everyItem(not(emptyString())));

      // Duplicates keep their identity, so downstream dedup can drop them: the resent Zipkin
      // document's 6 spans carry the same 6 ids, the resent log line the id of its original.
      assertThat(events.size(), equalTo(26));
      Map<String, Long> ids = events.stream().collect(Collectors.groupingBy(
          e -> e.path("origin").path("format").asText() + " " + e.path("eventId").asText(),
          java.util.TreeMap::new, Collectors.counting()));
      assertThat(ids.entrySet().stream().filter(e -> e.getKey().startsWith("zipkin "))
          .map(Map.Entry::getValue).collect(Collectors.toList()), equalTo(List.of(2L, 2L, 2L, 2L,
          2L, 2L)));
      String resent = JSON.readTree(lines.get(3)).path("message").asText();
      assertThat(events.stream().filter(e -> e.path("log").toString().contains(resent))
          .map(e -> e.path("eventId").asText()).distinct().count(), equalTo(1L));
      assertThat(events.stream().filter(e -> e.path("log").toString().contains(resent))
          .count(), equalTo(2L));

      // Conservation, per source, while the job runs: read = normalized + dead-lettered.
      assertThat(counts.get("0.zipkin/read"), equalTo(14L));
      assertThat(counts.get("0.zipkin/normalized"), equalTo(12L));
      assertThat(counts.get("0.zipkin/deadLettered"), equalTo(2L));
      assertThat(counts.get("1.json-logs/read"), equalTo(17L));
      assertThat(counts.get("1.json-logs/normalized"), equalTo(14L));
      assertThat(counts.get("1.json-logs/deadLettered"), equalTo(3L));
    } finally {
      result.cancel();
    }
  }

  /**
   * Early, on-time and late panes through Kafka: log events of one service in a 10 s window that
   * is still open when they arrive (EARLY after 1 s), closed by the watermark (ON_TIME), then a
   * late event for the same window (LATE, within the allowed lateness) and a duplicate (dropped).
   * Record timestamps are the events' own times, as the source's watermark expects. The compacted
   * graph topic, read back with the highest revision per key, holds the corrected window.
   */
  @Test
  public void graphTopicCarriesEarlyOnTimeAndLateRevisions() throws Exception {
    RevisionRun run = revisionScenario(topics, broker.bootstrapServers(), "rev",
        TMP.newFolder("revisions").toPath(), false);
    List<String> timings = timings(run.graph(), INSTANCE);
    assertThat(timings.toString(), timings.get(timings.size() - 1), equalTo("LATE"));
    int onTime = timings.indexOf("ON_TIME");
    assertThat(timings.toString(), onTime >= 0 && timings.subList(0, onTime).stream()
        .allMatch("EARLY"::equals), equalTo(true));
    // Early firing must have shown the open window at least once before it closed.
    assertThat("no EARLY pane before ON_TIME: " + timings, onTime, greaterThan(0));
    JsonNode latest = run.latest().get(latestKey(run.graph(), INSTANCE));
    assertThat(latest.path("timing").asText(), equalTo("LATE"));
    assertThat(latest.path("events").asLong(), equalTo(4L));
    assertThat(latest.path("revision").asLong(), equalTo((long) timings.size() - 1));
    // The ON_TIME pane held the 3 on-time events; the LATE pane corrected it to 4.
    assertThat(run.graph().stream().filter(n -> n.path("upsertKey").asText().startsWith(INSTANCE)
        && n.path("timing").asText().equals("ON_TIME")).findFirst().orElseThrow()
        .path("events").asLong(), equalTo(3L));
  }

  /**
   * An event of a quiet key behind the global watermark, in a window already closed, goes to
   * late-* with the windows' reason, from the lateness gate: never a silent drop by the runner.
   */
  @Test
  public void aQuietKeysEventInAClosedWindowIsWrittenLateNotDropped() throws Exception {
    List<JsonNode> late = quietKeyScenario(topics, broker.bootstrapServers(), "quiet",
        TMP.newFolder("quiet").toPath());
    assertQuietKeyLate(late);
  }

  static void assertQuietKeyLate(List<JsonNode> late) {
    assertThat(late.toString(), late.size(), equalTo(1));
    JsonNode l = late.get(0);
    assertThat(l.toString(), l.path("stage").asText(), equalTo("OrderWithinKey"));
    assertThat(l.toString(), l.path("key").asText(), equalTo("service.instance~quiet/node-1"));
    assertThat(l.toString(), l.path("reason").asText(),
        org.hamcrest.Matchers.containsString("is in a graph window closed since"));
  }

  /** The log lines are about the service instance (service.name + host.name): its node counts them. */
  static final String INSTANCE = "node|service.instance~checkout/node-1|";

  /** What a revision scenario left on the graph topic. */
  record RevisionRun(List<JsonNode> graph, Map<String, JsonNode> latest, long committed) {}

  /**
   * Early, on-time and late panes through Kafka: log events of one service in a 10 s window that
   * is still open when they arrive (EARLY after 1 s), closed by the watermark (ON_TIME), then a
   * late event for the same window (LATE, within the allowed lateness) and a duplicate (dropped).
   * Record timestamps are the events' own times, as the source's watermark expects. Returns every
   * graph record of the topic and, per upsert key, the highest revision (what a consumer of the
   * compacted topic ends with). {@code runnerArgs} select the runner (Direct by default).
   */
  static RevisionRun revisionScenario(KafkaTopics topics, String bootstrap, String prefix,
      Path out, boolean expectCommits, String... runnerArgs) throws Exception {
    String in = prefix + "-logs";
    String graphTopic = prefix + "-graph";
    topics.create(in, 1, Map.of());
    topics.create(graphTopic, 1, Map.of("cleanup.policy", "compact"));
    long window = 10_000;
    // A window 10-20 s ahead: it stays open (the idle watermark trails the clock by 2 s) for
    // a while after the pipeline has started and read the records, so the first panes are
    // EARLY.
    long start = (System.currentTimeMillis() / window + 2) * window;
    for (int i = 1; i <= 3; i++) {
      topics.send(in, 0, start + i * 1000L, null, logLine(start + i * 1000L, "req " + i));
    }
    String kafka = "kafka://" + bootstrap;
    List<String> args = new ArrayList<>(List.of(
        "--sources=json-logs:" + kafka + "/" + in + "?group.id=weft-" + prefix,
        "--graphSink=" + kafka + "/" + graphTopic,
        "--windowSeconds=10", "--earlyFiringSeconds=1", "--allowedLatenessSeconds=600",
        "--watermarkDelaySeconds=2",
        "--output=" + out,
        "--blockOnRun=false"));
    PipelineResult result = startStreaming(args, runnerArgs);
    try {
      awaitRecords(topics, graphTopic, INSTANCE, "ON_TIME", Duration.ofSeconds(120));
      // Late (within the allowed lateness) and a duplicate of it: one more event in the window.
      byte[] late = logLine(start + 5000, "late req");
      topics.send(in, 0, start + 5000, null, late);
      topics.send(in, 0, start + 5000, null, late);
      List<JsonNode> graph =
          awaitRecords(topics, graphTopic, INSTANCE, "LATE", Duration.ofSeconds(120));
      // Offsets are committed when the runner finalizes checkpoints: Flink with checkpointing
      // does; the Direct runner's Kafka read does not finalize them, so there is nothing to wait
      // for there.
      long committed = expectCommits
          ? topics.awaitCommitted("weft-" + prefix, 5, Duration.ofSeconds(60))
          : topics.committedTotal("weft-" + prefix);
      return new RevisionRun(graph, latestByKey(graph), committed);
    } finally {
      result.cancel();
    }
  }

  /** Builds Weft from {@code args} plus {@code runnerArgs} and starts it, not waiting. */
  static PipelineResult startStreaming(List<String> args, String... runnerArgs) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(runnerArgs));
    WeftOptions options = PipelineOptionsFactory.fromArgs(all.toArray(new String[0]))
        .withValidation().as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.build(p, options, new AdapterCatalog(options));
    return p.run();
  }

  static byte[] logLine(long millis, String message) {
    return logLine(millis, "checkout", message);
  }

  static byte[] logLine(long millis, String service, String message) {
    return ("{\"timestamp\": \"" + java.time.Instant.ofEpochMilli(millis) + "\", \"level\": "
        + "\"info\", \"service\": \"" + service + "\", \"host\": \"node-1\", \"message\": \""
        + message + "\"}").getBytes(UTF_8);
  }

  /**
   * A quiet service on a moving stream: "quiet" logs once, "checkout" moves the watermark a minute
   * on, then "quiet" logs again 1 s after its first line. Within quiet's own lateness bound (10 s of
   * its frontier), but its 10 s window closed 20 s after it began and the watermark is past that:
   * the windows would drop it. Returns the late-* lines once one is written (or whatever is there
   * after the timeout). {@code runnerArgs} select the runner (Direct by default).
   */
  static List<JsonNode> quietKeyScenario(KafkaTopics topics, String bootstrap, String prefix,
      Path out, String... runnerArgs) throws Exception {
    String in = prefix + "-quiet";
    String graphTopic = prefix + "-quiet-graph";
    topics.create(in, 1, Map.of());
    topics.create(graphTopic, 1, Map.of("cleanup.policy", "compact"));
    long window = 10_000;
    long start = (System.currentTimeMillis() / window + 2) * window;
    topics.send(in, 0, start + 1000, null, logLine(start + 1000, "quiet", "quiet first"));
    topics.send(in, 0, start + 1000, null, logLine(start + 1000, "checkout at 1"));
    topics.send(in, 0, start + 15_000, null, logLine(start + 15_000, "checkout at 15"));
    topics.send(in, 0, start + 65_000, null, logLine(start + 65_000, "checkout at 65"));
    List<String> args = new ArrayList<>(List.of(
        "--sources=json-logs:kafka://" + bootstrap + "/" + in + "?group.id=weft-" + prefix,
        "--graphSink=kafka://" + bootstrap + "/" + graphTopic,
        "--windowSeconds=10", "--allowedLatenessSeconds=10", "--watermarkDelaySeconds=2",
        "--output=" + out, "--blockOnRun=false"));
    PipelineResult result = startStreaming(args, runnerArgs);
    try {
      // The window [start + 10 s, start + 20 s) fired on time: every stage's watermark is past
      // start + 20 s, where quiet's first window closed.
      String closedWindow = java.time.Instant.ofEpochMilli(start + 10_000).toString()
          .replace("Z", "");
      topics.readUntil(graphTopic, rs -> rs.stream().anyMatch(r -> {
        String key = new String(r.key(), UTF_8);
        return key.startsWith(INSTANCE) && key.contains(closedWindow)
            && new String(r.value(), UTF_8).contains("\"timing\":\"ON_TIME\"");
      }), Duration.ofSeconds(120));
      topics.send(in, 0, start + 2000, null, logLine(start + 2000, "quiet", "quiet again"));
      return awaitLines(out, "late", 1, Duration.ofSeconds(60));
    } finally {
      result.cancel();
    }
  }

  /** Graph records of the topic, read until one of {@code keyPrefix} has the given timing. */
  static List<JsonNode> awaitRecords(KafkaTopics topics, String topic, String keyPrefix,
      String timing, Duration timeout) throws IOException {
    List<ConsumerRecord<byte[], byte[]>> raw = topics.readUntil(topic, rs -> rs.stream()
        .anyMatch(r -> new String(r.key(), UTF_8).startsWith(keyPrefix)
            && new String(r.value(), UTF_8).contains("\"timing\":\"" + timing + "\"")),
        timeout);
    List<JsonNode> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : raw) {
      records.add(JSON.readTree(r.value()));
    }
    return records;
  }

  /** The pane timings of one node's records, in revision order. */
  static List<String> timings(List<JsonNode> graph, String keyPrefix) {
    return graph.stream().filter(n -> n.path("upsertKey").asText().startsWith(keyPrefix))
        .sorted(java.util.Comparator.comparingLong(n -> n.path("revision").asLong()))
        .map(n -> n.path("timing").asText()).collect(Collectors.toList());
  }

  static String latestKey(List<JsonNode> graph, String keyPrefix) {
    return graph.stream().map(n -> n.path("upsertKey").asText())
        .filter(k -> k.startsWith(keyPrefix)).findFirst().orElseThrow();
  }

  /** What a consumer of the compacted topic ends with: the highest revision of each key. */
  static Map<String, JsonNode> latestByKey(List<JsonNode> graph) {
    Map<String, JsonNode> latest = new java.util.TreeMap<>();
    for (JsonNode n : graph) {
      latest.merge(n.path("upsertKey").asText(), n, (a, b) ->
          a.path("revision").asLong() >= b.path("revision").asLong() ? a : b);
    }
    return latest;
  }

  /** Reads the JSON lines of the files under {@code out} named {@code prefix*}, until enough. */
  static List<JsonNode> awaitLines(Path out, String prefix, int count, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> lines = readLines(out, prefix);
    while (lines.size() < count && System.nanoTime() < deadline) {
      // The streaming run appends files every few seconds: poll the folder, bounded.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      lines = readLines(out, prefix);
    }
    return lines;
  }

  private static List<JsonNode> readLines(Path out, String prefix) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)
          && f.getFileName().toString().endsWith(".jsonl")).sorted()
          .collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f, UTF_8)) {
          if (!line.isBlank()) {
            lines.add(JSON.readTree(line));
          }
        }
      }
    }
    return lines;
  }

  /** The per-source counters ({@code SOURCE/NAME}), polled until {@code read} adds up. */
  static Map<String, Long> awaitCounters(PipelineResult result, WeftPipeline.Plan plan,
      long totalRead, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> counts = counters(result, plan);
    while (sum(counts, "/read") < totalRead && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      counts = counters(result, plan);
    }
    return counts;
  }

  private static long sum(Map<String, Long> counts, String suffix) {
    return counts.entrySet().stream().filter(e -> e.getKey().endsWith(suffix))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static Map<String, Long> counters(PipelineResult result, WeftPipeline.Plan plan) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (SourceSpec s : plan.sources()) {
      for (String name : List.of("read", "normalized", "deadLettered")) {
        MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(Normalize.counterNamespace(s.name()), name))
            .build());
        long v = 0;
        for (MetricResult<Long> c : q.getCounters()) {
          Long attempted = c.getAttempted();
          v += attempted == null ? 0 : attempted;
        }
        counts.put(s.name() + "/" + name, v);
      }
    }
    return counts;
  }

  /**
   * The overload spill to a Kafka topic (issue 11): a bounded storm of 600 error lines from one
   * service against a budget of 100 spills the 500 beyond it to the topic, keyed by event id, as
   * canonical event JSON; the summary counts them and its identity holds. The topic's records,
   * replayed with the {@code weft-events} format beside the original file, complete the storm
   * without counting anything twice.
   */
  @Test
  public void spillToAKafkaTopicKeepsEveryEventBeyondTheBudgetForAReplay() throws Exception {
    topics.create("weft-spill", 2, Map.of());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      lines.add(String.format("{\"timestamp\": \"2024-05-01T10:00:%02d.000Z\", \"level\": "
          + "\"error\", \"service\": \"storm\", \"host\": \"node-1\", \"message\": "
          + "\"disk full %d\"}", i % 60, i));
    }
    Path input = TMP.newFolder().toPath().resolve("storm.ndjson");
    Files.write(input, lines, UTF_8);
    String spill = "kafka://" + broker.bootstrapServers() + "/weft-spill";
    WeftRun run = WeftRun.of(TMP.newFolder().toPath().resolve("out"),
        "--sources=json-logs:" + input, "--overloadBudget=100", "--overloadAction=spill",
        "--spillLocation=" + spill, "--quiet");
    assertThat(run.toString(), run.exitCode, equalTo(0));
    JsonNode summary = run.summary();
    assertThat(summary.toString(), summary.path("conserved").asBoolean(), equalTo(true));
    assertThat(summary.path("overload.spilled").asLong(), equalTo(500L));

    List<ConsumerRecord<byte[], byte[]>> spilled =
        topics.readUntil("weft-spill", r -> r.size() >= 500, Duration.ofSeconds(60));
    assertThat(spilled.size(), equalTo(500));
    List<String> replayable = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : spilled) {
      JsonNode event = JSON.readTree(r.value());
      assertThat(new String(r.key(), UTF_8), equalTo(event.path("eventId").asText()));
      assertThat(event.path("signals").path("service.name").asText(), equalTo("storm"));
      replayable.add(new String(r.value(), UTF_8));
    }
    Path replayFile = TMP.newFolder().toPath().resolve("from-topic.jsonl");
    Files.write(replayFile, replayable, UTF_8);
    WeftRun replay = WeftRun.of(TMP.newFolder().toPath().resolve("replayed"),
        "--sources=json-logs:" + input, "--sources=weft-events:" + replayFile,
        "--overloadBudget=0", "--quiet");
    assertThat(replay.toString(), replay.exitCode, equalTo(0));
    assertThat(replay.summary().path("duplicates").asLong(), equalTo(500L));
    assertThat(replay.summary().path("unique").asLong(), equalTo(600L));
  }

  /**
   * A continuous run never ends by itself (issue 11): run as the weft command in a JVM of its own,
   * it rewrites summary.json every second while it runs ("final": false, with its counters and the
   * runner's late drops, which must be 0), and once more when stopped by a signal.
   */
  @Test
  public void aStreamingRunRewritesItsSummaryWhileItRunsAndWhenStopped() throws Exception {
    topics.create("interim-logs", 1, Map.of());
    long now = System.currentTimeMillis();
    for (int i = 0; i < 10; i++) {
      topics.send("interim-logs", 0, now + i, null, String.format("{\"timestamp\": %d, "
          + "\"level\": \"info\", \"service\": \"svc\", \"message\": \"line %d\"}",
          now + i, i).getBytes(UTF_8));
    }
    Path out = TMP.newFolder("interim").toPath();
    Path log = out.getParent().resolve("interim.log");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), WeftMain.class.getName(),
        "--sources=json-logs:kafka://" + broker.bootstrapServers()
            + "/interim-logs?group.id=weft-interim",
        "--output=" + out, "--summarySeconds=1", "--quiet");
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      JsonNode running = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline) {
        Path summary = out.resolve("summary.json");
        if (Files.exists(summary)) {
          try {
            JsonNode s = JSON.readTree(summary.toFile());
            if (s.path("read").asLong() == 10 && s.path("unique").asLong() == 10) {
              running = s;
              break;
            }
          } catch (IOException halfWritten) {
            // Read while being rewritten: try again.
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
      }
      assertThat("no interim summary with 10 records read; log " + Files.readString(log),
          running == null, equalTo(false));
      assertThat(running.path("final").asBoolean(true), equalTo(false));
      assertThat(running.path("normalized").asLong(), equalTo(10L));
      assertThat(running.path("droppedDueToLateness").asLong(), equalTo(0L));
      assertThat(running.path("conserved").asBoolean(), equalTo(true));
      assertThat(child.isAlive(), equalTo(true));

      child.destroy();
      assertThat(child.waitFor(60, TimeUnit.SECONDS), equalTo(true));
      JsonNode stopped = JSON.readTree(out.resolve("summary.json").toFile());
      assertThat(stopped.path("stoppedBy").asText(), equalTo("signal"));
      assertThat(stopped.path("read").asLong(), equalTo(10L));
    } finally {
      child.destroyForcibly();
    }
  }
}
