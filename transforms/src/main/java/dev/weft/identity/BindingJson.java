package dev.weft.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.model.Binding;
import dev.weft.model.Decision;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON rendering of a {@link Binding}, one object per line in {@code bindings-*.jsonl}: fixed
 * field order, sorted signals, absent values omitted, so the same decision always renders to the
 * same bytes. {@link #fromJson} reads it back for the {@code explain} command.
 */
public final class BindingJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private BindingJson() {}

  public static String toJson(Binding b) {
    try {
      return MAPPER.writeValueAsString(toNode(b));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode toNode(Binding b) {
    ObjectNode n = F.objectNode();
    n.put("eventId", b.eventId());
    n.put("eventTime", b.eventTime().toString());
    n.put("entityType", b.entityType());
    n.put("entityId", b.entityId());
    n.put("decision", b.decision().name());
    b.rule().ifPresent(r -> n.put("rule", r));
    ObjectNode signals = n.putObject("signals");
    b.signals().forEach(signals::put);
    n.put("confidence", b.confidence());
    if (!b.candidates().isEmpty()) {
      ArrayNode c = n.putArray("candidates");
      b.candidates().forEach(c::add);
    }
    b.reason().ifPresent(r -> n.put("reason", r));
    n.put("revision", b.revision());
    return n;
  }

  /** Reads one line of {@code bindings-*.jsonl}; a malformed line throws with what is wrong. */
  public static Binding fromJson(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON binding: " + e.getOriginalMessage());
    }
    SortedMap<String, String> signals = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = required(n, "signals").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      signals.put(f.getKey(), f.getValue().asText());
    }
    List<String> candidates = new ArrayList<>();
    if (n.has("candidates")) {
      n.get("candidates").forEach(c -> candidates.add(c.asText()));
    }
    return new Binding(required(n, "eventId").asText(),
        Instant.parse(required(n, "eventTime").asText()), required(n, "entityType").asText(),
        required(n, "entityId").asText(), Decision.valueOf(required(n, "decision").asText()),
        Optional.ofNullable(n.get("rule")).map(JsonNode::asText), signals,
        required(n, "confidence").asDouble(), candidates,
        Optional.ofNullable(n.get("reason")).map(JsonNode::asText),
        required(n, "revision").asInt());
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("binding without '" + field + "'");
    }
    return v;
  }
}
