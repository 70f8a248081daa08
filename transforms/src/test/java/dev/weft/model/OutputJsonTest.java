package dev.weft.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.Test;

/**
 * {@link OutputJson} keeps one generator per thread between records: each rendering must still be
 * exactly its own record, after a body that failed half-way and when a body renders another record
 * inside it; and the shared field writers omit what is absent.
 */
public class OutputJsonTest {
  private static String record(String id) {
    return OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeEndObject();
    });
  }

  @Test
  public void consecutiveRecordsAreRenderedAlone() {
    assertThat(record("a"), equalTo("{\"id\":\"a\"}"));
    assertThat(record("b"), equalTo("{\"id\":\"b\"}"));
  }

  @Test
  public void aBodyThatFailsHalfWayLeavesNothingBehind() {
    assertThrows(IllegalStateException.class, () -> OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("half", "written");
      throw new IllegalStateException("a renderer's bug");
    }));
    assertThat(record("next"), equalTo("{\"id\":\"next\"}"));
  }

  @Test
  public void aBodyThatLeavesItsRecordOpenIsRefused() {
    assertThrows(IllegalStateException.class, () -> OutputJson.render(g -> {
      g.writeStartObject();
      g.writeStringField("never", "closed");
    }));
    assertThat(record("next"), equalTo("{\"id\":\"next\"}"));
  }

  @Test
  public void aRecordRenderedInsideAnotherIsRenderedAlone() {
    String[] inner = new String[1];
    String outer = OutputJson.render(g -> {
      g.writeStartObject();
      inner[0] = record("inner");
      g.writeStringField("id", "outer");
      g.writeEndObject();
    });
    assertThat(inner[0], equalTo("{\"id\":\"inner\"}"));
    assertThat(outer, equalTo("{\"id\":\"outer\"}"));
    assertThat(record("after"), equalTo("{\"id\":\"after\"}"));
  }

  @Test
  public void absentOptionalsAreOmittedAndMapsKeepTheirOrder() {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("b", "2");
    m.put("a", "1");
    String line = OutputJson.render(g -> {
      g.writeStartObject();
      OutputJson.optString(g, "s", Optional.empty());
      OutputJson.optLong(g, "l", Optional.of(-5L));
      OutputJson.optInt(g, "i", Optional.empty());
      OutputJson.optInstant(g, "t", Optional.of(Instant.parse("2024-01-01T00:00:00.5Z")));
      OutputJson.stringMap(g, "m", m);
      OutputJson.longMap(g, "c", new TreeMap<>());
      g.writeEndObject();
    });
    assertThat(line, equalTo(
        "{\"l\":-5,\"t\":\"2024-01-01T00:00:00.500Z\",\"m\":{\"a\":\"1\",\"b\":\"2\"},\"c\":{}}"));
  }
}
