package dev.weft.io.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import dev.weft.model.RawRecord;
import dev.weft.harness.KafkaBroker;
import dev.weft.harness.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * KafkaRawSource and KafkaUpsertSink against a real single-node KRaft broker started by the test
 * (in its own JVM). Each test uses its own topics, so the order of tests does not matter.
 */
public class KafkaTransportTest {
  private static KafkaBroker broker;
  private static KafkaTopics topics;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final Timeout timeout = Timeout.seconds(180);

  @BeforeClass
  public static void startBroker() throws Exception {
    broker = KafkaBroker.start();
    topics = new KafkaTopics(broker.bootstrapServers());
  }

  @AfterClass
  public static void stopBroker() {
    if (topics != null) {
      topics.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  public void boundedReadKeepsPayloadOriginAndBrokerTime() throws Exception {
    topics.create("raw-bounded", 2, Map.of());
    long t = 1_740_823_200_000L; // 2025-03-01T10:00:00Z
    List<String> expected = new ArrayList<>();
    expected.add(describe(topics.send("raw-bounded", 0, t, null, bytes("{\"a\":1}")), t,
        "{\"a\":1}", 7));
    expected.add(describe(topics.send("raw-bounded", 1, t + 1, null, bytes("not json")), t + 1,
        "not json", 8));
    // A tombstone is kept as an empty payload: the adapter dead-letters it, nothing is lost.
    expected.add(describe(topics.send("raw-bounded", 0, t + 2, "k".getBytes(UTF_8), null), t + 2,
        "", 0));
    // Larger than the limit: a prefix and the true size, to be dead-lettered as TOO_LARGE.
    expected.add(describe(topics.send("raw-bounded", 1, t + 3, null, bytes("0123456789ABCDEF")),
        t + 3, "01234567", 16));

    PCollection<RawRecord> raw = pipeline.apply(
        KafkaRawSource.of("zipkin", broker.bootstrapServers(), List.of("raw-bounded"))
            .withConsumerProperties(ClientProperties.parse("group.id=bounded-test"))
            .withMaxRecordBytes(8)
            .withMaxNumRecords(4));

    PAssert.that(raw.apply("Describe", MapElements.into(TypeDescriptors.strings())
        .via(r -> r.origin().format() + " " + r.origin().describe() + " "
            + r.observedTime().toEpochMilli() + " " + new String(r.payload(), UTF_8) + " "
            + r.totalSize())))
        .containsInAnyOrder(expected);
    PAssert.that(raw.apply("Timestamps", ParDo.of(new TimestampOf())))
        .containsInAnyOrder("-290308-12-21T19:59:05.225Z", "-290308-12-21T19:59:05.225Z",
            "-290308-12-21T19:59:05.225Z", "-290308-12-21T19:59:05.225Z");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void unboundedReadFeedsTheSinkKeyedByUpsertKey() throws Exception {
    topics.create("stream-in", 2, Map.of());
    topics.create("stream-out", 2, Map.of("cleanup.policy", "compact"));
    long t = System.currentTimeMillis();
    for (int i = 0; i < 6; i++) {
      topics.send("stream-in", i % 2, t + i, null, bytes("payload-" + i));
    }

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    p.apply(KafkaRawSource.of("text", broker.bootstrapServers(), List.of("stream-in"))
            .withConsumerProperties(ClientProperties.parse("group.id=stream-test"))
            .withMaxDelay(org.joda.time.Duration.standardSeconds(30)))
        .apply("KeyByOrigin", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(r -> KV.of(r.origin().describe(), new String(r.payload(), UTF_8))))
        .apply(KafkaUpsertSink.of(broker.bootstrapServers(), "stream-out"));
    PipelineResult result = p.run();
    try {
      List<ConsumerRecord<byte[], byte[]>> out =
          topics.readUntil("stream-out", r -> r.size() >= 6, Duration.ofSeconds(90));
      assertThat(out.stream().map(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(),
              UTF_8)).collect(Collectors.toList()),
          containsInAnyOrder("stream-in[0]@0=payload-0", "stream-in[0]@1=payload-2",
              "stream-in[0]@2=payload-4", "stream-in[1]@0=payload-1", "stream-in[1]@1=payload-3",
              "stream-in[1]@2=payload-5"));
    } finally {
      result.cancel();
    }
  }

  @Test
  public void sinkWritesEveryRecordUnderItsUpsertKey() throws Exception {
    topics.create("graph-out", 3, Map.of("cleanup.policy", "compact"));
    pipeline.apply(Create.of(KV.of("node|svc:a", "{\"revision\":0}"),
            KV.of("node|svc:b", "{\"revision\":0}"), KV.of("edge|a>b", "{\"revision\":2}")))
        .apply(KafkaUpsertSink.of(broker.bootstrapServers(), "graph-out"));
    pipeline.run().waitUntilFinish();

    List<ConsumerRecord<byte[], byte[]>> out =
        topics.readUntil("graph-out", r -> r.size() >= 3, Duration.ofSeconds(60));
    assertThat(out, hasSize(3));
    assertThat(out.stream().map(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(),
            UTF_8)).collect(Collectors.toList()),
        containsInAnyOrder("node|svc:a={\"revision\":0}", "node|svc:b={\"revision\":0}",
            "edge|a>b={\"revision\":2}"));
  }

  @Test
  public void secretsNeverReachDisplayDataOrToString() {
    ClientProperties security = ClientProperties.parse("security.protocol=SASL_PLAINTEXT;"
        + "sasl.mechanism=PLAIN;sasl.jaas.config=org.apache.kafka.common.security.plain."
        + "PlainLoginModule required username=\"u\" password=\"s3cr3t\";");
    Pipeline p = Pipeline.create();
    KafkaRawSource source = KafkaRawSource.of("zipkin", "broker:9092", List.of("in"))
        .withConsumerProperties(security);
    KafkaUpsertSink sink = KafkaUpsertSink.of("broker:9092", "out")
        .withProducerProperties(security);
    p.apply(source)
        .apply(MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(r -> KV.of("k", "v")))
        .apply(sink);

    List<String> shown = new ArrayList<>(List.of(source.toString(), sink.toString()));
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (node.getTransform() != null) {
          shown.add(DisplayData.from(node.getTransform()).toString());
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        shown.add(DisplayData.from(node.getTransform()).toString());
      }
    });
    assertThat(shown, everyItem(not(containsString("s3cr3t"))));
    assertThat(String.join("\n", shown), containsString("sasl.jaas.config=[redacted]"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String describe(RecordMetadata m, long time, String payload, long size) {
    return "zipkin " + m.topic() + "[" + m.partition() + "]@" + m.offset() + " " + time + " "
        + payload + " " + size;
  }

  private static final class TimestampOf extends DoFn<RawRecord, String> {
    @ProcessElement
    public void process(ProcessContext c) {
      c.output(c.timestamp().toString());
    }
  }
}
