package dev.weft.io;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.model.DeadLetter;

/** The JSON rendering of a {@link DeadLetter}, one object per line in {@code deadletters-*.jsonl}. */
public final class DeadLetterJson {
  private DeadLetterJson() {}

  public static String toJson(DeadLetter d) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("adapter", d.adapter());
    n.put("errorClass", d.errorClass().name());
    n.put("reason", d.reason());
    n.set("origin", EventJson.origin(d.origin()));
    n.put("where", d.origin().describe());
    n.put("observedTime", d.observedTime().toString());
    n.put("rawSize", d.rawSize());
    n.put("truncated", d.truncated());
    n.put("payloadEncoding", d.payloadEncoding());
    n.put("payload", d.payload());
    return EventJson.write(n);
  }
}
