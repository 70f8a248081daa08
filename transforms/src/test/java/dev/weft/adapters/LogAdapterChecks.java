package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;

/** Test helpers shared by the log adapter tests. */
final class LogAdapterChecks {
  static final Instant OBSERVED = Instant.parse("2016-03-01T12:00:00Z");

  private LogAdapterChecks() {}

  static RawRecord raw(String format, String text) {
    return raw(format, text.getBytes(StandardCharsets.UTF_8), OBSERVED);
  }

  static RawRecord raw(String format, byte[] bytes, Instant observed) {
    return new RawRecord(bytes, Origin.file(format, "test-input"), observed);
  }

  /** Every event encodes and decodes to an equal event, and each record is an event or failure. */
  static AdapterResult checked(AdapterResult r) {
    roundTrip(r.events());
    assertThat(r.records(), is(r.events().size() + r.failures().size()));
    return r;
  }

  static void roundTrip(List<Event> events) {
    for (Event e : events) {
      try {
        byte[] bytes = CoderUtils.encodeToByteArray(EventCoder.of(), e);
        assertThat(CoderUtils.decodeFromByteArray(EventCoder.of(), bytes), is(e));
      } catch (CoderException ex) {
        throw new AssertionError("EventCoder failed on " + e, ex);
      }
    }
  }

  /** A 50 MB line of 'x' (no newline) followed by the given suffix. */
  static byte[] hugeLine(String prefix) {
    byte[] b = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(b, (byte) 'x');
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(p, 0, b, 0, p.length);
    return b;
  }
}
