package dev.weft.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** The event coder round-trips every field and encodes equal events to equal bytes. */
public class EventCoderTest {

  static Event span() {
    return Event.builder()
        .eventId(EventIds.sourceId("span", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
            IdKind.SOURCE_ID)
        .origin(Origin.file("otlp-traces", "/data/trace.json").at("/resourceSpans/0"))
        .eventTime(Instant.parse("2024-01-02T03:04:05.123456789Z"), TimeQuality.SOURCE)
        .observedTime(Instant.parse("2024-01-02T03:05:00Z"))
        .signal("service.name", "checkout")
        .signal("host.name", "node-1")
        .signal("empty", "")
        .attribute("http.method", "GET")
        .span(new SpanPart("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
            Optional.of("00f067aa0ba902b6"), Optional.of("GET /cart"), SpanKind.SERVER,
            Optional.empty(), Optional.of(1500L), StatusCode.ERROR, Optional.empty(),
            Optional.of("boom"), false))
        .build();
  }

  static Event config() {
    return Event.builder()
        .eventId(EventIds.contentHash("k8s", "Pod", "default", "web-1"), IdKind.CONTENT_HASH)
        .origin(Origin.message("k8s", "pods", Optional.of(3), Optional.of(42L)))
        .eventTime(Instant.parse("2024-01-02T03:04:05Z"), TimeQuality.DERIVED)
        .observedTime(Instant.parse("2024-01-02T03:05:00Z"))
        .signal("k8s.pod.name", "web-1")
        .config(new ConfigPart("Pod", Optional.of("v1"), ConfigOperation.UNKNOWN,
            Optional.of("RESTARTED"), Optional.of("1234"), "web-1", Optional.of("default"),
            Optional.of("uid-1"), new TreeMap<>(Map.of("app", "web", "tier", "front")), new TreeMap<>(),
            List.of(new Reference("part-of", "ReplicaSet", "web-abc", Optional.of("default"),
                Optional.of("uid-rs")))))
        .build();
  }

  static Event log() {
    return Event.builder()
        .eventId("syslog:h:0123", IdKind.CONTENT_HASH)
        .origin(Origin.fileLine("syslog", "/var/log/x", Optional.empty(), 4096))
        .eventTime(Instant.parse("2024-01-02T03:04:05Z"), TimeQuality.FALLBACK)
        .observedTime(Instant.parse("2024-01-02T03:04:05Z"))
        .log(new LogPart(Severity.UNKNOWN, Optional.of(99), Optional.of("NOTICE-ish"),
            Optional.of("héllo wörld ✓"), Optional.empty(), Optional.empty()))
        .build();
  }

  @Test
  public void roundTripsEveryKindOfEvent() throws Exception {
    for (Event e : List.of(span(), config(), log())) {
      CoderProperties.coderDecodeEncodeEqual(EventCoder.of(), e);
    }
  }

  @Test
  public void isDeterministicAndConsistentWithEquals() throws Exception {
    EventCoder.of().verifyDeterministic();
    for (Event e : List.of(span(), config(), log())) {
      CoderProperties.coderDeterministic(EventCoder.of(), e, e.toBuilder().build());
      CoderProperties.coderConsistentWithEquals(EventCoder.of(), e, e.toBuilder().build());
    }
  }

  @Test
  public void mapInsertionOrderDoesNotChangeTheBytes() throws Exception {
    Map<String, String> a = new TreeMap<>(java.util.Comparator.reverseOrder());
    a.put("a", "1");
    a.put("b", "2");
    Event one = span().toBuilder().attributes(a).build();
    Event two = span().toBuilder().attribute("b", "2").attribute("a", "1").build();
    assertThat(encode(EventCoder.of(), one), equalTo(encode(EventCoder.of(), two)));
  }

  @Test
  public void differentEventsEncodeDifferently() throws Exception {
    assertThat(encode(EventCoder.of(), span()),
        not(equalTo(encode(EventCoder.of(), span().toBuilder().signal("host.name", "x").build()))));
  }

  @Test
  public void emptyValuesAreAbsentNotEmptyStrings() {
    assertThat(span().signals().containsKey("empty"), equalTo(false));
  }

  @Test
  public void bindingAndResolvedEventRoundTrip() throws Exception {
    Binding b = new Binding("e1", Instant.parse("2024-01-01T00:00:00Z"), "k8s.pod",
        "k8s.pod:default/web-1", Decision.CONFLICT, Optional.of("pod-by-ip"),
        new TreeMap<>(Map.of("k8s.pod.ip", "10.0.0.1")), 0.7, List.of("k8s.pod:a", "k8s.pod:b"),
        Optional.of("two candidates"), 2);
    CoderProperties.coderDecodeEncodeEqual(BindingCoder.of(), b);
    ResolvedEvent r = new ResolvedEvent(span(), "service:checkout",
        new TreeMap<>(Map.of("service", "service:checkout")), 1, true);
    CoderProperties.coderDecodeEncodeEqual(ResolvedEventCoder.of(), r);
    CoderProperties.coderDeterministic(ResolvedEventCoder.of(), r, r);
  }

  private static <T> byte[] encode(Coder<T> coder, T value) throws IOException {
    return CoderUtils.encodeToByteArray(coder, value);
  }
}
