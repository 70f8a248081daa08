package dev.weft.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.adapters.JaegerAdapter;
import dev.weft.adapters.SourceAdapter;
import dev.weft.adapters.TextPatterns;
import dev.weft.adapters.ZipkinAdapter;
import dev.weft.model.Event;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.RawRecord;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanModel;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import dev.weft.model.TimeQuality;
import dev.weft.testing.TreeRenderings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * A benchmark, not a timed test (run it explicitly: {@code -Dtest=EventJsonRenderBenchmark}):
 * events/s of rendering {@code events-*.jsonl} lines with the streaming generator ({@link
 * EventJson#toJson}) beside the former rendering through a Jackson tree ({@link TreeRenderings}),
 * on one thread, over 200,000 generated Zipkin-like spans and, when {@code ../shared/realdata} is
 * there, the real samples' events repeated to 200,000. Printed for the record; it asserts only
 * that both renderings give the same lines.
 */
public class EventJsonRenderBenchmark {
  private static final int EVENTS = 200_000;
  private static final int ROUNDS = 5;
  private static final Instant T0 = Instant.parse("2026-11-29T19:00:00Z");

  /** Spans shaped like the generator's Zipkin spans as the adapter makes them. */
  static List<Event> spans(int n) {
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String trace = String.format(Locale.ROOT, "%016x%016x", i / 7 * 31L, i / 7L);
      String span = String.format(Locale.ROOT, "%016x", i * 2654435761L);
      String service = "service-" + (i % 13);
      out.add(Event.builder()
          .eventId("span:" + trace + ":" + span + ":server@" + service, IdKind.SOURCE_ID)
          .origin(Origin.fileLine("zipkin", "/tmp/spans.ndjson", Optional.of(i + 1L), i * 337L))
          .eventTime(T0.plusNanos(i * 3_600_123L), TimeQuality.SOURCE)
          .observedTime(T0.plusSeconds(3600))
          .signal("service.name", service).signal("host.ip", "10.0." + (i % 5) + "." + (i % 200))
          .attribute("http.method", i % 3 == 0 ? "POST" : "GET")
          .attribute("http.path", "/api/v1/items/" + (i % 97))
          .span(new SpanPart(trace, span, i % 7 == 0 ? Optional.empty()
              : Optional.of(String.format(Locale.ROOT, "%016x", (i - 1) * 2654435761L)),
              Optional.of("get /api/v1/items"), i % 2 == 0 ? SpanKind.SERVER : SpanKind.CLIENT,
              Optional.of(i % 2 == 0 ? "SERVER" : "CLIENT"), Optional.of(1000L + i % 50_000),
              i % 20 == 0 ? StatusCode.ERROR : StatusCode.UNSET, Optional.empty(),
              i % 20 == 0 ? Optional.of("500") : Optional.empty(), i % 11 == 0,
              SpanModel.ZIPKIN))
          .build());
    }
    return out;
  }

  /** The real samples' spans and log lines, repeated to {@code n} events; empty without them. */
  static List<Event> realEvents(int n) throws IOException {
    Path root = Paths.get(System.getProperty("weft.realdata", "../../shared/realdata"));
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Event> base = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve("zipkin"))) {
      for (Path f : s.sorted().collect(Collectors.toList())) {
        base.addAll(parse(new ZipkinAdapter(), Files.readAllBytes(f)));
      }
    }
    base.addAll(parse(new JaegerAdapter(),
        Files.readAllBytes(root.resolve("jaeger/example_trace.json"))));
    SourceAdapter hdfs = TextPatterns.defaults().adapter("hdfs");
    for (String line : Files.readAllLines(root.resolve("loghub/HDFS/HDFS_2k.log"))) {
      base.addAll(parse(hdfs, line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; out.size() < n; i++) {
      out.add(base.get(i % base.size()));
    }
    return out;
  }

  private static List<Event> parse(SourceAdapter a, byte[] bytes) {
    return a.parse(new RawRecord(bytes, Origin.file(a.format(), "sample"), T0)).events();
  }

  /** Best events/s over the rounds; the byte count goes to {@code bytes[0]}. */
  private static double rate(List<Event> events, Function<Event, String> render, long[] bytes) {
    double best = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long size = 0;
      long start = System.nanoTime();
      for (Event e : events) {
        size += render.apply(e).length();
      }
      long nanos = System.nanoTime() - start;
      best = Math.max(best, events.size() / (nanos / 1e9));
      bytes[0] = size;
    }
    return best;
  }

  private static void compare(String what, List<Event> events) {
    for (Event e : events) {
      assertThat(what, EventJson.toJson(e), equalTo(TreeRenderings.event(e)));
    }
    long[] bytes = new long[1];
    // Alternate, so neither side profits alone from a later JIT or a quieter moment.
    double tree = rate(events, TreeRenderings::event, bytes);
    double streaming = rate(events, EventJson::toJson, bytes);
    tree = Math.max(tree, rate(events, TreeRenderings::event, bytes));
    streaming = Math.max(streaming, rate(events, EventJson::toJson, bytes));
    System.out.printf(Locale.ROOT, "%-28s %,9d events %6.1f M chars  tree %,10.0f events/s  "
        + "streaming %,10.0f events/s  x%.2f%n", what, events.size(), bytes[0] / 1e6, tree,
        streaming, streaming / tree);
  }

  @Test
  public void renderEventsBothWays() throws IOException {
    compare("generated Zipkin-like spans", spans(EVENTS));
    List<Event> real = realEvents(EVENTS);
    if (!real.isEmpty()) {
      compare("real samples, repeated", real);
    }
  }
}
