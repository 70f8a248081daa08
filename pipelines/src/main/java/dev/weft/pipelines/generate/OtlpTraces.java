package dev.weft.pipelines.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.model.OutputJson;
import dev.weft.pipelines.generate.GeneratedSpan.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * OTLP traces as OpenTelemetry SDKs emit them: every span has its own id, a SERVER span's parent is
 * the CLIENT span that called it. A trace is a root SERVER span in a gateway; each server calls a
 * random subset of its callees (directly, or 10 % of calls through an INTERNAL span), and may call
 * an uninstrumented peer known only by its attributes (per server 40 %: {@code peer.service},
 * {@code db.system} + {@code db.name}, {@code db.name}, {@code db.system}, {@code server.address},
 * {@code net.peer.name} or {@code http.url}, equally likely) or publish to Kafka (5 %, half fanned
 * out to two consumers). HTTP spans carry {@code http.response.status_code} (or, on a third of
 * them, the older {@code http.status_code}): 3 % 4xx and 3 % 5xx, each with span status ERROR half
 * of the time; 1 % of spans have status ERROR without an HTTP status.
 *
 * <p>One line is one ExportTraceServiceRequest with one resource (service.name, host.name), one
 * scope and one span, so duplicates and disorder work per span as in the Zipkin file.
 */
final class OtlpTraces extends TraceShapes {
  private static final double P_CALL = 0.55;
  private static final String[] EXTERNAL = {"payments-provider", "geo-api", "sms-gateway"};

  OtlpTraces(SplittableRandom rnd, ServiceTopology topology, Set<Shape> enabled) {
    super(rnd, topology, enabled);
  }

  @Override
  List<GeneratedSpan> trace(long start) {
    List<GeneratedSpan> out = new ArrayList<>();
    int root = rnd.nextInt(topology.gateways);
    GeneratedSpan server = span(traceId(), null, Kind.SERVER, root);
    server.name = "GET /" + topology.services[root];
    count(Shape.OTLP_ROOT_SERVER);
    out.add(server);
    serve(out, root, server, start);
    for (GeneratedSpan s : out) {
      httpStatus(s);
    }
    return out;
  }

  private void serve(List<GeneratedSpan> out, int svc, GeneratedSpan server, long start) {
    server.timestamp = start;
    long own = 100 + rnd.nextInt(1900);
    long t = start + own / 2;
    boolean calls = on(Shape.OTLP_CLIENT_SERVER) || on(Shape.OTLP_INTERNAL_BETWEEN);
    for (int callee : topology.callees[svc]) {
      if (!calls || !chance(P_CALL)) {
        continue;
      }
      long net = 50 + rnd.nextInt(450);
      GeneratedSpan parent = server;
      GeneratedSpan internal = null;
      if (on(Shape.OTLP_INTERNAL_BETWEEN)
          && (!on(Shape.OTLP_CLIENT_SERVER) || chance(0.10))) {
        count(Shape.OTLP_INTERNAL_BETWEEN);
        internal = span(server.traceId, server.id, Kind.INTERNAL, svc);
        internal.name = "prepare " + topology.services[callee];
        internal.timestamp = t;
        out.add(internal);
        parent = internal;
        t += 20;
      }
      count(Shape.OTLP_CLIENT_SERVER);
      GeneratedSpan client = span(server.traceId, parent.id, Kind.CLIENT, svc);
      client.name = "GET /" + topology.services[callee];
      GeneratedSpan callee_ = span(server.traceId, client.id, Kind.SERVER, callee);
      callee_.name = client.name;
      out.add(client);
      out.add(callee_);
      serve(out, callee, callee_, t + net);
      client.timestamp = t;
      client.duration = callee_.duration + 2 * net;
      t += client.duration;
      if (internal != null) {
        internal.duration = t + 20 - internal.timestamp;
        t += 20;
      }
    }
    if (chance(0.40)) {
      t = virtualPeer(out, svc, server, t);
    }
    if ((on(Shape.OTLP_MESSAGING) || on(Shape.OTLP_MESSAGING_FAN_OUT)) && chance(0.05)) {
      t = publish(out, svc, server, t);
    }
    server.duration = t + own / 2 - start;
  }

  /** A CLIENT span with no server half, its peer known only by the attributes of one variant. */
  private long virtualPeer(List<GeneratedSpan> out, int svc, GeneratedSpan server, long t) {
    int variant = pick(weight(Shape.OTLP_PEER_SERVICE, 1),
        weight(Shape.OTLP_DB_NAME_AND_SYSTEM, 1), weight(Shape.OTLP_DB_NAME, 1),
        weight(Shape.OTLP_DB_SYSTEM, 1), weight(Shape.OTLP_SERVER_ADDRESS, 1),
        weight(Shape.OTLP_NET_PEER_NAME, 1), weight(Shape.OTLP_HTTP_URL, 1));
    if (variant < 0) {
      return t;
    }
    GeneratedSpan client = span(server.traceId, server.id, Kind.CLIENT, svc);
    int db = rnd.nextInt(ServiceTopology.DATABASES.length);
    String dbName = topology.services[svc].replace('-', '_');
    String external = EXTERNAL[rnd.nextInt(EXTERNAL.length)];
    switch (variant) {
      case 0:
        count(Shape.OTLP_PEER_SERVICE);
        client.name = "GET /v1/" + external;
        client.tags.put("peer.service", external);
        break;
      case 1:
        count(Shape.OTLP_DB_NAME_AND_SYSTEM);
        client.name = "SELECT " + dbName;
        client.tags.put("db.system", ServiceTopology.DB_SYSTEMS[db]);
        client.tags.put("db.name", dbName);
        break;
      case 2:
        count(Shape.OTLP_DB_NAME);
        client.name = "SELECT " + dbName;
        client.tags.put("db.name", dbName);
        break;
      case 3:
        count(Shape.OTLP_DB_SYSTEM);
        client.name = "GET";
        client.tags.put("db.system", ServiceTopology.DB_SYSTEMS[db]);
        break;
      case 4:
        count(Shape.OTLP_SERVER_ADDRESS);
        client.name = "GET";
        client.tags.put("server.address", external + ".example.com");
        client.intTags.put("server.port", 443L);
        break;
      case 5:
        count(Shape.OTLP_NET_PEER_NAME);
        client.name = "GET";
        client.tags.put("net.peer.name", external + ".example.com");
        break;
      default:
        count(Shape.OTLP_HTTP_URL);
        client.name = "GET";
        client.tags.put("http.url", "https://" + external + ".example.com/v1/items");
        break;
    }
    client.timestamp = t;
    client.duration = 200 + rnd.nextInt(3000);
    out.add(client);
    return t + client.duration;
  }

  private long publish(List<GeneratedSpan> out, int svc, GeneratedSpan server, long t) {
    GeneratedSpan producer = span(server.traceId, server.id, Kind.PRODUCER, svc);
    String topic = topology.services[svc] + "-events";
    producer.name = topic + " publish";
    producer.tags.put("messaging.system", "kafka");
    producer.tags.put("messaging.destination.name", topic);
    producer.timestamp = t;
    producer.duration = 10 + rnd.nextInt(100);
    out.add(producer);
    boolean fanOut = pick(weight(Shape.OTLP_MESSAGING, 1),
        weight(Shape.OTLP_MESSAGING_FAN_OUT, 1)) == 1;
    count(fanOut ? Shape.OTLP_MESSAGING_FAN_OUT : Shape.OTLP_MESSAGING);
    int first = topology.anyDeeper(svc, rnd);
    int[] consumers = fanOut ? new int[] {first, topology.sibling(first, rnd)} : new int[] {first};
    for (int c : consumers) {
      GeneratedSpan consumer = span(server.traceId, producer.id, Kind.CONSUMER, c);
      consumer.name = topic + " process";
      consumer.tags.put("messaging.system", "kafka");
      consumer.tags.put("messaging.destination.name", topic);
      consumer.timestamp = t + 1000 + rnd.nextInt(50_000);
      consumer.duration = 100 + rnd.nextInt(1000);
      out.add(consumer);
    }
    return t + producer.duration;
  }

  /** HTTP status attributes and span status on HTTP client and server spans. */
  private void httpStatus(GeneratedSpan s) {
    if ((s.kind != Kind.CLIENT && s.kind != Kind.SERVER) || !s.name.startsWith("GET /")) {
      return;
    }
    String key = chance(1.0 / 3) ? "http.status_code" : "http.response.status_code";
    s.tags.put("http.request.method", "GET");
    switch (pick(93, weight(Shape.OTLP_HTTP_4XX_STATUS_UNSET, 1.5)
        + weight(Shape.OTLP_HTTP_4XX_STATUS_ERROR, 1.5),
        weight(Shape.OTLP_HTTP_5XX_STATUS_UNSET, 1.5) + weight(Shape.OTLP_HTTP_5XX_STATUS_ERROR, 1.5),
        weight(Shape.OTLP_STATUS_ERROR_ONLY, 1))) {
      case 1: {
        long code = chance(0.5) ? 404 : 429;
        s.intTags.put(key, code);
        boolean status = pick(weight(Shape.OTLP_HTTP_4XX_STATUS_UNSET, 1),
            weight(Shape.OTLP_HTTP_4XX_STATUS_ERROR, 1)) == 1;
        s.statusError = status ? "HTTP " + code : null;
        count(status ? Shape.OTLP_HTTP_4XX_STATUS_ERROR : Shape.OTLP_HTTP_4XX_STATUS_UNSET);
        break;
      }
      case 2: {
        long code = chance(0.5) ? 500 : 503;
        s.intTags.put(key, code);
        boolean status = pick(weight(Shape.OTLP_HTTP_5XX_STATUS_UNSET, 1),
            weight(Shape.OTLP_HTTP_5XX_STATUS_ERROR, 1)) == 1;
        s.statusError = status ? "HTTP " + code : null;
        count(status ? Shape.OTLP_HTTP_5XX_STATUS_ERROR : Shape.OTLP_HTTP_5XX_STATUS_UNSET);
        break;
      }
      case 3:
        s.intTags.put(key, 200L);
        s.statusError = "deadline exceeded";
        count(Shape.OTLP_STATUS_ERROR_ONLY);
        break;
      default:
        s.intTags.put(key, 200L);
        break;
    }
  }

  private GeneratedSpan span(String traceId, String parentId, Kind kind, int svc) {
    GeneratedSpan s = new GeneratedSpan(traceId, hexId(), parentId, kind, topology.services[svc]);
    s.localIpv4 = ipv4(svc, 0);
    return s;
  }

  @Override
  String render(GeneratedSpan s) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("resourceSpans");
      g.writeStartObject();
      g.writeObjectFieldStart("resource");
      g.writeArrayFieldStart("attributes");
      stringAttribute(g, "service.name", s.localService);
      stringAttribute(g, "host.name", s.localService + "-" + s.localIpv4.replace('.', '-'));
      g.writeEndArray();
      g.writeEndObject();
      g.writeArrayFieldStart("scopeSpans");
      g.writeStartObject();
      g.writeObjectFieldStart("scope");
      g.writeStringField("name", "weft-generator");
      g.writeStringField("version", "1.0.0");
      g.writeEndObject();
      g.writeArrayFieldStart("spans");
      g.writeStartObject();
      g.writeStringField("traceId", s.traceId);
      g.writeStringField("spanId", s.id);
      if (s.parentId != null) {
        g.writeStringField("parentSpanId", s.parentId);
      }
      g.writeStringField("name", s.name);
      g.writeNumberField("kind", otlpKind(s.kind));
      g.writeStringField("startTimeUnixNano", Long.toString(s.timestamp * 1000));
      g.writeStringField("endTimeUnixNano", Long.toString((s.timestamp + s.duration) * 1000));
      g.writeArrayFieldStart("attributes");
      for (Map.Entry<String, String> t : s.tags.entrySet()) {
        stringAttribute(g, t.getKey(), t.getValue());
      }
      for (Map.Entry<String, Long> t : s.intTags.entrySet()) {
        g.writeStartObject();
        g.writeStringField("key", t.getKey());
        g.writeObjectFieldStart("value");
        g.writeStringField("intValue", Long.toString(t.getValue()));
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      if (s.statusError != null) {
        g.writeObjectFieldStart("status");
        g.writeNumberField("code", 2);
        g.writeStringField("message", s.statusError);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static void stringAttribute(JsonGenerator g, String key, String value)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeObjectFieldStart("value");
    g.writeStringField("stringValue", value);
    g.writeEndObject();
    g.writeEndObject();
  }

  /** OTLP's SpanKind numbers: INTERNAL 1, SERVER 2, CLIENT 3, PRODUCER 4, CONSUMER 5. */
  private static int otlpKind(Kind kind) {
    switch (kind) {
      case INTERNAL: return 1;
      case SERVER: return 2;
      case CLIENT: return 3;
      case PRODUCER: return 4;
      default: return 5;
    }
  }
}
