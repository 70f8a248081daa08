package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenTelemetry collector's servicegraph connector semantics for one trace of
 * OpenTelemetry-model spans (OTLP, Jaeger).
 *
 * <ul>
 *   <li><b>Pairs</b>: a CLIENT or PRODUCER span and each SERVER or CONSUMER span whose parent span
 *       id is its span id make one call, client service → server service (a producer with two
 *       consumers is two calls).
 *   <li><b>Virtual nodes</b>: a client-side span that no server answers calls the peer named by the
 *       first of {@link Config#peerAttributes} it carries (the connector's {@code
 *       virtual_node_peer_attributes}, default {@code peer.service, db.name, db.system}); none, no
 *       call. With {@link Config#userClient}, a root server span without a client is called by
 *       the virtual node {@code user}.
 *   <li><b>Failures</b>: a call failed when either span has status ERROR; a span whose status is
 *       unset fails by the HTTP semantic conventions — a client span on a 4xx or 5xx response
 *       status, a server span on a 5xx.
 * </ul>
 */
final class ServiceGraphLinker {
  /** The connector settings Weft honours. */
  record Config(List<String> peerAttributes, boolean userClient) implements Serializable {
    static Config defaults() {
      return new Config(List.of("peer.service", "db.name", "db.system"), false);
    }
  }

  /** The virtual client of root server spans, as the connector names it. */
  static final String USER = "user";

  private ServiceGraphLinker() {}

  /**
   * The calls of one trace. {@code from}/{@code to} of a paired call are left null: the caller
   * names them by the spans' resolved services; a virtual peer is named by {@link
   * #virtualPeer}.
   */
  static List<CallLink> link(List<TraceSpan> spans, Config config) {
    Map<String, List<TraceSpan>> clientsById = new HashMap<>();
    for (TraceSpan s : spans) {
      if (s.kind == SpanKind.CLIENT || s.kind == SpanKind.PRODUCER) {
        clientsById.computeIfAbsent(s.id, k -> new ArrayList<>()).add(s);
      }
    }
    List<CallLink> links = new ArrayList<>();
    Set<String> answered = new HashSet<>();
    for (TraceSpan s : spans) {
      if (s.kind != SpanKind.SERVER && s.kind != SpanKind.CONSUMER) {
        continue;
      }
      List<TraceSpan> clients = s.parentId == null ? null : clientsById.get(s.parentId);
      if (clients != null) {
        // One client per span id in OpenTelemetry; if two records claim it, the first by event id.
        TraceSpan client = clients.stream().min((a, b) -> a.eventId.compareTo(b.eventId)).get();
        answered.add(client.eventId);
        links.add(new CallLink(null, null, failed(client) || failed(s), s, client));
      } else if (config.userClient() && s.parentId == null) {
        links.add(new CallLink(USER, null, failed(s), s, null));
      }
    }
    for (TraceSpan s : spans) {
      if ((s.kind == SpanKind.CLIENT || s.kind == SpanKind.PRODUCER)
          && !answered.contains(s.eventId)) {
        Optional<String> peer = virtualPeer(s.source.event(), config.peerAttributes());
        if (peer.isPresent()) {
          links.add(new CallLink(null, peer.get(), failed(s), s, s));
        }
      }
    }
    return links;
  }

  /**
   * The node a client-side span without a server calls: by the first peer attribute it carries.
   * {@code peer.service} names a service, {@code db.name}/{@code db.system} a database (system and
   * name together when both are there), a messaging system a queue, anything else an external node.
   */
  static Optional<String> virtualPeer(Event e, List<String> peerAttributes) {
    for (String attribute : peerAttributes) {
      Optional<String> v = EntityIds.value(e, attribute).filter(x -> !x.isEmpty());
      if (v.isEmpty()) {
        continue;
      }
      switch (attribute) {
        case "peer.service":
          return Optional.of(EntityIds.service(v.get()));
        case "db.name":
        case "db.namespace":
          return Optional.of("database:"
              + EntityIds.value(e, "db.system").map(system -> system + "/").orElse("") + v.get());
        case "db.system":
          return Optional.of("database:" + v.get());
        case "messaging.system":
          return Optional.of("queue:" + v.get() + EntityIds.value(e, "messaging.destination.name")
              .or(() -> EntityIds.value(e, "messaging.destination")).map(d -> "/" + d)
              .orElse(""));
        default:
          return Optional.of("external:" + v.get());
      }
    }
    return Optional.empty();
  }

  /** Span status first; with status unset, the HTTP response status by the span's side. */
  static boolean failed(TraceSpan s) {
    SpanPart span = s.source.event().span().orElseThrow();
    if (span.status() == StatusCode.ERROR) {
      return true;
    }
    if (span.status() != StatusCode.UNSET) {
      return false;
    }
    Optional<Integer> code = httpStatus(s.source.event());
    if (code.isEmpty()) {
      return false;
    }
    boolean clientSide = s.kind == SpanKind.CLIENT || s.kind == SpanKind.PRODUCER;
    return clientSide ? code.get() >= 400 : code.get() >= 500;
  }

  private static Optional<Integer> httpStatus(Event e) {
    Optional<String> v = EntityIds.value(e, "http.response.status_code")
        .or(() -> EntityIds.value(e, "http.status_code"));
    try {
      return v.map(x -> Integer.parseInt(x.trim()));
    } catch (NumberFormatException ex) {
      return Optional.empty();
    }
  }
}
