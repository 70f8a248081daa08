package dev.weft.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a test does with a broker besides running the pipeline: create topics, produce records with
 * chosen partitions and timestamps, read a topic back until a condition holds, and read a consumer
 * group's committed offsets. Every wait is bounded by the deadline the caller gives.
 *
 * <p>Uses the test's own kafka-clients (provided by the module under test), never the broker's
 * classpath.
 */
public final class KafkaTopics implements AutoCloseable {
  private final String bootstrapServers;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  /**
   * Produces a file for trying Weft by hand: {@code java -cp CP dev.weft.harness.KafkaTopics
   * BOOTSTRAP TOPIC FILE [--lines]} sends the whole file as one record, or one record per
   * non-blank line with {@code --lines}; the record timestamp is now.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: KafkaTopics BOOTSTRAP TOPIC FILE [--lines]");
      System.exit(1);
    }
    try (KafkaTopics t = new KafkaTopics(args[0])) {
      java.nio.file.Path file = java.nio.file.Path.of(args[2]);
      List<byte[]> records = new ArrayList<>();
      if (args.length > 3 && args[3].equals("--lines")) {
        for (String line : java.nio.file.Files.readAllLines(file)) {
          if (!line.isBlank()) {
            records.add(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      } else {
        records.add(java.nio.file.Files.readAllBytes(file));
      }
      for (byte[] r : records) {
        t.send(args[1], null, System.currentTimeMillis(), null, r);
      }
      System.out.println("sent " + records.size() + " record(s) to " + args[1]);
    }
  }

  public KafkaTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  /** Creates a topic; {@code config} may set e.g. {@code cleanup.policy=compact}. */
  public void create(String topic, int partitions, Map<String, String> config)
      throws ExecutionException, InterruptedException {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config)))
        .all().get();
  }

  /** Produces one record and waits for the broker's acknowledgement. */
  public RecordMetadata send(String topic, Integer partition, Long timestampMillis, byte[] key,
      byte[] value) throws ExecutionException, InterruptedException {
    return producer.send(new ProducerRecord<>(topic, partition, timestampMillis, key, value)).get();
  }

  /**
   * Produces one record without waiting: for a sustained stream, where a round trip per record
   * would cap the rate. {@link #flush()} waits for everything sent so far.
   */
  public Future<RecordMetadata> sendAsync(String topic, Integer partition, Long timestampMillis,
      byte[] key, byte[] value) {
    return producer.send(new ProducerRecord<>(topic, partition, timestampMillis, key, value));
  }

  /** Waits until every record sent so far is acknowledged (or failed). */
  public void flush() {
    producer.flush();
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for everything read so far or
   * {@code timeout} passes; returns what was read, in partition-then-offset order per poll.
   */
  public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      while (System.nanoTime() < deadline && !done.test(all)) {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  /** Committed offsets of a consumer group, summed over partitions (0 when none). */
  public long committedTotal(String group) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset)
        .sum();
  }

  /** Waits until a group's committed offsets add up to {@code expected}; returns the last sum. */
  public long awaitCommitted(String group, long expected, Duration timeout)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long total = committedTotal(group);
    while (total < expected && System.nanoTime() < deadline) {
      // Commits happen when the runner finalizes a checkpoint: poll the broker, bounded.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      total = committedTotal(group);
    }
    return total;
  }

  /** End offsets of a topic's partitions, summed: how many records it holds (before compaction). */
  public long endOffsetTotal(String topic, Collection<Integer> partitions)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    partitions.forEach(p -> specs.put(new TopicPartition(topic, p), OffsetSpec.latest()));
    return admin.listOffsets(specs).all().get().values().stream()
        .mapToLong(i -> i.offset()).sum();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
