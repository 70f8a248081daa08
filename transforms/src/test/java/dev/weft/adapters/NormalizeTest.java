package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/** Normalize routes every record to exactly one place and counts it. */
public class NormalizeTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** A toy format: each comma-separated token "name@epochSeconds" is an event; "boom" throws. */
  static final class TokenAdapter implements SourceAdapter {
    @Override
    public String format() {
      return "tokens";
    }

    @Override
    public Framing fileFraming() {
      return Framing.LINES;
    }

    @Override
    public AdapterResult parse(RawRecord raw) {
      String text = new String(raw.payload(), StandardCharsets.UTF_8);
      if (text.equals("boom")) {
        throw new IllegalStateException("kaboom");
      }
      AdapterResult r = new AdapterResult();
      String[] tokens = text.split(",");
      for (int i = 0; i < tokens.length; i++) {
        String[] parts = tokens[i].split("@");
        if (parts.length != 2) {
          r.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "token " + i + " has no @",
              raw.origin().at("/" + i)));
          continue;
        }
        r.add(Event.builder().eventId(EventIds.contentHash("tokens", tokens[i]), IdKind.CONTENT_HASH)
            .origin(raw.origin().at("/" + i))
            .eventTime(Instant.ofEpochSecond(Long.parseLong(parts[1])), TimeQuality.SOURCE)
            .observedTime(raw.observedTime()).signal("service.name", parts[0]).build());
      }
      return r;
    }
  }

  private static RawRecord raw(String text) {
    return new RawRecord(text.getBytes(StandardCharsets.UTF_8), Origin.file("tokens", "t.txt"),
        Instant.EPOCH);
  }

  @Test
  public void everyRecordEndsAsOneEventOrOneDeadLetter() {
    RawRecord oversize = new RawRecord("abc".getBytes(StandardCharsets.UTF_8),
        Origin.file("tokens", "big.txt"), Instant.EPOCH, 50_000_000L);
    PCollection<RawRecord> in = p.apply(Create.of(raw("a@10,b@20,broken"), raw("boom"), oversize,
        raw("c@30")));
    PCollectionTuple out = in.apply(new Normalize(new TokenAdapter(), "t", 64));
    PAssert.that(out.get(Normalize.EVENTS).apply("names", MapElements
        .into(TypeDescriptors.strings()).via(e -> e.signals().get("service.name"))))
        .containsInAnyOrder("a", "b", "c");
    PAssert.that(out.get(Normalize.DEAD_LETTERS).apply("kinds", MapElements
        .into(TypeDescriptors.strings()).via(d -> d.errorClass() + " " + d.origin().describe())))
        .containsInAnyOrder("MALFORMED_SYNTAX t.txt#/2", "ADAPTER_BUG t.txt", "TOO_LARGE big.txt");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "units"), equalTo(4L));
    assertThat(counter(result, "read"), equalTo(6L));
    assertThat(counter(result, "normalized"), equalTo(3L));
    assertThat(counter(result, "deadLettered"), equalTo(3L));
  }

  @Test
  public void eventsAreTimestampedWithTheirEventTime() {
    PCollection<Event> events = p.apply(Create.of(raw("a@1000"))).apply(
        new Normalize(new TokenAdapter(), "t", 64)).get(Normalize.EVENTS);
    PAssert.that(events.apply(org.apache.beam.sdk.transforms.Reify.timestamps())
        .apply(MapElements.into(TypeDescriptors.longs()).via(tv -> tv.getTimestamp().getMillis())))
        .containsInAnyOrder(1_000_000L);
    p.run();
  }

  @Test
  public void deadLettersKeepABoundedPayloadAndSaySo() {
    DeadLetter d = DeadLetters.of("x", FailureKind.MALFORMED_SYNTAX, "bad",
        Origin.file("x", "f"), "héllo wörld".getBytes(StandardCharsets.UTF_8), 12, Instant.EPOCH,
        2);
    // 'h' + first byte of 'é' would be invalid UTF-8: the cut moves back to a character boundary.
    assertThat(d.payload(), equalTo("h"));
    assertThat(d.truncated(), is(true));
    assertThat(d.payloadEncoding(), equalTo("utf-8"));
    DeadLetter bin = DeadLetters.of("x", FailureKind.INVALID_ENCODING, "bad",
        Origin.file("x", "f"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'}, 3, Instant.EPOCH, 100);
    assertThat(bin.payloadEncoding(), equalTo("base64"));
    assertThat(bin.payload(), equalTo("//5h"));
    assertThat(bin.truncated(), is(false));
  }

  @Test
  public void utf8ErrorsNameTheOffset() {
    try {
      Utf8.decode(new byte[] {'o', 'k', (byte) 0xc3, '('});
    } catch (RecordRejected e) {
      assertThat(e.kind(), equalTo(FailureKind.INVALID_ENCODING));
      assertThat(e.getMessage(), containsString("offset 2"));
      return;
    }
    throw new AssertionError("invalid UTF-8 was accepted");
  }

  private static long counter(PipelineResult r, String name) {
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(Normalize.counterNamespace("t"), name)).build())
        .getCounters()) {
      return c.getCommitted();
    }
    return 0;
  }
}
