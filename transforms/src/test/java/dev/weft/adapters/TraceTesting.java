package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Origin;
import dev.weft.testing.RealData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.util.CoderUtils;

/** Shared fixtures for the trace adapter tests. */
final class TraceTesting {
  private TraceTesting() {}

  /** A fixed read time, far from every sample's event time, so a FALLBACK time is recognisable. */
  static final Instant OBSERVED = Instant.parse("2030-01-01T00:00:00Z");

  /** The tests' own JSON reader, independent of the adapters' code, for counting records. */
  static final ObjectMapper TREE = new ObjectMapper();

  static RawRecord raw(String format, String resource, byte[] bytes) {
    return new RawRecord(bytes, Origin.file(format, resource), OBSERVED);
  }

  static RawRecord raw(String format, String json) {
    return raw(format, "inline.json", json.getBytes(StandardCharsets.UTF_8));
  }

  static RawRecord real(String format, String relative) {
    return raw(format, relative, RealData.bytes(relative));
  }

  static JsonNode tree(String relative) {
    try {
      return TREE.readTree(RealData.bytes(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event survives its coder unchanged. */
  static void assertRoundTrips(List<Event> events) {
    for (Event e : events) {
      try {
        byte[] bytes = CoderUtils.encodeToByteArray(EventCoder.of(), e);
        assertThat(CoderUtils.decodeFromByteArray(EventCoder.of(), bytes), equalTo(e));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  static Set<String> ids(List<Event> events) {
    return events.stream().map(Event::eventId).collect(Collectors.toCollection(HashSet::new));
  }

  static Event bySpanId(List<Event> events, String spanId) {
    List<Event> found = events.stream()
        .filter(e -> e.span().orElseThrow().spanId().equals(spanId))
        .collect(Collectors.toList());
    assertThat("events with span id " + spanId, found.size(), equalTo(1));
    return found.get(0);
  }
}
