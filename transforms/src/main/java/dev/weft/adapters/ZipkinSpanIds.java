package dev.weft.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.weft.model.EventIds;
import dev.weft.model.SpanKind;
import java.util.Locale;

/**
 * The event id of one Zipkin span record: {@code span:TRACE:SPAN:HALF@ENDPOINT#HASH}.
 *
 * <p>Why so much: in Zipkin one span id names several records that are all real — the client half
 * and the server half of a B3 RPC (the server may or may not carry {@code shared}), the server
 * halves of several hosts answering one client id, and kind-less fragments reported separately
 * (annotations only). Zipkin keeps them apart and merges fragments itself; an id of trace and span
 * alone made every one of them a "duplicate". So the id names the half ({@code client}, {@code
 * server}, {@code server-shared}, {@code producer}, {@code consumer}, {@code nokind}), the local
 * endpoint (service, addresses, port) and ends with a hash of the whole record with its keys in a
 * fixed order. A redelivered record has the same id; any other record of the same span does not.
 */
final class ZipkinSpanIds {
  private static final JsonMapper SORTED = JsonMapper.builder()
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();

  private ZipkinSpanIds() {}

  static String of(JsonNode span, String traceId, String spanId, SpanKind kind, boolean shared) {
    String half = switch (kind) {
      case CLIENT -> "client";
      case SERVER -> shared ? "server-shared" : "server";
      case PRODUCER -> "producer";
      case CONSUMER -> "consumer";
      default -> shared ? "nokind-shared" : "nokind";
    };
    return EventIds.sourceId("span", traceId, spanId, half + "@" + endpoint(span) + "#"
        + contentHash(span));
  }

  private static String endpoint(JsonNode span) {
    JsonNode e = span.get("localEndpoint");
    if (e == null || !e.isObject()) {
      return "";
    }
    return text(e, "serviceName").toLowerCase(Locale.ROOT) + "/" + text(e, "ipv4") + "/"
        + text(e, "ipv6") + "/" + text(e, "port");
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  /** 64 bits of SHA-256 over the record written with sorted keys: stable across key order. */
  private static String contentHash(JsonNode span) {
    String canonical;
    try {
      canonical = SORTED.writeValueAsString(span);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      canonical = span.toString();
    }
    String h = EventIds.contentHash("zipkin", canonical);
    return h.substring(h.length() - 16);
  }
}
