package dev.weft.pipelines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.harness.PubsubEmulator;
import dev.weft.options.WeftOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The pipeline reading a Pub/Sub subscription of the local emulator (skipped, not failed, where
 * the emulator is not installed): event time from the {@code ts} attribute, a publisher retry with
 * the same {@code id} dropped at the source, a malformed message dead-lettered, and the counters
 * conserved while the job runs.
 */
public class PubsubStreamingTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(180);
  private static final String PROJECT = "weft-e2e";
  private static PubsubEmulator emulator;

  @BeforeClass
  public static void startEmulator() throws Exception {
    emulator = PubsubEmulator.startOrSkip();
  }

  @AfterClass
  public static void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  public void subscriptionToEventsAndDeadLetters() throws Exception {
    emulator.createTopic(PROJECT, "spans");
    emulator.createSubscription(PROJECT, "weft-spans", "spans");
    byte[] spans = Files.readAllBytes(Path.of(System.getProperty("weft.testdata"),
        "zipkin", "catalog-spans.json"));
    emulator.publish(PROJECT, "spans", spans, Map.of("ts", "2024-05-01T10:00:08Z", "id", "c-1"));
    emulator.publish(PROJECT, "spans", spans, Map.of("ts", "2024-05-01T10:00:08Z", "id", "c-1"));
    emulator.publish(PROJECT, "spans", "[{\"traceId\":".getBytes(UTF_8),
        Map.of("ts", "2024-05-01T10:00:09Z", "id", "c-2"));

    Path out = TMP.newFolder("out").toPath();
    WeftOptions options = PipelineOptionsFactory.fromArgs(
            "--sources=zipkin:pubsub://projects/" + PROJECT + "/subscriptions/weft-spans",
            "--pubsubRootUrl=" + emulator.rootUrl(), "--project=" + PROJECT,
            "--credentialFactoryClass="
                + "org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory",
            "--output=" + out, "--blockOnRun=false")
        .withValidation().as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.Plan plan = WeftPipeline.build(p, options, new AdapterCatalog(options));
    PipelineResult result = p.run();
    try {
      List<JsonNode> events =
          KafkaStreamingTest.awaitLines(out, "events-", 6, Duration.ofSeconds(90));
      List<JsonNode> dead =
          KafkaStreamingTest.awaitLines(out, "deadletters-", 1, Duration.ofSeconds(30));
      Map<String, Long> counts =
          KafkaStreamingTest.awaitCounters(result, plan, 7, Duration.ofSeconds(30));

      assertThat(events.size(), equalTo(6));
      assertThat(events.get(0).path("origin").path("resource").asText(),
          equalTo("projects/" + PROJECT + "/subscriptions/weft-spans"));
      assertThat(dead.size(), equalTo(1));
      assertThat(dead.get(0).path("errorClass").asText(), equalTo("MALFORMED_SYNTAX"));
      assertThat(counts.get("0.zipkin/read"), equalTo(7L));
      assertThat(counts.get("0.zipkin/normalized"), equalTo(6L));
      assertThat(counts.get("0.zipkin/deadLettered"), equalTo(1L));
    } finally {
      result.cancel();
    }
  }
}
