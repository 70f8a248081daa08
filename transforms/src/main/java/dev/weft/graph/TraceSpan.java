package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.SpanKind;
import dev.weft.model.SpanPart;
import dev.weft.model.StatusCode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One span as the call linkers see it: the fields that decide who called whom, taken from a
 * resolved span event. {@code source} is the event, kept for the call's time, latency and the
 * entity its service resolved to.
 */
final class TraceSpan {
  /** A span's local endpoint as Zipkin compares endpoints: service (lower case), addresses, port. */
  record Endpoint(String serviceName, String ipv4, String ipv6, int port) {
    boolean isEmpty() {
      return serviceName == null && ipv4 == null && ipv6 == null && port == 0;
    }
  }

  final String eventId;
  final String id;
  String parentId;
  /** CLIENT, SERVER, PRODUCER or CONSUMER; null when the span has no remote kind. */
  SpanKind kind;
  boolean shared;
  Endpoint localEndpoint;
  String remoteServiceName;
  boolean error;
  final ResolvedEvent source;

  private TraceSpan(String eventId, String id, ResolvedEvent source) {
    this.eventId = eventId;
    this.id = id;
    this.source = source;
  }

  TraceSpan copy() {
    TraceSpan c = new TraceSpan(eventId, id, source);
    c.parentId = parentId;
    c.kind = kind;
    c.shared = shared;
    c.localEndpoint = localEndpoint;
    c.remoteServiceName = remoteServiceName;
    c.error = error;
    return c;
  }

  String localServiceName() {
    return localEndpoint == null ? null : localEndpoint.serviceName();
  }

  static TraceSpan of(ResolvedEvent r) {
    Event e = r.event();
    SpanPart s = e.span().orElseThrow();
    TraceSpan t = new TraceSpan(e.eventId(), s.spanId(), r);
    t.parentId = s.parentSpanId().filter(p -> !p.equals(s.spanId())).orElse(null);
    t.kind = switch (s.kind()) {
      case CLIENT, SERVER, PRODUCER, CONSUMER -> s.kind();
      default -> null;
    };
    t.shared = s.shared() && t.kind != SpanKind.CLIENT;
    String service = lower(e.signals().get("service.name"));
    String ip = e.signals().get("host.ip");
    String ipv4 = ip != null && !ip.contains(":") ? ip : null;
    String ipv6 = ip != null && ip.contains(":") ? ip : e.attributes().get("host.ip.ipv6");
    int port = parsePort(e.attributes().get("network.local.port"));
    Endpoint local = new Endpoint(service, ipv4, ipv6, port);
    t.localEndpoint = local.isEmpty() ? null : local;
    t.remoteServiceName = lower(e.signals().get("peer.service"));
    t.error = s.status() == StatusCode.ERROR;
    return t;
  }

  private static String lower(String v) {
    return v == null || v.isEmpty() ? null : v.toLowerCase(Locale.ROOT);
  }

  private static int parsePort(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  Optional<Long> durationMicros() {
    return source.event().span().flatMap(SpanPart::durationMicros);
  }

  @Override
  public String toString() {
    return "TraceSpan{" + eventId + ", kind=" + kind + ", parent=" + parentId + ", shared="
        + shared + ", local=" + localEndpoint + ", remote=" + remoteServiceName + "}";
  }

  static boolean sameEndpoint(Endpoint a, Endpoint b) {
    return Objects.equals(a, b);
  }
}
