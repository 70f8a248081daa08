package dev.weft.io.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;

import dev.weft.model.RawRecord;
import dev.weft.harness.PubsubEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * PubsubRawSource against the real Pub/Sub emulator on localhost (skipped, not failed, where the
 * emulator is not installed): event time from the timestamp attribute, redeliveries with the same
 * id attribute dropped, the subscription kept in the origin.
 */
public class PubsubRawSourceTest {
  private static final String PROJECT = "weft-test";
  private static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  private static PubsubEmulator emulator;

  @Rule public final Timeout timeout = Timeout.seconds(120);

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
  public void readsEventTimeFromTheAttributeAndDropsRedeliveredIds() throws Exception {
    emulator.createTopic(PROJECT, "spans");
    emulator.createSubscription(PROJECT, "weft-spans", "spans");
    emulator.publish(PROJECT, "spans", "{\"span\":1}".getBytes(UTF_8),
        Map.of("ts", "2025-03-01T10:00:00Z", "id", "a-1"));
    emulator.publish(PROJECT, "spans", "{\"span\":2}".getBytes(UTF_8),
        Map.of("ts", "1740823260000", "id", "a-2"));
    // A publisher retry: same id, same data. The source drops it.
    emulator.publish(PROJECT, "spans", "{\"span\":1}".getBytes(UTF_8),
        Map.of("ts", "2025-03-01T10:00:00Z", "id", "a-1"));
    emulator.publish(PROJECT, "spans", "garbage".getBytes(UTF_8),
        Map.of("ts", "2025-03-01T10:02:00Z", "id", "a-3"));

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    options.as(PubsubOptions.class).setPubsubRootUrl(emulator.rootUrl());
    options.as(GcpOptions.class).setCredentialFactoryClass(NoopCredentialFactory.class);
    options.as(GcpOptions.class).setProject(PROJECT);
    Pipeline p = Pipeline.create(options);
    p.apply(PubsubRawSource.of("zipkin", "projects/" + PROJECT + "/subscriptions/weft-spans"))
        .apply("Remember", ParDo.of(new Remember()));
    PipelineResult result = p.run();
    List<String> seen;
    try {
      seen = awaitSeen(3, TimeUnit.SECONDS.toNanos(90));
    } finally {
      result.cancel();
    }
    assertThat(seen, containsInAnyOrder(
        "zipkin {\"span\":1} 2025-03-01T10:00:00.000Z",
        "zipkin {\"span\":2} 2025-03-01T10:01:00.000Z",
        "zipkin garbage 2025-03-01T10:02:00.000Z"));
  }

  @Test
  public void rejectsASubscriptionThatIsNotAPath() {
    try {
      PubsubRawSource.of("zipkin", "weft-spans");
      throw new AssertionError("expected a rejection");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("projects/PROJECT/subscriptions/SUBSCRIPTION"));
    }
  }

  /** Waits (bounded) until {@code count} records arrived, then a little longer for duplicates. */
  private static List<String> awaitSeen(int count, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (SEEN.size() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    // A duplicate that slipped past the source would arrive with or right after its original.
    long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < grace) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    return new ArrayList<>(SEEN);
  }

  private static final class Remember extends DoFn<RawRecord, Void> {
    @ProcessElement
    public void process(@Element RawRecord r, @Timestamp org.joda.time.Instant t) {
      // Beam's JSON client does not hand the message id through when an id attribute is set, so
      // the origin is the subscription alone.
      if (!r.origin().resource().equals("projects/" + PROJECT + "/subscriptions/weft-spans")) {
        SEEN.add("bad origin " + r.origin());
      }
      SEEN.add(r.origin().format() + " " + new String(r.payload(), UTF_8) + " " + t);
    }
  }
}
