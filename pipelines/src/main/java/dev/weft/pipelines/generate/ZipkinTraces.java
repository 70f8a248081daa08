package dev.weft.pipelines.generate;

import dev.weft.model.OutputJson;
import dev.weft.pipelines.generate.GeneratedSpan.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Zipkin v2 traces as instrumentation libraries emit them. A trace is a SERVER root in a gateway;
 * every server calls a random subset of its callees, each call in one of the RPC shapes of {@link
 * Shape} (B3 shared ids with and without the flag, kind-less fragments, child span ids, multi-host
 * servers, server→server, a local span in between), and may call a database that is not
 * instrumented, call something without naming it, or publish to a broker consumed by one or two
 * services. Error tags, HTTP tags and spans written without timestamp are sprinkled on top.
 *
 * <p>The weights of the RPC shapes (per call): shared flagged 25, shared unflagged 25, kind-less
 * fragment 8, child span ids 15, multi-host server 5, server→server 6, local span between 7. Per
 * server span: a database call 30 %, a client without peer 3 %, messaging 5 % (half of it fanned
 * out to two consumers). Error tag on 2 % of client and 2 % of server spans; 3 % of non-root server
 * halves without timestamp.
 */
final class ZipkinTraces extends TraceShapes {
  private static final double P_CALL = 0.55;
  private static final String[] VERBS = {"get", "get", "get", "post", "put", "delete"};
  private static final String[] RESOURCES = {"items", "list", "detail", "status"};

  ZipkinTraces(SplittableRandom rnd, ServiceTopology topology, Set<Shape> enabled) {
    super(rnd, topology, enabled);
  }

  @Override
  List<GeneratedSpan> trace(long start) {
    List<GeneratedSpan> out = new ArrayList<>();
    String traceId = traceId();
    int root = rnd.nextInt(topology.gateways);
    GeneratedSpan server = span(traceId, hexId(), null, Kind.SERVER, root, 0);
    server.name = "get /" + topology.services[root];
    int caller = pick(50, 40, weight(Shape.ZIPKIN_ROOT_NAMED_CALLER, 10));
    if (caller == 1) {
      server.remoteIpv4 = "192.168." + rnd.nextInt(256) + "." + rnd.nextInt(256);
      server.remotePort = 1024 + rnd.nextInt(60000);
    } else if (caller == 2) {
      server.remoteService = "browser";
    }
    count(caller == 2 ? Shape.ZIPKIN_ROOT_NAMED_CALLER : Shape.ZIPKIN_ROOT_SERVER);
    out.add(server);
    serve(out, root, server, start);
    for (GeneratedSpan s : out) {
      decorate(s);
    }
    return out;
  }

  /** Sets the server's time and emits its calls; returns nothing, the server's duration is set. */
  private void serve(List<GeneratedSpan> out, int svc, GeneratedSpan server, long start) {
    server.timestamp = start;
    long own = 100 + rnd.nextInt(1900);
    long t = start + own / 2;
    for (int callee : topology.callees[svc]) {
      if (chance(P_CALL)) {
        t = call(out, svc, callee, server, server, t);
      }
    }
    if (on(Shape.ZIPKIN_UNINSTRUMENTED_REMOTE) && chance(0.30)) {
      t = database(out, svc, server, t);
    }
    if (on(Shape.ZIPKIN_CLIENT_UNKNOWN_PEER) && chance(0.03)) {
      GeneratedSpan lost = span(server.traceId, hexId(), server.id, Kind.CLIENT, svc, 0);
      lost.name = "get /unknown";
      lost.timestamp = t;
      lost.duration = 100 + rnd.nextInt(900);
      t += lost.duration;
      out.add(lost);
      count(Shape.ZIPKIN_CLIENT_UNKNOWN_PEER);
    }
    if ((on(Shape.ZIPKIN_MESSAGING) || on(Shape.ZIPKIN_MESSAGING_FAN_OUT)) && chance(0.05)) {
      t = publish(out, svc, server, t);
    }
    server.duration = t + own / 2 - start;
  }

  /** One RPC from {@code svc} to {@code callee} under {@code parent}; returns the time after it. */
  private long call(List<GeneratedSpan> out, int svc, int callee, GeneratedSpan callerServer,
      GeneratedSpan parent, long t) {
    long net = 50 + rnd.nextInt(450);
    String traceId = parent.traceId;
    int shape = pick(weight(Shape.ZIPKIN_SHARED_FLAGGED, 25),
        weight(Shape.ZIPKIN_SHARED_UNFLAGGED, 25), weight(Shape.ZIPKIN_KINDLESS_FRAGMENT, 8),
        weight(Shape.ZIPKIN_CHILD_SPAN_IDS, 15), weight(Shape.ZIPKIN_MULTI_HOST_SERVER, 5),
        weight(Shape.ZIPKIN_SERVER_TO_SERVER, 6), weight(Shape.ZIPKIN_LOCAL_BETWEEN, 7));
    switch (shape) {
      case -1:
        return t;
      case 0:
      case 1: {
        boolean flagged = shape == 0;
        count(flagged ? Shape.ZIPKIN_SHARED_FLAGGED : Shape.ZIPKIN_SHARED_UNFLAGGED);
        return sharedRpc(out, svc, new int[] {callee}, parent, t, net, flagged);
      }
      case 2: {
        count(Shape.ZIPKIN_KINDLESS_FRAGMENT);
        String id = hexId();
        long after = sharedRpcWithId(out, svc, new int[] {callee}, parent, t, net,
            rnd.nextBoolean(), id);
        boolean serverSide = chance(0.7);
        int side = serverSide ? callee : svc;
        GeneratedSpan fragment = span(traceId, id, parent.id, null, side, 0);
        fragment.omitTime = true;
        fragment.timestamp = serverSide ? t + net : t;
        fragment.annotate(fragment.timestamp + 1, serverSide ? "wr" : "ws");
        out.add(fragment);
        return after;
      }
      case 3: {
        count(Shape.ZIPKIN_CHILD_SPAN_IDS);
        GeneratedSpan client = client(traceId, hexId(), parent.id, svc, callee);
        GeneratedSpan server = span(traceId, hexId(), client.id, Kind.SERVER, callee, 0);
        server.name = client.name;
        out.add(client);
        out.add(server);
        serve(out, callee, server, t + net);
        client.timestamp = t;
        client.duration = server.duration + 2 * net;
        return t + client.duration;
      }
      case 4: {
        count(Shape.ZIPKIN_MULTI_HOST_SERVER);
        int[] servers = new int[2 + rnd.nextInt(2)];
        for (int i = 0; i < servers.length; i++) {
          servers[i] = i > 0 && chance(0.3) ? topology.sibling(callee, rnd) : callee;
        }
        return sharedRpc(out, svc, servers, parent, t, net, rnd.nextBoolean());
      }
      case 5: {
        count(Shape.ZIPKIN_SERVER_TO_SERVER);
        GeneratedSpan server = span(traceId, hexId(), callerServer.id, Kind.SERVER, callee, 0);
        server.name = operation(callee);
        out.add(server);
        serve(out, callee, server, t + net);
        return t + server.duration + 2 * net;
      }
      default: {
        count(Shape.ZIPKIN_LOCAL_BETWEEN);
        GeneratedSpan local = span(traceId, hexId(), parent.id, null, svc, 0);
        local.name = "prepare " + topology.services[callee];
        local.timestamp = t;
        out.add(local);
        boolean flagged = rnd.nextBoolean();
        count(flagged ? Shape.ZIPKIN_SHARED_FLAGGED : Shape.ZIPKIN_SHARED_UNFLAGGED);
        long end = sharedRpc(out, svc, new int[] {callee}, local, t + 20, net, flagged);
        local.duration = end + 20 - t;
        return end + 20;
      }
    }
  }

  private long sharedRpc(List<GeneratedSpan> out, int svc, int[] servers, GeneratedSpan parent,
      long t, long net, boolean flagged) {
    return sharedRpcWithId(out, svc, servers, parent, t, net, flagged, hexId());
  }

  /**
   * A client half and one server half per entry of {@code servers}, all with the client's id and
   * parent; the first server recurses into its own calls, the others (other hosts) answer alone.
   */
  private long sharedRpcWithId(List<GeneratedSpan> out, int svc, int[] servers,
      GeneratedSpan parent, long t, long net, boolean flagged, String id) {
    GeneratedSpan client = client(parent.traceId, id, parent.id, svc, servers[0]);
    out.add(client);
    long longest = 0;
    for (int i = 0; i < servers.length; i++) {
      GeneratedSpan server = span(parent.traceId, id, parent.id, Kind.SERVER, servers[i], i);
      server.shared = flagged;
      server.name = client.name;
      if (chance(0.33)) {
        server.remoteService = topology.services[svc];
      }
      out.add(server);
      if (i == 0) {
        serve(out, servers[i], server, t + net);
      } else {
        server.timestamp = t + net + rnd.nextInt(50);
        server.duration = 100 + rnd.nextInt(1900);
      }
      longest = Math.max(longest, server.timestamp + server.duration - t);
    }
    client.timestamp = t;
    client.duration = longest + net;
    return t + client.duration;
  }

  private long database(List<GeneratedSpan> out, int svc, GeneratedSpan server, long t) {
    count(Shape.ZIPKIN_UNINSTRUMENTED_REMOTE);
    String db = ServiceTopology.DATABASES[rnd.nextInt(ServiceTopology.DATABASES.length)];
    GeneratedSpan client = span(server.traceId, hexId(), server.id, Kind.CLIENT, svc, 0);
    client.name = "query";
    client.remoteService = db;
    client.remotePort = 5432;
    client.timestamp = t;
    client.duration = 200 + rnd.nextInt(3000);
    client.tags.put("sql.query", "select * from " + topology.services[svc].replace('-', '_'));
    out.add(client);
    return t + client.duration;
  }

  /** A PRODUCER to a broker, consumed by one or two services (each with a local handler span). */
  private long publish(List<GeneratedSpan> out, int svc, GeneratedSpan server, long t) {
    String broker = ServiceTopology.BROKERS[chance(0.75) ? 0 : 1];
    GeneratedSpan producer = span(server.traceId, hexId(), server.id, Kind.PRODUCER, svc, 0);
    producer.name = "send";
    producer.remoteService = broker;
    producer.timestamp = t;
    producer.duration = 10 + rnd.nextInt(100);
    producer.tags.put("messaging.destination", topology.services[svc] + "-events");
    out.add(producer);
    boolean fanOut = pick(weight(Shape.ZIPKIN_MESSAGING, 1),
        weight(Shape.ZIPKIN_MESSAGING_FAN_OUT, 1)) == 1;
    count(fanOut ? Shape.ZIPKIN_MESSAGING_FAN_OUT : Shape.ZIPKIN_MESSAGING);
    int first = topology.anyDeeper(svc, rnd);
    int[] consumers = fanOut ? new int[] {first, topology.sibling(first, rnd)} : new int[] {first};
    for (int c : consumers) {
      GeneratedSpan consumer = span(server.traceId, hexId(), producer.id, Kind.CONSUMER, c, 0);
      consumer.name = "poll";
      consumer.remoteService = broker;
      consumer.timestamp = t + 1000 + rnd.nextInt(50_000);
      consumer.duration = 5 + rnd.nextInt(50);
      out.add(consumer);
      GeneratedSpan handler = span(server.traceId, hexId(), consumer.id, null, c, 0);
      handler.name = "on-message";
      handler.timestamp = consumer.timestamp + consumer.duration;
      handler.duration = 100 + rnd.nextInt(1000);
      out.add(handler);
    }
    return t + producer.duration;
  }

  private GeneratedSpan client(String traceId, String id, String parentId, int svc, int callee) {
    GeneratedSpan client = span(traceId, id, parentId, Kind.CLIENT, svc, 0);
    client.name = operation(callee);
    if (chance(0.5)) {
      client.remoteService = topology.services[callee];
    }
    return client;
  }

  private GeneratedSpan span(String traceId, String id, String parentId, Kind kind, int svc,
      int host) {
    GeneratedSpan s = new GeneratedSpan(traceId, id, parentId, kind, topology.services[svc]);
    s.localIpv4 = ipv4(svc, host);
    return s;
  }

  private String operation(int target) {
    return VERBS[rnd.nextInt(VERBS.length)] + " /" + topology.services[target] + "/"
        + RESOURCES[rnd.nextInt(RESOURCES.length)];
  }

  /** HTTP tags, error tags and missing timestamps, applied once the trace's times are known. */
  private void decorate(GeneratedSpan s) {
    if (s.kind != Kind.CLIENT && s.kind != Kind.SERVER) {
      return;
    }
    boolean error = chance(0.02) && on(s.kind == Kind.CLIENT ? Shape.ZIPKIN_ERROR_CLIENT
        : Shape.ZIPKIN_ERROR_SERVER);
    if (s.name != null && s.name.indexOf(' ') > 0 && !"query".equals(s.name)) {
      s.tags.put("http.method", s.name.substring(0, s.name.indexOf(' ')).toUpperCase(
          java.util.Locale.ROOT));
      s.tags.put("http.path", s.name.substring(s.name.indexOf(' ') + 1));
      s.tags.put("http.status_code", error ? (rnd.nextBoolean() ? "500" : "503") : "200");
    }
    if (error) {
      s.errorTag = s.tags.getOrDefault("http.status_code", "true");
      count(s.kind == Kind.CLIENT ? Shape.ZIPKIN_ERROR_CLIENT : Shape.ZIPKIN_ERROR_SERVER);
    }
    if (s.kind == Kind.SERVER && s.parentId != null && chance(0.03)
        && on(Shape.ZIPKIN_NO_TIMESTAMP)) {
      s.omitTime = true;
      count(Shape.ZIPKIN_NO_TIMESTAMP);
    }
  }

  @Override
  String render(GeneratedSpan s) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("traceId", s.traceId);
      if (s.parentId != null) {
        g.writeStringField("parentId", s.parentId);
      }
      g.writeStringField("id", s.id);
      if (s.kind != null) {
        g.writeStringField("kind", s.kind.name());
      }
      if (s.name != null) {
        g.writeStringField("name", s.name);
      }
      if (!s.omitTime) {
        g.writeNumberField("timestamp", s.timestamp);
        g.writeNumberField("duration", Math.max(1, s.duration));
      }
      g.writeObjectFieldStart("localEndpoint");
      g.writeStringField("serviceName", s.localService);
      g.writeStringField("ipv4", s.localIpv4);
      g.writeEndObject();
      if (s.remoteService != null || s.remoteIpv4 != null) {
        g.writeObjectFieldStart("remoteEndpoint");
        if (s.remoteService != null) {
          g.writeStringField("serviceName", s.remoteService);
        }
        if (s.remoteIpv4 != null) {
          g.writeStringField("ipv4", s.remoteIpv4);
        }
        if (s.remotePort > 0) {
          g.writeNumberField("port", s.remotePort);
        }
        g.writeEndObject();
      }
      if (!s.annotations.isEmpty()) {
        g.writeArrayFieldStart("annotations");
        for (GeneratedSpan.Annotation a : s.annotations) {
          g.writeStartObject();
          g.writeNumberField("timestamp", a.micros());
          g.writeStringField("value", a.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (!s.tags.isEmpty() || s.errorTag != null) {
        g.writeObjectFieldStart("tags");
        for (Map.Entry<String, String> t : s.tags.entrySet()) {
          g.writeStringField(t.getKey(), t.getValue());
        }
        if (s.errorTag != null) {
          g.writeStringField("error", s.errorTag);
        }
        g.writeEndObject();
      }
      if (s.shared) {
        g.writeBooleanField("shared", true);
      }
      g.writeEndObject();
    });
  }
}
