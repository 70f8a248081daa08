package dev.weft.pipelines;

import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.ResolveIdentity;
import dev.weft.identity.ResolvedIdentity;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * {@code weft identity-benchmark [--events=20000,200000] [--shards=64]}: the throughput of {@link
 * ResolveIdentity} on the Direct runner over synthetic events (a figure to print, never a timed
 * test). The mix: 1 in 10 events is a pod object (strong: namespace/name, teaches its IP), 2 in 10
 * are log lines carrying only a pod IP (weak: aliased through the pod's IP), the rest are spans
 * with service, instance and host (strong only). One pod per 10 events, so the number of entities
 * grows with the input.
 */
public final class IdentityBenchmark {
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

  private IdentityBenchmark() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  public static int run(String[] args, PrintStream out) {
    List<Long> sizes = List.of(20_000L, 200_000L);
    int shards = 64;
    for (String a : args) {
      if (a.startsWith("--events=")) {
        sizes = java.util.Arrays.stream(a.substring(9).split(",")).map(Long::parseLong).toList();
      } else if (a.startsWith("--shards=")) {
        shards = Integer.parseInt(a.substring(9));
      } else if (!a.equals("identity-benchmark")) {
        out.println("usage: java -jar weft.jar identity-benchmark [--events=N,M] [--shards=S]");
        return 1;
      }
    }
    for (long n : sizes) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--enforceImmutability=false", "--enforceEncodability=false")
          .create());
      ResolvedIdentity r = p.apply("Sequence", GenerateSequence.from(0).to(n))
          .apply("Synthesize", ParDo.of(new Synthesize())).setCoder(EventCoder.of())
          .apply(new ResolveIdentity(IdentityPolicy.defaultPolicy(), Duration.ofMinutes(10),
              shards));
      r.resolved().apply("CountResolved", ParDo.of(new CountFn<>("resolved")));
      r.bindings().apply("CountBindings", ParDo.of(new CountFn<>("bindings")));
      long start = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(java.util.Locale.ROOT, "identity-benchmark: %d events, %d shards: %.1f s, "
          + "%.0f events/s; resolved %d, bindings %d, aliased %d%n", n, shards, seconds,
          n / seconds, counter(result, "resolved"), counter(result, "bindings"),
          counter(result, "aliased"));
    }
    return 0;
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(IdentityBenchmark.class, name)).build())
        .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  static final class CountFn<T> extends DoFn<T, Void> {
    private final Counter counter;
    private final Counter aliased = Metrics.counter(IdentityBenchmark.class, "aliased");

    CountFn(String name) {
      this.counter = Metrics.counter(IdentityBenchmark.class, name);
    }

    @ProcessElement
    public void process(@Element T element) {
      counter.inc();
      if (element instanceof dev.weft.model.Binding b
          && b.decision() == dev.weft.model.Decision.ALIASED) {
        aliased.inc();
      }
    }
  }

  /** Deterministic synthetic events from a sequence number. */
  static final class Synthesize extends DoFn<Long, Event> {
    @ProcessElement
    public void process(@Element Long i, OutputReceiver<Event> out) {
      long pod = i / 10;
      Instant t = T0.plusMillis(i * 10);
      Event.Builder b = Event.builder().eventId("bench-" + i, IdKind.SOURCE_ID)
          .origin(Origin.file("bench", "synthetic")).eventTime(t, TimeQuality.SOURCE)
          .observedTime(t);
      String ip = "10." + (pod >> 16 & 255) + "." + (pod >> 8 & 255) + "." + (pod & 255);
      long slot = i % 10;
      if (slot == 0) {
        b.config(new ConfigPart("Pod", Optional.of("v1"), ConfigOperation.ADDED, Optional.empty(),
            Optional.empty(), "pod-" + pod, Optional.of("bench"), Optional.of("uid-" + pod),
            new TreeMap<>(), new TreeMap<>(), List.of()))
            .signal("k8s.namespace.name", "bench").signal("k8s.pod.name", "pod-" + pod)
            .signal("k8s.pod.uid", "uid-" + pod).signal("k8s.pod.ip", ip);
      } else if (slot <= 2) {
        b.kind(EventKind.LOG).signal("k8s.pod.ip", ip);
      } else {
        b.kind(EventKind.LOG).signal("service.name", "svc-" + (pod % 50))
            .signal("service.instance.id", "inst-" + (pod % 500))
            .signal("host.name", "node-" + (pod % 100));
      }
      out.outputWithTimestamp(b.build(), org.joda.time.Instant.ofEpochMilli(t.toEpochMilli()));
    }
  }
}
