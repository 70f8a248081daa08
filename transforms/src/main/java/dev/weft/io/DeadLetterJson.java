package dev.weft.io;

import dev.weft.model.DeadLetter;
import dev.weft.model.OutputJson;

/** The JSON rendering of a {@link DeadLetter}, one object per line in {@code deadletters-*.jsonl}. */
public final class DeadLetterJson {
  private DeadLetterJson() {}

  public static String toJson(DeadLetter d) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("adapter", d.adapter());
      g.writeStringField("errorClass", d.errorClass().name());
      g.writeStringField("reason", d.reason());
      g.writeFieldName("origin");
      EventJson.origin(g, d.origin());
      g.writeStringField("where", d.origin().describe());
      OutputJson.instant(g, "observedTime", d.observedTime());
      g.writeNumberField("rawSize", d.rawSize());
      g.writeBooleanField("truncated", d.truncated());
      g.writeStringField("payloadEncoding", d.payloadEncoding());
      g.writeStringField("payload", d.payload());
      g.writeEndObject();
    });
  }
}
