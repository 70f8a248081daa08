package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import dev.weft.options.WeftOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Translates the Weft pipeline with the real Dataflow runner, offline and without credentials:
 * the runner writes its job JSON to a local template file instead of submitting it (no-op path
 * validator, credentials and stager). Checks that the job is a streaming job whose steps are
 * Weft's, and that no Kafka secret reaches the job description (not even inside serialized
 * functions: secrets from --kafkaPropertiesFile are read on the workers). A real broker (own JVM) answers
 * the one question translation asks Kafka: the topic's partitions.
 */
public class DataflowTranslationTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(120);

  private static KafkaBroker broker;

  /** Translation asks the broker for the topic's partitions (the source's initial splits). */
  @BeforeClass
  public static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    try (KafkaTopics topics = new KafkaTopics(broker.bootstrapServers())) {
      topics.create("zipkin-spans", 2, java.util.Map.of());
    }
  }

  @AfterClass
  public static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  public void streamingJobWithWeftStepsAndNoSecrets() throws Exception {
    Path job = tmp.getRoot().toPath().resolve("job.json");
    Path props = tmp.getRoot().toPath().resolve("client.properties");
    // Secrets the client ignores on a PLAINTEXT listener, so the test broker still answers.
    Files.writeString(props, "security.protocol=PLAINTEXT\n"
        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"weft\" password=\"dataflow-s3cr3t\";\n"
        + "ssl.truststore.password=dataflow-s3cr3t\n");
    String[] args = {
        "--runner=DataflowRunner",
        "--project=weft-offline",
        "--region=europe-west1",
        "--jobName=weft-translation-test",
        // Explicit locations: their defaults would probe a bucket over the network.
        "--tempLocation=gs://weft-offline/tmp",
        "--gcpTempLocation=gs://weft-offline/tmp",
        "--stagingLocation=gs://weft-offline/staging",
        "--templateLocation=" + job,
        "--pathValidatorClass=" + NoopPathValidator.class.getName(),
        "--credentialFactoryClass=" + NoopCredentialFactory.class.getName(),
        "--stagerClass=" + NoopStager.class.getName(),
        "--filesToStage=" + props,
        "--sources=zipkin:kafka://" + broker.bootstrapServers() + "/zipkin-spans?group.id=weft",
        "--sources=otlp-traces:pubsub://projects/weft-offline/subscriptions/otlp",
        "--kafkaPropertiesFile=" + props,
        "--deadLetterSink=kafka://" + broker.bootstrapServers() + "/weft-dead-letters",
        "--output=" + tmp.getRoot().toPath().resolve("out")};
    WeftOptions options = PipelineOptionsFactory.fromArgs(args).withValidation()
        .as(WeftOptions.class);
    Pipeline p = Pipeline.create(options);
    WeftPipeline.build(p, options, new AdapterCatalog(options));
    p.run();

    String text = Files.readString(job);
    JsonNode root = new ObjectMapper().readTree(text);
    assertThat(root.path("type").asText(), equalTo("JOB_TYPE_STREAMING"));
    List<String> names = new ArrayList<>();
    root.path("steps").forEach(s -> names.add(
        s.path("properties").path("user_name").path("value").asText()));
    assertThat(String.join("\n", names), containsString("Read 0.zipkin/ReadTopics"));
    assertThat(String.join("\n", names), containsString("Read 1.otlp-traces"));
    assertThat(String.join("\n", names), containsString("Normalize 0.zipkin"));
    assertThat(names, hasItem(containsString("WriteKafka[weft-dead-letters]")));
    assertThat(text, not(containsString("dataflow-s3cr3t")));
  }
}
