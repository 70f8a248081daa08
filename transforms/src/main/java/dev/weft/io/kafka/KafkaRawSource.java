package dev.weft.io.kafka;

import static java.util.Objects.requireNonNull;

import dev.weft.model.RawRecord;
import dev.weft.model.RawRecordCoder;
import dev.weft.model.Origin;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * Reads one or more Kafka topics of one format as {@link RawRecord}s: one record per Kafka message,
 * its value as the payload (a tombstone's null value becomes an empty payload, which the adapter
 * dead-letters as empty input rather than losing it), its origin {@code topic[partition]@offset}.
 *
 * <p>Time: raw records leave at the minimum timestamp and the watermark trails the record
 * timestamps by {@code maxDelay}, the pipeline's lateness bound (see {@link BoundedDelayWatermark}
 * for why); the pipeline stamps each parsed event with its event time. {@code observedTime} is the
 * Kafka record timestamp, so that replaying a topic yields the same raw records (and content-hash
 * ids) as the first read.
 *
 * <p>Delivery: offsets are committed to the consumer group when the runner finalizes a checkpoint,
 * so a restarted pipeline resumes after what it durably processed; records read but not yet
 * finalized are read again after a failure, and the pipeline's deduplication absorbs them. Without
 * a {@code group.id}, {@code weft-FORMAT} is used; {@code auto.offset.reset} defaults to
 * {@code earliest}, so a new group starts at the beginning of the retained log.
 *
 * <p>Consumer properties pass through unchanged; secrets among them (SASL/TLS passwords, JAAS
 * configs) are kept out of display data, {@link #toString()} and logs (see {@link ClientProperties}).
 */
public final class KafkaRawSource extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  private final String format;
  private final String bootstrapServers;
  private final List<String> topics;
  private final ClientProperties properties;
  private final Duration maxDelay;
  private final int maxRecordBytes;
  private final long maxNumRecords;

  private KafkaRawSource(String format, String bootstrapServers, List<String> topics,
      ClientProperties properties, Duration maxDelay, int maxRecordBytes, long maxNumRecords) {
    super("ReadKafka[" + format + "]");
    this.format = format;
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.properties = properties;
    this.maxDelay = maxDelay;
    this.maxRecordBytes = maxRecordBytes;
    this.maxNumRecords = maxNumRecords;
  }

  /**
   * Reads {@code topics} from the cluster at {@code bootstrapServers} ({@code host:port[,...]}) as
   * records of {@code format}. The watermark delay defaults to five minutes and the record size
   * limit to 8 MiB; set both from the pipeline's lateness bound and maximum record size.
   */
  public static KafkaRawSource of(String format, String bootstrapServers, List<String> topics) {
    requireNonNull(format, "format");
    requireNonNull(bootstrapServers, "bootstrapServers");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("KafkaRawSource needs at least one topic");
    }
    return new KafkaRawSource(format, bootstrapServers, topics, ClientProperties.none(),
        Duration.standardMinutes(5), 8 << 20, Long.MAX_VALUE);
  }

  /** Consumer properties passed to the Kafka client (security, group, fetch sizes, ...). */
  public KafkaRawSource withConsumerProperties(ClientProperties consumerProperties) {
    return new KafkaRawSource(format, bootstrapServers, topics,
        properties.with(consumerProperties), maxDelay, maxRecordBytes, maxNumRecords);
  }

  /** How far the watermark trails the newest record timestamp: the pipeline's lateness bound. */
  public KafkaRawSource withMaxDelay(Duration delay) {
    return new KafkaRawSource(format, bootstrapServers, topics, properties, delay,
        maxRecordBytes, maxNumRecords);
  }

  /** Payloads larger than this are cut to this size and dead-lettered as too large downstream. */
  public KafkaRawSource withMaxRecordBytes(int bytes) {
    return new KafkaRawSource(format, bootstrapServers, topics, properties, maxDelay, bytes,
        maxNumRecords);
  }

  /**
   * Stops after this many records, which makes the read bounded (backfills, tests). The default
   * reads forever.
   */
  public KafkaRawSource withMaxNumRecords(long count) {
    return new KafkaRawSource(format, bootstrapServers, topics, properties, maxDelay,
        maxRecordBytes, count);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    Map<String, Object> consumer = new HashMap<>(properties.plainAsObjects());
    consumer.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "weft-" + format);
    consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // KafkaIO commits on finalize; Kafka's own auto-commit would commit what is not yet processed.
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);

    KafkaIO.Read<byte[], byte[]> read = KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(bootstrapServers)
        .withTopics(topics)
        .withKeyDeserializer(ByteArrayDeserializer.class)
        .withValueDeserializer(ByteArrayDeserializer.class)
        .withConsumerConfigUpdates(consumer)
        .withTimestampPolicyFactory(BoundedDelayWatermark.factory(maxDelay))
        .commitOffsetsInFinalize();
    if (properties.hasSecrets()) {
      read = read.withConsumerFactoryFn(SecretInjectingClients.consumers(properties));
    }
    if (maxNumRecords != Long.MAX_VALUE) {
      read = read.withMaxNumRecords(maxNumRecords);
    }
    return input
        .apply("ReadTopics", read)
        .apply("ToRawRecords", ParDo.of(new ToRawRecord(format, maxRecordBytes)))
        .setCoder(RawRecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", format))
        .add(DisplayData.item("bootstrapServers", bootstrapServers))
        .add(DisplayData.item("topics", String.join(",", topics)))
        .add(DisplayData.item("consumerProperties", properties.toString()))
        .add(DisplayData.item("maxDelay", maxDelay.toString()));
  }

  @Override
  public String toString() {
    return "KafkaRawSource{format=" + format + ", bootstrapServers=" + bootstrapServers
        + ", topics=" + topics + ", properties=" + properties + ", maxDelay=" + maxDelay + "}";
  }

  /** One Kafka message to one raw record; oversize payloads keep a prefix and their true size. */
  static final class ToRawRecord extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private final String format;
    private final int maxRecordBytes;
    private final Counter read = Metrics.counter("weft.kafka", "records_read");
    private final Counter tombstones = Metrics.counter("weft.kafka", "tombstones");

    ToRawRecord(String format, int maxRecordBytes) {
      this.format = format;
      this.maxRecordBytes = maxRecordBytes;
    }

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record,
        OutputReceiver<RawRecord> out) {
      read.inc();
      byte[] value = record.getKV().getValue();
      if (value == null) {
        tombstones.inc();
        value = new byte[0];
      }
      long size = value.length;
      byte[] payload = size > maxRecordBytes ? Arrays.copyOf(value, maxRecordBytes) : value;
      Origin origin = Origin.message(format, record.getTopic(),
          Optional.of(record.getPartition()), Optional.of(record.getOffset()));
      // The broker's timestamp is stable across replays, unlike the reading machine's clock.
      Instant observed = record.getTimestamp() >= 0
          ? Instant.ofEpochMilli(record.getTimestamp()) : Instant.now();
      out.output(new RawRecord(payload, origin, observed, size));
    }
  }
}
