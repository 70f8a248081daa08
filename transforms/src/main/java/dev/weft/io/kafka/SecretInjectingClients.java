package dev.weft.io.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Client factories for KafkaIO that add the secret client properties to the config only when the
 * client is created on the worker. KafkaIO shows its consumer and producer config in Beam's display
 * data (the Dataflow UI, the job JSON, logs); secrets given to it through a factory are not part of
 * that config. Kafka's own config logging masks its password-typed values ({@code [hidden]}).
 */
final class SecretInjectingClients {
  private SecretInjectingClients() {}

  static SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> consumers(
      ClientProperties properties) {
    return new ConsumerFactory(properties);
  }

  static SerializableFunction<Map<String, Object>, Producer<String, String>> producers(
      ClientProperties properties) {
    return new ProducerFactory(properties);
  }

  private static Map<String, Object> withSecrets(Map<String, Object> config,
      ClientProperties properties) {
    Map<String, Object> all = new HashMap<>(config);
    all.putAll(properties.secretsForClient());
    return all;
  }

  private static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final ClientProperties properties;

    ConsumerFactory(ClientProperties properties) {
      this.properties = properties;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return new KafkaConsumer<>(withSecrets(config, properties));
    }

    @Override
    public String toString() {
      return "ConsumerFactory" + properties;
    }
  }

  private static final class ProducerFactory
      implements SerializableFunction<Map<String, Object>, Producer<String, String>> {
    private static final long serialVersionUID = 1L;
    private final ClientProperties properties;

    ProducerFactory(ClientProperties properties) {
      this.properties = properties;
    }

    @Override
    public Producer<String, String> apply(Map<String, Object> config) {
      return new KafkaProducer<>(withSecrets(config, properties));
    }

    @Override
    public String toString() {
      return "ProducerFactory" + properties;
    }
  }
}
