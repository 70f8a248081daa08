package dev.weft.io.kafka;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes upsert records to a Kafka topic: each {@code KV(upsertKey, json)} becomes one message whose
 * key is the upsert key. Kafka partitions by key, so all revisions of one node, edge or binding go
 * to one partition in the order the pipeline emitted them, and a compacted topic
 * ({@code cleanup.policy=compact}) keeps exactly the latest revision of each key: the current graph.
 * A consumer that may see revisions out of order compares the {@code revision} field in the value.
 *
 * <p>Duplicates: a retried bundle may write a record twice; both copies carry the same key and
 * revision, so applying them is idempotent. The producer is idempotent ({@code enable.idempotence})
 * and waits for all in-sync replicas unless the properties say otherwise. Producer properties pass
 * through; secrets among them stay out of display data and logs (see {@link ClientProperties}).
 */
public final class KafkaUpsertSink extends PTransform<PCollection<KV<String, String>>, PDone> {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final String topic;
  private final ClientProperties properties;

  private KafkaUpsertSink(String bootstrapServers, String topic, ClientProperties properties) {
    super("WriteKafka[" + topic + "]");
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.properties = properties;
  }

  public static KafkaUpsertSink of(String bootstrapServers, String topic) {
    return new KafkaUpsertSink(requireNonNull(bootstrapServers, "bootstrapServers"),
        requireNonNull(topic, "topic"), ClientProperties.none());
  }

  /** Producer properties passed to the Kafka client (security, compression, linger, ...). */
  public KafkaUpsertSink withProducerProperties(ClientProperties producerProperties) {
    return new KafkaUpsertSink(bootstrapServers, topic, properties.with(producerProperties));
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    Map<String, Object> producer = new HashMap<>(properties.plainAsObjects());
    producer.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    producer.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    KafkaIO.Write<String, String> write = KafkaIO.<String, String>write()
        .withBootstrapServers(bootstrapServers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(producer);
    if (properties.hasSecrets()) {
      write = write.withProducerFactoryFn(SecretInjectingClients.producers(properties));
    }
    return records.apply("ProduceByUpsertKey", write);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("bootstrapServers", bootstrapServers))
        .add(DisplayData.item("topic", topic))
        .add(DisplayData.item("producerProperties", properties.toString()));
  }

  @Override
  public String toString() {
    return "KafkaUpsertSink{bootstrapServers=" + bootstrapServers + ", topic=" + topic
        + ", properties=" + properties + "}";
  }
}
