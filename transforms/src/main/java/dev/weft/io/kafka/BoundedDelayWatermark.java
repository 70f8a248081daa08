package dev.weft.io.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The Kafka source's timestamp policy: a per-partition watermark that trails the largest record
 * timestamp seen by a bounded delay (the pipeline's lateness bound), while every raw record leaves
 * the source at the minimum timestamp.
 *
 * <p>Why split the two: a record's event time is known only after its adapter parsed it, and one
 * record may hold many events with different times (an OTLP batch). Beam lets a later step move an
 * element's timestamp forward but not backward (short of the deprecated allowed-skew escape), so the
 * source emits raw records at {@link BoundedWindow#TIMESTAMP_MIN_VALUE} — exactly what a file
 * source emits — and the pipeline stamps each parsed event with its own event time. The watermark,
 * which is what decides lateness, comes from the record timestamps: the producer's CreateTime (set
 * it to the event time when producing, as event shippers do) or the broker's LogAppendTime. An event
 * older than {@code watermark} is late and is handled by the pipeline's allowed lateness; nothing is
 * dropped here.
 *
 * <p>When a partition is caught up (no backlog), the watermark advances to the backlog check time
 * minus the delay, so an idle partition does not hold every window open forever; this is the one
 * place where processing time enters, as in Beam's {@code CustomTimestampPolicyWithLimitedDelay}.
 * The watermark never moves backward, including across restarts ({@code previousWatermark}).
 */
public final class BoundedDelayWatermark extends TimestampPolicy<byte[], byte[]> {
  private final Duration maxDelay;
  private Instant maxRecordTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark;

  BoundedDelayWatermark(Duration maxDelay, Optional<Instant> previousWatermark) {
    this.maxDelay = maxDelay;
    this.watermark = previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  /** One policy per partition, each trailing its partition's record timestamps by {@code maxDelay}. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxDelay) {
    return new Factory(maxDelay);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    if (record.getTimestamp() >= 0) {
      Instant t = new Instant(record.getTimestamp());
      if (t.isAfter(maxRecordTime)) {
        maxRecordTime = t;
      }
    }
    return BoundedWindow.TIMESTAMP_MIN_VALUE;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    Instant candidate = maxRecordTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
        ? BoundedWindow.TIMESTAMP_MIN_VALUE : maxRecordTime.minus(maxDelay);
    if (ctx.getMessageBacklog() == 0 && ctx.getBacklogCheckTime() != null) {
      Instant idle = ctx.getBacklogCheckTime().minus(maxDelay);
      if (idle.isAfter(candidate)) {
        candidate = idle;
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]> {
    private static final long serialVersionUID = 1L;
    private final Duration maxDelay;

    Factory(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(TopicPartition partition,
        Optional<Instant> previousWatermark) {
      return new BoundedDelayWatermark(maxDelay, previousWatermark);
    }
  }
}
