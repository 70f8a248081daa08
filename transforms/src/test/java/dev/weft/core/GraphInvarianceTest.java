package dev.weft.core;

import static dev.weft.graph.GraphFixtures.T0;
import static dev.weft.graph.GraphFixtures.client;
import static dev.weft.graph.GraphFixtures.joda;
import static dev.weft.graph.GraphFixtures.k8s;
import static dev.weft.graph.GraphFixtures.log;
import static dev.weft.graph.GraphFixtures.ref;
import static dev.weft.graph.GraphFixtures.server;
import static dev.weft.graph.GraphFixtures.span;
import static dev.weft.graph.GraphFixtures.stamped;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.weft.graph.FinalGraph;
import dev.weft.model.ConfigOperation;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Severity;
import dev.weft.model.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.Test;

/**
 * Replaying the same input with every record duplicated and the order shuffled within the lateness
 * bound gives a byte-identical graph.json; and the graph has the calls and structure it should.
 */
public class GraphInvarianceTest {
  private static final Map<String, String> CAPTURED = new ConcurrentHashMap<>();
  private static final GraphParams PARAMS = new GraphParams(Duration.standardMinutes(1),
      Duration.standardMinutes(5), Optional.empty(), Duration.standardMinutes(10),
      Duration.standardMinutes(1), 1000);

  /** Three services over six minutes, a database, logs, and a small Kubernetes cluster. */
  static List<Event> sample() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 36; i++) {
      long t = i * 10L;
      String trace = "tr" + i;
      events.add(client("frontend", trace, "a" + i, t, 5_000 + i * 10, false));
      events.add(server("checkout", trace, "b" + i, "a" + i, t + 1, 4_000));
      events.add(client("checkout", trace, "c" + i, t + 2, 2_000 + i, i % 6 == 0));
      events.add(server("payments", trace, "d" + i, "c" + i, t + 3, 1_500));
      events.add(span("payments", trace, "e" + i, "d" + i, SpanKind.CLIENT, t + 4, 700, false,
          false, Map.of("db.system", "postgresql", "server.address", "pg")));
      events.add(log("payments", i % 6 == 0 ? Severity.ERROR : Severity.INFO, t + 4,
          "charge " + i));
    }
    events.add(k8s("Node", null, "node-1", ConfigOperation.SNAPSHOT, "5", 0, Map.of(), Map.of(),
        List.of()));
    events.add(k8s("Deployment", "shop", "checkout", ConfigOperation.SNAPSHOT, "7", 0,
        Map.of("app", "checkout"), Map.of("app", "checkout"), List.of()));
    events.add(k8s("ReplicaSet", "shop", "checkout-5d8", ConfigOperation.SNAPSHOT, "8", 0,
        Map.of("app", "checkout"), Map.of("app", "checkout"),
        List.of(ref("part-of", "Deployment", "checkout"))));
    events.add(k8s("Service", "shop", "checkout", ConfigOperation.SNAPSHOT, "9", 0, Map.of(),
        Map.of("app", "checkout"), List.of()));
    events.add(k8s("ServiceAccount", "shop", "checkout-sa", ConfigOperation.SNAPSHOT, "3", 0,
        Map.of(), Map.of(), List.of()));
    events.add(k8s("Pod", "shop", "checkout-5d8-x1", ConfigOperation.ADDED, "10", 5,
        Map.of("app", "checkout"), Map.of(),
        List.of(ref("part-of", "ReplicaSet", "checkout-5d8"), ref("runs-on", "Node", "node-1"),
            ref("uses", "ServiceAccount", "checkout-sa"))));
    events.add(k8s("Pod", "shop", "checkout-5d8-x1", ConfigOperation.DELETED, "15", 200,
        Map.of("app", "checkout"), Map.of(), List.of()));
    events.add(k8s("Pod", "shop", "checkout-5d8-x2", ConfigOperation.ADDED, "16", 190,
        Map.of("app", "checkout", "pod-template-hash", "5d8"), Map.of(),
        List.of(ref("part-of", "ReplicaSet", "checkout-5d8"), ref("runs-on", "Node", "node-1"),
            ref("uses", "ServiceAccount", "checkout-sa"))));
    events.add(k8s("Pod", "shop", "checkout-5d8-x2", ConfigOperation.MODIFIED, "17", 250,
        Map.of("app", "checkout", "pod-template-hash", "5d8", "ready", "true"), Map.of(),
        List.of(ref("part-of", "ReplicaSet", "checkout-5d8"), ref("runs-on", "Node", "node-1"),
            ref("uses", "ServiceAccount", "checkout-sa"))));
    events.sort(Comparator.comparing(Event::eventTime).thenComparing(Event::eventId));
    return events;
  }

  /**
   * Chunks of 30 s of event time; after each chunk the watermark moves to the chunk's start. With
   * {@code replay}, every record appears twice and each chunk (with its duplicates) is shuffled:
   * displacement stays under 60 s, well within the 5-minute bound.
   */
  static TestStream<Event> stream(List<Event> events, boolean replay, long seed) {
    Random random = new Random(seed);
    TestStream.Builder<Event> s = TestStream.create(EventCoder.of()).advanceWatermarkTo(joda(T0));
    long chunk = 30_000;
    long start = T0.toEpochMilli();
    List<Event> pending = new ArrayList<>();
    for (int i = 0; i <= events.size(); i++) {
      boolean flush = i == events.size()
          || events.get(i).eventTime().toEpochMilli() >= start + chunk;
      if (flush && !pending.isEmpty()) {
        List<Event> batch = new ArrayList<>(pending);
        if (replay) {
          batch.addAll(pending);
          Collections.shuffle(batch, random);
        }
        for (Event e : batch) {
          s = s.addElements(stamped(e));
        }
        s = s.advanceWatermarkTo(new org.joda.time.Instant(start));
        pending.clear();
      }
      if (i < events.size()) {
        while (events.get(i).eventTime().toEpochMilli() >= start + chunk) {
          start += chunk;
        }
        pending.add(events.get(i));
      }
    }
    return s.advanceWatermarkToInfinity();
  }

  static String graphJson(TestStream<Event> input, String name) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    EventsToGraph.Result g = p.apply(input).apply(new EventsToGraph(PARAMS));
    PCollection<String> json = FinalGraph.assemble(g.nodes(), g.edges());
    PAssert.thatSingleton(json).satisfies(s -> {
      CAPTURED.put(name, s);
      return null;
    });
    PAssert.that(g.late()).empty();
    p.run().waitUntilFinish();
    return CAPTURED.get(name);
  }

  @Test
  public void duplicatedAndShuffledWithinTheBoundGivesTheSameBytes() {
    List<Event> events = sample();
    String ordered = graphJson(stream(events, false, 0), "ordered");
    String replayed = graphJson(stream(events, true, 42), "replayed");
    String replayedAgain = graphJson(stream(events, true, 7), "replayedAgain");
    assertThat(replayed, equalTo(ordered));
    assertThat(replayedAgain, equalTo(ordered));

    // And the graph is the right one (compared without the pretty-printer's whitespace).
    String compact = ordered.replaceAll("\\s+", "");
    assertThat(compact, containsString("\"from\":\"service:frontend\",\"relation\":\"calls\","
        + "\"to\":\"service:checkout\",\"kind\":\"CALL\",\"count\":36,\"errors\":0"));
    assertThat(compact, containsString("\"from\":\"service:checkout\",\"relation\":\"calls\","
        + "\"to\":\"service:payments\",\"kind\":\"CALL\",\"count\":36,\"errors\":6"));
    assertThat(compact, containsString("\"from\":\"service:payments\",\"relation\":\"calls\","
        + "\"to\":\"database:postgresql\",\"kind\":\"CALL\",\"count\":36"));
    assertThat(compact, containsString("\"from\":\"k8s.pod:shop/checkout-5d8-x1\","
        + "\"relation\":\"runs-on\",\"to\":\"k8s.node:node-1\",\"kind\":\"STRUCTURAL\","
        + "\"validFrom\":\"2024-01-01T00:00:05Z\",\"validTo\":\"2024-01-01T00:03:20Z\"}"));
    assertThat(compact, containsString("\"from\":\"k8s.pod:shop/checkout-5d8-x2\","
        + "\"relation\":\"part-of\",\"to\":\"k8s.replicaset:shop/checkout-5d8\","
        + "\"kind\":\"STRUCTURAL\",\"validFrom\":\"2024-01-01T00:03:10Z\"}"));
    assertThat(compact, containsString("\"from\":\"k8s.replicaset:shop/checkout-5d8\","
        + "\"relation\":\"part-of\",\"to\":\"k8s.deployment:shop/checkout\""));
    assertThat(compact, containsString("\"relation\":\"uses\","
        + "\"to\":\"k8s.serviceaccount:shop/checkout-sa\""));
    assertThat(compact, containsString("\"from\":\"k8s.service:shop/checkout\","
        + "\"relation\":\"selects\",\"to\":\"k8s.pod:shop/checkout-5d8-x1\","
        + "\"kind\":\"STRUCTURAL\",\"validFrom\":\"2024-01-01T00:00:05Z\","
        + "\"validTo\":\"2024-01-01T00:03:20Z\"}"));
    assertThat(compact, containsString("\"from\":\"k8s.service:shop/checkout\","
        + "\"relation\":\"selects\",\"to\":\"k8s.pod:shop/checkout-5d8-x2\","
        + "\"kind\":\"STRUCTURAL\",\"validFrom\":\"2024-01-01T00:03:10Z\"}"));
    // The pod deleted at 3:20 ends its validity; logs are counted by severity on their service.
    assertThat(compact, containsString("\"id\":\"k8s.pod:shop/checkout-5d8-x1\","
        + "\"type\":\"k8s.pod\",\"inferred\":false,\"events\":2,"
        + "\"firstSeen\":\"2024-01-01T00:00:05Z\",\"lastSeen\":\"2024-01-01T00:03:20Z\","
        + "\"validTo\":\"2024-01-01T00:03:20Z\""));
    assertThat(compact, containsString("\"logsBySeverity\":{\"ERROR\":6,\"INFO\":30}"));
    assertThat(compact, containsString("\"totals\":{\"nodes\":11,\"edges\":12,"
        + "\"callEdges\":3,\"calls\":108,\"callErrors\":6}"));
    assertThat(ordered, not(containsString("revision")));
  }
}
