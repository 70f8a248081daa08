package dev.weft.pipelines.generate;

/**
 * The trace shapes the generator writes, each counted in the generator's report. The Zipkin shapes
 * are those Zipkin instrumentation emits and {@code DependencyLinker} links; the OTLP shapes those
 * the OpenTelemetry collector's servicegraph connector distinguishes.
 */
public enum Shape {
  // Zipkin v2
  ZIPKIN_ROOT_SERVER("trace root: a SERVER span without parent (no caller, or an ipv4-only caller)"),
  ZIPKIN_ROOT_NAMED_CALLER("trace root SERVER span whose remoteEndpoint names the caller service"),
  ZIPKIN_SHARED_FLAGGED("B3 shared id: CLIENT + SERVER with one traceId/id/parentId, server has shared:true"),
  ZIPKIN_SHARED_UNFLAGGED("B3 shared id: CLIENT + SERVER with one traceId/id/parentId, no shared flag"),
  ZIPKIN_KINDLESS_FRAGMENT("shared id plus a kind-less fragment (annotations only, no timestamp) of one half"),
  ZIPKIN_CHILD_SPAN_IDS("CLIENT span, SERVER span as its child (own id, parentId = client id)"),
  ZIPKIN_MULTI_HOST_SERVER("one CLIENT, 2-3 SERVER spans sharing its id from different hosts (same or other service)"),
  ZIPKIN_SERVER_TO_SERVER("SERVER span whose parent is the SERVER span of the calling service"),
  ZIPKIN_LOCAL_BETWEEN("local span (no kind, no remote) between a server and its client span"),
  ZIPKIN_UNINSTRUMENTED_REMOTE("CLIENT with remoteEndpoint.serviceName (a database) and no server half"),
  ZIPKIN_CLIENT_UNKNOWN_PEER("CLIENT without remoteEndpoint and without server half (nothing to link)"),
  ZIPKIN_MESSAGING("PRODUCER -> broker (remoteEndpoint kafka/rabbitmq) -> one CONSUMER"),
  ZIPKIN_MESSAGING_FAN_OUT("PRODUCER -> broker -> two CONSUMERs in two services"),
  ZIPKIN_ERROR_CLIENT("error tag on a CLIENT span"),
  ZIPKIN_ERROR_SERVER("error tag on a SERVER span"),
  ZIPKIN_NO_TIMESTAMP("SERVER half written without timestamp and duration"),
  // OTLP
  OTLP_ROOT_SERVER("root SERVER span (no parent)"),
  OTLP_CLIENT_SERVER("CLIENT span and SERVER span paired by parentSpanId"),
  OTLP_INTERNAL_BETWEEN("INTERNAL span between a server and its client span"),
  OTLP_PEER_SERVICE("CLIENT without server half, only peer.service"),
  OTLP_DB_NAME_AND_SYSTEM("CLIENT without server half, db.system + db.name"),
  OTLP_DB_NAME("CLIENT without server half, only db.name"),
  OTLP_DB_SYSTEM("CLIENT without server half, only db.system"),
  OTLP_SERVER_ADDRESS("CLIENT without server half, only server.address (+ server.port)"),
  OTLP_NET_PEER_NAME("CLIENT without server half, only net.peer.name"),
  OTLP_HTTP_URL("CLIENT without server half, only http.url"),
  OTLP_MESSAGING("PRODUCER -> CONSUMER by parentSpanId (messaging.system kafka)"),
  OTLP_MESSAGING_FAN_OUT("PRODUCER -> two CONSUMERs"),
  OTLP_HTTP_4XX_STATUS_UNSET("HTTP status 4xx, span status unset"),
  OTLP_HTTP_4XX_STATUS_ERROR("HTTP status 4xx, span status ERROR"),
  OTLP_HTTP_5XX_STATUS_UNSET("HTTP status 5xx, span status unset"),
  OTLP_HTTP_5XX_STATUS_ERROR("HTTP status 5xx, span status ERROR"),
  OTLP_STATUS_ERROR_ONLY("span status ERROR without an HTTP status code");

  private final String description;

  Shape(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
