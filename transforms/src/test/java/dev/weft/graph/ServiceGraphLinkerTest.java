package dev.weft.graph;

import static dev.weft.graph.GraphFixtures.span;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

/**
 * OpenTelemetry spans get the collector's servicegraph connector semantics. Each case names the
 * connector behaviour it mirrors (connector/servicegraphconnector: {@code connector.go} edge
 * building, {@code virtual_node_peer_attributes}, failure rules of the HTTP semantic conventions).
 */
public class ServiceGraphLinkerTest {
  private static final ServiceGraphLinker.Config DEFAULTS = ServiceGraphLinker.Config.defaults();

  @Test
  public void clientAndServerPairByParentSpanId() {
    // connector: client span keyed by (trace, spanId), server span by (trace, parentSpanId).
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 1000, false, false, Map.of()),
        span("api", "t", "s1", "c1", SpanKind.SERVER, 1, 900, false, false, Map.of())),
        contains("service:web->service:api ok"));
  }

  @Test
  public void producerAndConsumerPairAsMessagingAndFanOutCountsEachConsumer() {
    // connector: PRODUCER is a client-side kind, CONSUMER a server-side kind (messaging_system).
    assertThat(calls(DEFAULTS,
        span("shop", "t", "p1", null, SpanKind.PRODUCER, 0, 10, false, false, Map.of()),
        span("billing", "t", "k1", "p1", SpanKind.CONSUMER, 1, 10, false, false, Map.of()),
        span("mailer", "t", "k2", "p1", SpanKind.CONSUMER, 1, 10, false, false, Map.of())),
        contains("service:shop->service:billing ok", "service:shop->service:mailer ok"));
  }

  @Test
  public void unansweredClientCallsVirtualNodeByPeerAttributesInOrder() {
    // connector: virtual_node_peer_attributes default [peer.service, db.name, db.system].
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false,
            Map.of("db.system", "postgresql", "db.name", "orders")),
        span("web", "t", "c2", null, SpanKind.CLIENT, 0, 10, false, false,
            Map.of("peer.service", "payments", "db.name", "ignored")),
        span("web", "t", "c3", null, SpanKind.CLIENT, 0, 10, false, false,
            Map.of("db.system", "redis"))),
        contains("service:web->database:postgresql/orders ok", "service:web->database:redis ok",
            "service:web->service:payments ok"));
  }

  @Test
  public void clientWithOnlyAnAddressMakesNoEdgeUnlessConfigured() {
    // connector: server.address / http.url are not in the default peer attributes.
    Event c = span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false,
        Map.of("server.address", "api.example.com"));
    assertThat(calls(DEFAULTS, c), empty());
    assertThat(calls(new ServiceGraphLinker.Config(List.of("peer.service", "server.address"),
        false), c), contains("service:web->external:api.example.com ok"));
  }

  @Test
  public void rootServerSpanGetsTheUserClientOnlyWhenAskedFor() {
    Event root = span("web", "t", "s1", null, SpanKind.SERVER, 0, 10, false, false, Map.of());
    assertThat(calls(DEFAULTS, root), empty());
    assertThat(calls(new ServiceGraphLinker.Config(DEFAULTS.peerAttributes(), true), root),
        contains("service:user->service:web ok"));
  }

  @Test
  public void httpStatusDecidesFailureWhenStatusIsUnset() {
    // semantic conventions: a client span fails on 4xx and 5xx, a server span on 5xx only.
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false,
            Map.of("http.response.status_code", "404")),
        span("api", "t", "s1", "c1", SpanKind.SERVER, 1, 10, false, false,
            Map.of("http.response.status_code", "404"))),
        contains("service:web->service:api failed"));
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false, Map.of()),
        span("api", "t", "s1", "c1", SpanKind.SERVER, 1, 10, false, false,
            Map.of("http.status_code", "404"))),
        contains("service:web->service:api ok"));
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false, Map.of()),
        span("api", "t", "s1", "c1", SpanKind.SERVER, 1, 10, false, false,
            Map.of("http.status_code", "503"))),
        contains("service:web->service:api failed"));
  }

  @Test
  public void spanStatusErrorOnEitherSideFailsTheCall() {
    assertThat(calls(DEFAULTS,
        span("web", "t", "c1", null, SpanKind.CLIENT, 0, 10, false, false, Map.of()),
        span("api", "t", "s1", "c1", SpanKind.SERVER, 1, 10, true, false, Map.of())),
        contains("service:web->service:api failed"));
  }

  @Test
  public void serverUnderServerIsNotACallInTheConnector() {
    // connector: only client-side kinds pair with server-side kinds.
    assertThat(calls(DEFAULTS,
        span("gateway", "t", "s0", null, SpanKind.SERVER, 0, 10, false, false, Map.of()),
        span("orders", "t", "s1", "s0", SpanKind.SERVER, 1, 10, false, false, Map.of())),
        empty());
  }

  private static List<String> calls(ServiceGraphLinker.Config config, Event... spans) {
    List<ResolvedEvent> trace = new ArrayList<>();
    for (Event e : spans) {
      TreeMap<String, String> entities = new TreeMap<>();
      entities.put("service", "service:" + e.signals().get("service.name"));
      trace.add(new ResolvedEvent(e, entities.get("service"), entities, 0, false));
    }
    List<String> out = new ArrayList<>();
    for (TraceCalls.Observation o : TraceCalls.of(trace, config).calls()) {
      out.add(o.edge().from + "->" + o.edge().to + (o.edge().errors > 0 ? " failed" : " ok"));
    }
    out.sort(null);
    return out;
  }
}
