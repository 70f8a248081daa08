package dev.weft.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.model.Binding;
import dev.weft.model.Decision;
import dev.weft.model.OutputJson;
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

  private BindingJson() {}

  public static String toJson(Binding b) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("eventId", b.eventId());
      OutputJson.instant(g, "eventTime", b.eventTime());
      g.writeStringField("entityType", b.entityType());
      g.writeStringField("entityId", b.entityId());
      g.writeStringField("decision", b.decision().name());
      OutputJson.optString(g, "rule", b.rule());
      OutputJson.stringMap(g, "signals", b.signals());
      g.writeNumberField("confidence", b.confidence());
      if (!b.candidates().isEmpty()) {
        g.writeArrayFieldStart("candidates");
        for (String c : b.candidates()) {
          g.writeString(c);
        }
        g.writeEndArray();
      }
      OutputJson.optString(g, "reason", b.reason());
      g.writeNumberField("revision", b.revision());
      g.writeEndObject();
    });
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
