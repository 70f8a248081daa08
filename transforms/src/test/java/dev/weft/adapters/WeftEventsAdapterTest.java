package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.weft.io.EventJson;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.Test;

/**
 * The {@code weft-events} adapter: a line comes back as its event with the original origin, id
 * and times (not the replayed file's); a line that is not an event is one dead letter with the
 * replayed file's line and a reason, and the other lines of the record still become events.
 */
public class WeftEventsAdapterTest {
  private static final Instant OBSERVED = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");
  private static final WeftEventsAdapter ADAPTER = new WeftEventsAdapter();
  private static final Origin SPILL =
      Origin.fileLine("weft-events", "spill/events-1.jsonl", Optional.of(5L), 900L);

  private static Event event(String id) {
    return Event.builder().eventId(id, IdKind.CONTENT_HASH)
        .origin(Origin.fileLine("json-logs", "shop.ndjson", Optional.of(3L), 120L))
        .eventTime(T, TimeQuality.SOURCE).observedTime(T.plusSeconds(60))
        .log(new LogPart(Severity.ERROR, Optional.of(17), Optional.of("error"),
            Optional.of("payment failed"), Optional.empty(), Optional.empty())).build();
  }

  private static AdapterResult parse(String text, Origin origin) {
    return ADAPTER.parse(new RawRecord(text.getBytes(StandardCharsets.UTF_8), origin, OBSERVED));
  }

  @Test
  public void aLineIsTheEventItWasWithItsOriginalOriginIdAndTimes() {
    Event e = event("abc");
    AdapterResult r = parse(EventJson.toJson(e) + "\r\n", SPILL);
    assertThat(r.failures(), is(empty()));
    Event back = r.events().get(0);
    assertThat(back, equalTo(e));
    assertThat(back.origin().resource(), equalTo("shop.ndjson"));
    assertThat(back.format(), equalTo("json-logs"));
    assertThat(back.eventId(), equalTo("abc"));
    assertThat(back.observedTime(), equalTo(T.plusSeconds(60)));
  }

  @Test
  public void malformedLinesAreDeadLettersWithTheReplayedLineAndAReason() {
    String good = EventJson.toJson(event("a"));
    String chunk = good + "\n{\"eventId\":\"b\"\n" + good.replace("\"ERROR\"", "\"LOUD\"")
        + "\n\n" + EventJson.toJson(event("c")) + "\n";
    AdapterResult r = parse(chunk, Origin.message("weft-events", "spill", Optional.of(0),
        Optional.of(10L)));
    assertThat(r.events(), hasSize(2));
    assertThat(r.events().get(1).eventId(), equalTo("c"));
    assertThat(r.failures(), hasSize(2));
    ParseFailure notJson = r.failures().get(0);
    assertThat(notJson.kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(notJson.reason(), containsString("not a Weft event line"));
    assertThat(notJson.origin().line(), equalTo(Optional.of(2L)));
    assertThat(notJson.origin().offset(), equalTo(Optional.of(10L)));
    assertThat(new String(notJson.fragment(), StandardCharsets.UTF_8),
        equalTo("{\"eventId\":\"b\""));
    ParseFailure badEnum = r.failures().get(1);
    assertThat(badEnum.kind(), is(FailureKind.INVALID_VALUE));
    assertThat(badEnum.reason(), containsString("field 'log.severity': 'LOUD' is not one of"));
    assertThat(badEnum.origin().line(), equalTo(Optional.of(3L)));
    assertThat(r.records(), equalTo(4));
  }

  @Test
  public void aMissingFieldIsNamed() {
    String line = EventJson.toJson(event("a")).replace("\"eventTime\":\"2024-05-01T12:00:00Z\",",
        "");
    AdapterResult r = parse(line, SPILL);
    assertThat(r.events(), is(empty()));
    assertThat(r.failures().get(0).kind(), is(FailureKind.MISSING_FIELD));
    assertThat(r.failures().get(0).reason(), containsString("field 'eventTime'"));
    assertThat(r.failures().get(0).origin(), equalTo(SPILL));
  }

  @Test
  public void anImplausibleEventTimeIsRefusedAsFromAnyOtherSource() {
    String line = EventJson.toJson(event("a").toBuilder()
        .eventTime(Instant.parse("+99999-01-01T00:00:00Z"), TimeQuality.SOURCE).build());
    AdapterResult r = parse(line, SPILL);
    assertThat(r.events(), is(empty()));
    assertThat(r.failures().get(0).kind(), is(FailureKind.INVALID_VALUE));
    assertThat(r.failures().get(0).reason(), containsString("plausible range"));
  }

  @Test
  public void badBytesAndEmptyRecordsAreDeadLetters() {
    byte[] bad = {'{', (byte) 0xc3, '}'};
    AdapterResult r = ADAPTER.parse(new RawRecord(bad, SPILL, OBSERVED));
    assertThat(r.failures().get(0).kind(), is(FailureKind.INVALID_ENCODING));
    AdapterResult empty = parse(" \n", SPILL);
    assertThat(empty.failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    AdapterResult large = new WeftEventsAdapter(10).parse(new RawRecord(
        EventJson.toJson(event("a")).getBytes(StandardCharsets.UTF_8), SPILL, OBSERVED));
    assertThat(large.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
  }
}
