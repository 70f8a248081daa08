package dev.weft.graph;

import dev.weft.model.Event;
import dev.weft.model.ResolvedEvent;
import dev.weft.model.SpanModel;
import dev.weft.model.TimeQuality;
import dev.weft.overload.SampleWeight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The calls of one whole trace, as edge observations: links each span model's spans by its own
 * reference semantics ({@link ZipkinTraceLinker} for Zipkin spans, {@link ServiceGraphLinker} for
 * OpenTelemetry spans) and names both ends as graph entities.
 *
 * <p>Naming: a paired call goes from the client span's service entity to the server span's; a
 * Zipkin link names services by their (lower-case) names, mapped to the entity a span of this trace
 * with that local service resolved to, else {@code service:NAME} (an uninstrumented peer); a
 * virtual peer is named by {@link ServiceGraphLinker#virtualPeer}.
 *
 * <p>Time: a call happens at the time of the span that stands for it (the server half; a client
 * without a server; a messaging half), the later of both halves for a paired OpenTelemetry call.
 * A span whose time is only a FALLBACK (no timestamp in the record) takes the earliest real time
 * of its client, else of the trace; a trace with no real time keeps the fallback. Latency: the
 * client's duration when the client is known, else the span's own.
 */
final class TraceCalls {
  /**
   * One call observation, at its event time. {@code signature} names the call within its trace
   * (ends, failure, time and the spans that stand for it), so that a trace linked again as more of
   * it arrives can tell which calls are new and which are gone.
   */
  record Observation(EdgeState edge, long timeMillis, String signature) {
    static final char SEP = '\u0001';

    /** The observation that cancels the one with this signature: the same call, negated. */
    static Observation retraction(String signature) {
      String[] p = signature.split(String.valueOf(SEP), -1);
      boolean error = p[2].equals("1");
      EdgeState e = EdgeState.call(p[0], p[1], error, Optional.empty());
      e.count = -1;
      e.errors = error ? -1 : 0;
      return new Observation(e, Long.parseLong(p[3]), signature);
    }

    /** The event id of the span whose time dates the call. */
    String datedBy() {
      return signature.split(String.valueOf(SEP), -1)[4];
    }
  }

  /** Everything one trace contributes: calls, virtual/uninstrumented peer nodes, unlinked halves. */
  record Result(List<Observation> calls, List<String> peers, List<String> unlinked) {}

  private TraceCalls() {}

  static Result of(List<ResolvedEvent> trace, ServiceGraphLinker.Config config) {
    List<ResolvedEvent> sorted = new ArrayList<>(trace);
    sorted.sort(Comparator.comparing(r -> r.event().eventId()));
    List<TraceSpan> zipkin = new ArrayList<>();
    List<TraceSpan> otel = new ArrayList<>();
    for (ResolvedEvent r : sorted) {
      TraceSpan s = TraceSpan.of(r);
      (r.event().span().get().model() == SpanModel.ZIPKIN ? zipkin : otel).add(s);
    }
    long traceTime = earliestRealTime(sorted);
    List<Observation> calls = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    List<String> unlinked = new ArrayList<>();

    if (!zipkin.isEmpty()) {
      Map<String, String> entityByName = new TreeMap<>();
      for (TraceSpan s : zipkin) {
        String name = s.localServiceName();
        if (name != null) {
          entityByName.merge(name, serviceOf(s.source),
              (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
      }
      List<CallLink> links = ZipkinTraceLinker.link(zipkin);
      for (CallLink l : links) {
        String from = entity(l.from(), entityByName, peers);
        String to = entity(l.to(), entityByName, peers);
        calls.add(observation(from, to, l, time(l.at(), l.client(), traceTime)));
      }
      unlinked.addAll(CallLink.unlinked(zipkin, links));
    }
    if (!otel.isEmpty()) {
      List<CallLink> links = ServiceGraphLinker.link(otel, config);
      for (CallLink l : links) {
        String from;
        String to;
        long at;
        if (l.client() != null && l.client() != l.at()) {
          from = serviceOf(l.client().source);
          to = serviceOf(l.at().source);
          at = Math.max(time(l.client(), null, traceTime), time(l.at(), null, traceTime));
        } else if (l.to() != null) {
          from = serviceOf(l.at().source);
          to = l.to();
          peers.add(to);
          at = time(l.at(), null, traceTime);
        } else {
          from = EntityIds.service(l.from());
          to = serviceOf(l.at().source);
          peers.add(from);
          at = time(l.at(), null, traceTime);
        }
        calls.add(observation(from, to, l, at));
      }
      unlinked.addAll(CallLink.unlinked(otel, links));
    }
    return new Result(calls, peers, unlinked);
  }

  /** The service entity a span's event resolved to (its subject when it names no service). */
  static String serviceOf(ResolvedEvent r) {
    String service = r.entities().get("service");
    return service != null ? service : r.subject();
  }

  private static String entity(String name, Map<String, String> entityByName,
      List<String> peers) {
    String known = entityByName.get(name);
    if (known != null) {
      return known;
    }
    String peer = EntityIds.service(name);
    peers.add(peer);
    return peer;
  }

  private static Observation observation(String from, String to, CallLink l, long at) {
    TraceSpan latencyFrom = l.client() != null ? l.client() : l.at();
    Optional<Long> latency = latencyFrom.durationMicros().or(() -> l.at().durationMicros());
    String signature = from + Observation.SEP + to + Observation.SEP + (l.error() ? "1" : "0")
        + Observation.SEP + at + Observation.SEP + l.at().eventId + Observation.SEP
        + (l.client() == null ? "" : l.client().eventId);
    EdgeState call = EdgeState.call(from, to, l.error(), latency);
    // A call seen in a sampled trace stands for the calls sampled out with it (overload policy).
    long weight = SampleWeight.of(l.at().source.event());
    call.count *= weight;
    call.errors *= weight;
    return new Observation(call, at, signature);
  }

  private static long time(TraceSpan at, TraceSpan client, long traceTime) {
    Event e = at.source.event();
    if (e.timeQuality() != TimeQuality.FALLBACK) {
      return e.eventTime().toEpochMilli();
    }
    if (client != null && client.source.event().timeQuality() != TimeQuality.FALLBACK) {
      return client.source.event().eventTime().toEpochMilli();
    }
    return traceTime != Long.MAX_VALUE ? traceTime : e.eventTime().toEpochMilli();
  }

  private static long earliestRealTime(List<ResolvedEvent> trace) {
    long min = Long.MAX_VALUE;
    for (ResolvedEvent r : trace) {
      if (r.event().timeQuality() != TimeQuality.FALLBACK) {
        min = Math.min(min, r.event().eventTime().toEpochMilli());
      }
    }
    return min;
  }
}
