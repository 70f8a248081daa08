package dev.weft.pipelines.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One span before it is written, in terms both wire formats can express. Mutable while a trace is
 * being built (a server's duration is known only after its calls), then rendered once.
 */
final class GeneratedSpan {
  /** Zipkin kinds; OTLP adds INTERNAL. {@code null}: a Zipkin span without kind. */
  enum Kind { CLIENT, SERVER, PRODUCER, CONSUMER, INTERNAL }

  String traceId;
  String id;
  String parentId;
  Kind kind;
  String name;
  /** Event time in epoch micros; always set, even when not written, for the arrival order. */
  long timestamp;
  long duration;
  /** Written without {@code timestamp} and {@code duration} (a late-reported half, a fragment). */
  boolean omitTime;
  String localService;
  String localIpv4;
  String remoteService;
  String remoteIpv4;
  int remotePort;
  /** Zipkin's {@code shared} flag: the server half of an RPC whose client half has the same id. */
  boolean shared;
  /** Zipkin's failure convention: an {@code error} tag with this value (null: no tag). */
  String errorTag;
  /** OTLP span status ERROR with this message (null: status unset). */
  String statusError;
  final Map<String, String> tags = new LinkedHashMap<>();
  /** OTLP attributes written as {@code intValue}. */
  final Map<String, Long> intTags = new LinkedHashMap<>();
  final List<Annotation> annotations = new ArrayList<>();

  /** A Zipkin annotation (an OTLP span event). */
  record Annotation(long micros, String value) {}

  GeneratedSpan(String traceId, String id, String parentId, Kind kind, String localService) {
    this.traceId = traceId;
    this.id = id;
    this.parentId = parentId;
    this.kind = kind;
    this.localService = localService;
  }

  void annotate(long micros, String value) {
    annotations.add(new Annotation(micros, value));
  }
}
