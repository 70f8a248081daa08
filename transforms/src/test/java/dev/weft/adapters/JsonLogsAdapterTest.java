package dev.weft.adapters;

import dev.weft.model.Framing;
import static dev.weft.adapters.LogAdapterChecks.OBSERVED;
import static dev.weft.adapters.LogAdapterChecks.checked;
import static dev.weft.adapters.LogAdapterChecks.raw;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertThrows;

import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.LogPart;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

public class JsonLogsAdapterTest {
  private final JsonLogsAdapter adapter = new JsonLogsAdapter();

  private AdapterResult parse(String text) {
    return checked(adapter.parse(raw("json-logs", text)));
  }

  private Event single(String line) {
    AdapterResult r = parse(line);
    assertThat(r.failures().toString(), r.failures(), is(empty()));
    assertThat(r.events(), hasSize(1));
    return r.events().get(0);
  }

  private ParseFailure failure(String line) {
    AdapterResult r = parse(line);
    assertThat(r.events(), is(empty()));
    assertThat(r.failures(), hasSize(1));
    return r.failures().get(0);
  }

  @Test
  public void logbackStyleLineMapsAliasesSignalsAndFlattensTheRest() {
    Event e = single("{\"@timestamp\":\"2024-05-01T10:15:30.123+02:00\",\"level\":\"WARN\","
        + "\"message\":\"disk almost full\",\"service\":\"billing\",\"host\":{\"name\":\"db-1\"},"
        + "\"trace_id\":\"4BF92F3577B34DA6A3CE929D0E0E4736\",\"span_id\":\"00f067aa0ba902b7\","
        + "\"http\":{\"status\":507,\"retry\":true},\"tags\":[\"a\",\"b\"],\"nothing\":null,"
        + "\"pod\":\"billing-7d4\",\"namespace\":\"prod\",\"pid\":4242}");
    assertThat(e.eventTime(), is(Instant.parse("2024-05-01T08:15:30.123Z")));
    assertThat(e.timeQuality(), is(TimeQuality.SOURCE));
    assertThat(e.signals(), is(Map.of("service.name", "billing", "host.name", "db-1",
        "k8s.pod.name", "billing-7d4", "k8s.namespace.name", "prod", "process.pid", "4242")));
    assertThat(e.attributes(), is(Map.of("http.status", "507", "http.retry", "true",
        "tags", "[\"a\",\"b\"]")));
    LogPart log = e.log().orElseThrow();
    assertThat(log.severity(), is(Severity.WARN));
    assertThat(log.severityNumber(), is(Optional.of(13)));
    assertThat(log.severityText(), is(Optional.of("WARN")));
    assertThat(log.body(), is(Optional.of("disk almost full")));
    assertThat(log.traceId(), is(Optional.of("4bf92f3577b34da6a3ce929d0e0e4736")));
    assertThat(log.spanId(), is(Optional.of("00f067aa0ba902b7")));
    assertThat(e.eventId(), startsWith("json-logs:h:"));
  }

  @Test
  public void epochNumbersAreReadByMagnitude() {
    Instant t = Instant.parse("2023-11-14T22:13:20Z");
    assertThat(single("{\"ts\":1700000000,\"msg\":\"s\"}").eventTime(), is(t));
    assertThat(single("{\"ts\":1700000000.25,\"msg\":\"s\"}").eventTime(),
        is(t.plusMillis(250)));
    assertThat(single("{\"ts\":1700000000123,\"msg\":\"ms\"}").eventTime(),
        is(t.plusMillis(123)));
    assertThat(single("{\"ts\":1700000000123456,\"msg\":\"us\"}").eventTime(),
        is(t.plusNanos(123_456_000)));
    assertThat(single("{\"ts\":1700000000123456789,\"msg\":\"ns\"}").eventTime(),
        is(t.plusNanos(123_456_789)));
    assertThat(single("{\"ts\":\"1700000000123\",\"msg\":\"ms as text\"}").eventTime(),
        is(t.plusMillis(123)));
  }

  @Test
  public void isoTimesWithAndWithoutZoneAndFraction() {
    assertThat(single("{\"time\":\"2024-05-01T10:15:30Z\"}").eventTime(),
        is(Instant.parse("2024-05-01T10:15:30Z")));
    assertThat(single("{\"time\":\"2024-05-01T10:15:30.123456789-0500\"}").eventTime(),
        is(Instant.parse("2024-05-01T15:15:30.123456789Z")));
    Event noZone = single("{\"time\":\"2015-07-29 17:41:44,747\"}");
    assertThat(noZone.eventTime(), is(Instant.parse("2015-07-29T17:41:44.747Z")));
    assertThat(noZone.timeQuality(), is(TimeQuality.DERIVED));
    assertThat(single("{\"date\":\"2024-05-01\"}").eventTime(),
        is(Instant.parse("2024-05-01T00:00:00Z")));
  }

  @Test
  public void missingTimeFallsBackToTheObservedTimeAndKeepsAStableId() {
    Event a = single("{\"msg\":\"no time here\",\"level\":\"info\"}");
    assertThat(a.eventTime(), is(OBSERVED));
    assertThat(a.timeQuality(), is(TimeQuality.FALLBACK));
    Event b = checked(adapter.parse(raw("json-logs",
        "{\"msg\":\"no time here\",\"level\":\"info\"}".getBytes(StandardCharsets.UTF_8),
        OBSERVED.plusSeconds(3600)))).events().get(0);
    assertThat(b.eventId(), is(a.eventId()));
  }

  @Test
  public void severityWordsAndNumbers() {
    assertThat(single("{\"level\":30}").log().orElseThrow().severity(), is(Severity.INFO));
    assertThat(single("{\"level\":50}").log().orElseThrow().severity(), is(Severity.ERROR));
    assertThat(single("{\"severity\":\"CRITICAL\"}").log().orElseThrow().severity(),
        is(Severity.FATAL));
    assertThat(single("{\"log\":{\"level\":\"debug\"}}").log().orElseThrow().severity(),
        is(Severity.DEBUG));
    LogPart odd = single("{\"level\":\"chatty\"}").log().orElseThrow();
    assertThat(odd.severity(), is(Severity.UNKNOWN));
    assertThat(odd.severityText(), is(Optional.of("chatty")));
    assertThat(odd.severityNumber(), is(Optional.empty()));
    assertThat(single("{\"x\":1}").log().orElseThrow().severity(), is(Severity.UNSPECIFIED));
  }

  @Test
  public void malformedIdsStayAttributesAndIpHostsAreHostIp() {
    Event e = single("{\"trace_id\":\"not-hex\",\"hostname\":\"10.0.0.7\",\"msg\":{\"k\":1}}");
    assertThat(e.log().orElseThrow().traceId(), is(Optional.empty()));
    assertThat(e.attributes(), hasEntry("trace_id", "not-hex"));
    assertThat(e.signals(), is(Map.of("host.ip", "10.0.0.7")));
    assertThat(e.log().orElseThrow().body(), is(Optional.of("{\"k\":1}")));
  }

  @Test
  public void aliasesComeFromYamlAndOtherRolesKeepTheirDefaults() {
    JsonLogFields f = JsonLogFields.load(new ByteArrayInputStream(
        "time: [when]\nmessage: [text_of_it]\nsignals:\n  service.name: [svc]\n"
            .getBytes(StandardCharsets.UTF_8)), "aliases.yaml");
    JsonLogsAdapter custom = SerializableUtils.ensureSerializable(new JsonLogsAdapter(f));
    Event e = checked(custom.parse(raw("json-logs", "{\"when\":\"2024-01-01T00:00:00Z\","
        + "\"text_of_it\":\"hi\",\"svc\":\"api\",\"service\":\"other\",\"level\":\"error\"}")))
        .events().get(0);
    assertThat(e.eventTime(), is(Instant.parse("2024-01-01T00:00:00Z")));
    assertThat(e.log().orElseThrow().body(), is(Optional.of("hi")));
    assertThat(e.signals(), is(Map.of("service.name", "api")));
    assertThat(e.attributes(), is(Map.of("service", "other")));
    assertThat(e.log().orElseThrow().severity(), is(Severity.ERROR));

    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> JsonLogFields.load(new ByteArrayInputStream("tme: [x]".getBytes(
            StandardCharsets.UTF_8)), "aliases.yaml"));
    assertThat(typo.getMessage(), containsString("aliases.yaml: line 1: unknown key 'tme'"));
  }

  /** A mistake in an alias file names its line and, for a typo, the key that was meant. */
  @Test
  public void aliasFileErrorsNameTheLineAndTheNearestKey() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> JsonLogFields.load(new ByteArrayInputStream(
            "time: [when]\nmessage: [text]\nseverty: [lvl]\n".getBytes(StandardCharsets.UTF_8)),
            "aliases.yaml"));
    assertThat(typo.getMessage(), containsString(
        "aliases.yaml: line 3: unknown key 'severty'; did you mean 'severity'?"));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> JsonLogFields.load(new ByteArrayInputStream(
            "time: [when]\nsignals:\n  service.name: [svc, 7]\n".getBytes(
                StandardCharsets.UTF_8)), "aliases.yaml"));
    assertThat(wrong.getMessage(), containsString(
        "aliases.yaml: line 3: 'signals.service.name' must list key names, found 7"));
  }

  @Test
  public void manyLinesInOneRecordEachGetTheirLine() {
    AdapterResult r = parse("{\"msg\":\"a\"}\n\n[1,2]\r\n{\"msg\":\"c\"}");
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).origin().line(), is(Optional.of(3L)));
    assertThat(r.events().get(1).origin().line(), is(Optional.of(4L)));
  }

  @Test
  public void wrongTypesAreWrongType() {
    ParseFailure array = failure("[{\"msg\":\"x\"}]");
    assertThat(array.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(array.reason(), is("the JSON log line is a array, expected one JSON object per"
        + " line"));
    assertThat(failure("42").kind(), is(FailureKind.WRONG_TYPE));
    assertThat(failure("\"just a string\"").kind(), is(FailureKind.WRONG_TYPE));
    ParseFailure boolTime = failure("{\"time\":true}");
    assertThat(boolTime.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(boolTime.reason(), containsString("field 'time' holds a boolean"));
  }

  @Test
  public void unreadableTimeIsInvalidValueNotASilentFallback() {
    ParseFailure f = failure("{\"timestamp\":\"yesterday\",\"msg\":\"x\"}");
    assertThat(f.kind(), is(FailureKind.INVALID_VALUE));
    assertThat(f.reason(), containsString("field 'timestamp': time 'yesterday' is neither"));
  }

  @Test
  public void truncatedAndTrailingGarbageAreMalformed() {
    ParseFailure cut = failure("{\"msg\":\"trunc");
    assertThat(cut.kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(cut.reason(), startsWith("the JSON log line is not well-formed JSON"));
    assertThat(failure("{\"msg\":\"a\"} trailing").kind(), is(FailureKind.MALFORMED_SYNTAX));
  }

  @Test
  public void invalidUtf8IsInvalidEncoding() {
    byte[] b = "{\"msg\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    b[12] = (byte) '(';
    AdapterResult r = checked(adapter.parse(raw("json-logs", b, OBSERVED)));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(r.failures().get(0).reason(), containsString("bad byte 0xc3 at byte 11"));
  }

  @Test
  public void emptyInputAndAFiftyMegabyteLine() {
    assertThat(failure("").kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(failure(" \r\n").kind(), is(FailureKind.EMPTY_INPUT));
    AdapterResult r = checked(adapter.parse(raw("json-logs",
        LogAdapterChecks.hugeLine("{\"msg\":\""), OBSERVED)));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
    assertThat(r.failures().get(0).reason(), containsString("52428800 bytes"));
  }

  @Test
  public void sameContentSameIdOtherwiseDifferent() {
    String line = "{\"ts\":1700000000,\"msg\":\"x\",\"user\":\"u1\"}";
    assertThat(single(line).eventId(), is(single(line).eventId()));
    assertThat(single(line).eventId(),
        not(is(single(line.replace("u1", "u2")).eventId())));
  }

  @Test
  public void dockerJsonFileLines() {
    Event e = single("{\"log\":\"GET /health 200\\n\",\"stream\":\"stdout\","
        + "\"time\":\"2019-03-29T11:46:09.913357473Z\"}");
    assertThat(e.log().orElseThrow().body(), is(Optional.of("GET /health 200")));
    assertThat(e.eventTime(), is(Instant.parse("2019-03-29T11:46:09.913357473Z")));
    assertThat(e.attributes(), is(Map.of("stream", "stdout")));
  }

  @Test
  public void formatAndFraming() {
    assertThat(adapter.format(), is("json-logs"));
    assertThat(adapter.fileFraming(), is(Framing.LINES));
    assertThat(single("{\"msg\":\"x\"}").attributes(), allOf(is(Map.of())));
  }
}
