package dev.weft.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Test;

/** The watermark trails record time by the bound; raw records always leave at the minimum. */
public class BoundedDelayWatermarkTest {
  private static final Duration BOUND = Duration.standardMinutes(2);
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final TimestampPolicy<byte[], byte[]> policy =
      BoundedDelayWatermark.factory(BOUND)
          .createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());

  @Test
  public void watermarkTrailsTheNewestRecordByTheBoundAndNeverGoesBack() {
    Context busy = new Context(10, null);
    assertThat(policy.getWatermark(busy), equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));

    assertThat(policy.getTimestampForRecord(busy, record(T0.plus(Duration.standardMinutes(5)))),
        equalTo(BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertThat(policy.getWatermark(busy), equalTo(T0.plus(Duration.standardMinutes(3))));

    // An out-of-order (older) record does not pull the watermark back.
    policy.getTimestampForRecord(busy, record(T0));
    assertThat(policy.getWatermark(busy), equalTo(T0.plus(Duration.standardMinutes(3))));
  }

  @Test
  public void caughtUpPartitionAdvancesWithTheBacklogCheckTime() {
    policy.getTimestampForRecord(new Context(1, null), record(T0));
    Instant checked = T0.plus(Duration.standardHours(1));
    assertThat(policy.getWatermark(new Context(0, checked)), equalTo(checked.minus(BOUND)));
    // Backlog again: the watermark stays where it was rather than moving backward.
    assertThat(policy.getWatermark(new Context(5, null)), equalTo(checked.minus(BOUND)));
  }

  @Test
  public void restartResumesFromThePreviousWatermark() {
    TimestampPolicy<byte[], byte[]> resumed = BoundedDelayWatermark.factory(BOUND)
        .createTimestampPolicy(new TopicPartition("t", 0), Optional.of(T0));
    assertThat(resumed.getWatermark(new Context(3, null)), equalTo(T0));
  }

  private static KafkaRecord<byte[], byte[]> record(Instant time) {
    return new KafkaRecord<>("t", 0, 0L, time.getMillis(), KafkaTimestampType.CREATE_TIME,
        new RecordHeaders(), new byte[0], new byte[] {'x'});
  }

  private static final class Context extends PartitionContext {
    private final long backlog;
    private final Instant checkTime;

    Context(long backlog, Instant checkTime) {
      this.backlog = backlog;
      this.checkTime = checkTime;
    }

    @Override
    public long getMessageBacklog() {
      return backlog;
    }

    @Override
    public Instant getBacklogCheckTime() {
      return checkTime;
    }
  }
}
