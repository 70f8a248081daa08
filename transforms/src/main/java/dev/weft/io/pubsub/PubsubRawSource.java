package dev.weft.io.pubsub;

import static java.util.Objects.requireNonNull;

import dev.weft.model.RawRecord;
import dev.weft.model.RawRecordCoder;
import dev.weft.model.Origin;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a Pub/Sub subscription of one format as {@link RawRecord}s: one record per message, its
 * data as the payload, its origin the subscription, with the message id as offset when the client
 * hands it through (Pub/Sub message ids are decimal numbers; Beam's JSON client omits them when an
 * id attribute is configured).
 *
 * <p>Time: with a timestamp attribute (the default is {@code ts}: milliseconds since the epoch or
 * RFC 3339), each record carries that attribute as its timestamp and Pub/Sub's watermark follows
 * it — publishers set it to the (earliest) event time of the message. Beam's PubsubIO requires the
 * attribute on every message once it is configured; use {@link #withPublishTime()} for a topic
 * whose publishers do not set it, and the watermark follows publish time. The pipeline re-stamps
 * each parsed event with its own event time, allowing it to lie up to the lateness bound before
 * the record's timestamp.
 *
 * <p>Duplicates: with an id attribute (default {@code id}), Pub/Sub redeliveries and publisher
 * retries that carry the same id are dropped by the source (Beam's record-id deduplication, kept
 * for about ten minutes on Dataflow); later duplicates reach the pipeline's own deduplication.
 * Messages are acknowledged when the runner finalizes the checkpoint that holds them.
 */
public final class PubsubRawSource extends PTransform<PBegin, PCollection<RawRecord>> {
  private static final long serialVersionUID = 1L;

  private final String format;
  private final String subscription;
  private final Optional<String> timestampAttribute;
  private final Optional<String> idAttribute;
  private final int maxRecordBytes;

  private PubsubRawSource(String format, String subscription, Optional<String> timestampAttribute,
      Optional<String> idAttribute, int maxRecordBytes) {
    super("ReadPubsub[" + format + "]");
    this.format = format;
    this.subscription = subscription;
    this.timestampAttribute = timestampAttribute;
    this.idAttribute = idAttribute;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * Reads {@code projects/P/subscriptions/S} as records of {@code format}, with event time from
   * attribute {@code ts} and dedup ids from attribute {@code id}.
   */
  public static PubsubRawSource of(String format, String subscription) {
    requireNonNull(format, "format");
    if (!subscription.matches("projects/[^/]+/subscriptions/[^/]+")) {
      throw new IllegalArgumentException("Pub/Sub subscription '" + subscription
          + "' is not projects/PROJECT/subscriptions/SUBSCRIPTION");
    }
    return new PubsubRawSource(format, subscription, Optional.of("ts"), Optional.of("id"),
        8 << 20);
  }

  /** The attribute that carries each message's event time. */
  public PubsubRawSource withTimestampAttribute(String attribute) {
    return new PubsubRawSource(format, subscription, Optional.of(attribute), idAttribute,
        maxRecordBytes);
  }

  /** Records carry their publish time and the watermark follows it (no timestamp attribute). */
  public PubsubRawSource withPublishTime() {
    return new PubsubRawSource(format, subscription, Optional.empty(), idAttribute,
        maxRecordBytes);
  }

  /** The attribute that carries a publisher-assigned unique id, for deduplication. */
  public PubsubRawSource withIdAttribute(String attribute) {
    return new PubsubRawSource(format, subscription, timestampAttribute, Optional.of(attribute),
        maxRecordBytes);
  }

  /** No id attribute: only the pipeline's own deduplication applies. */
  public PubsubRawSource withoutIdAttribute() {
    return new PubsubRawSource(format, subscription, timestampAttribute, Optional.empty(),
        maxRecordBytes);
  }

  /** Payloads larger than this are cut to this size and dead-lettered as too large downstream. */
  public PubsubRawSource withMaxRecordBytes(int bytes) {
    return new PubsubRawSource(format, subscription, timestampAttribute, idAttribute, bytes);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    PubsubIO.Read<PubsubMessage> read = PubsubIO.readMessagesWithAttributesAndMessageId()
        .fromSubscription(subscription);
    if (timestampAttribute.isPresent()) {
      read = read.withTimestampAttribute(timestampAttribute.get());
    }
    if (idAttribute.isPresent()) {
      read = read.withIdAttribute(idAttribute.get());
    }
    return input
        .apply("ReadSubscription", read)
        .apply("ToRawRecords", ParDo.of(new ToRawRecord(format, subscription, maxRecordBytes)))
        .setCoder(RawRecordCoder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", format))
        .add(DisplayData.item("subscription", subscription))
        .addIfNotNull(DisplayData.item("timestampAttribute", timestampAttribute.orElse(null)))
        .addIfNotNull(DisplayData.item("idAttribute", idAttribute.orElse(null)));
  }

  static final class ToRawRecord extends DoFn<PubsubMessage, RawRecord> {
    private final String format;
    private final String subscription;
    private final int maxRecordBytes;
    private final Counter read = Metrics.counter("weft.pubsub", "messages_read");

    ToRawRecord(String format, String subscription, int maxRecordBytes) {
      this.format = format;
      this.subscription = subscription;
      this.maxRecordBytes = maxRecordBytes;
    }

    @ProcessElement
    public void process(@Element PubsubMessage message, OutputReceiver<RawRecord> out) {
      read.inc();
      byte[] data = message.getPayload() == null ? new byte[0] : message.getPayload();
      byte[] payload = data.length > maxRecordBytes ? Arrays.copyOf(data, maxRecordBytes) : data;
      Origin origin = Origin.message(format, subscription, Optional.empty(),
          messageNumber(message.getMessageId()));
      // Pub/Sub does not hand the publish time to Beam: observed time is when Weft read it.
      out.output(new RawRecord(payload, origin, Instant.now(), data.length));
    }

    private static Optional<Long> messageNumber(String id) {
      if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(id));
    }
  }
}
