package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import static dev.weft.adapters.LogAdapterChecks.OBSERVED;
import static dev.weft.adapters.LogAdapterChecks.checked;
import static dev.weft.adapters.LogAdapterChecks.raw;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

public class SyslogAdapterTest {
  private final SyslogAdapter adapter = new SyslogAdapter();

  private AdapterResult parse(byte[] bytes, Instant observed) {
    return checked(adapter.parse(raw("syslog", bytes, observed)));
  }

  private AdapterResult parse(String text) {
    return checked(adapter.parse(raw("syslog", text)));
  }

  private Event single(AdapterResult r) {
    assertThat(r.failures().toString(), r.failures(), is(empty()));
    assertThat(r.events(), hasSize(1));
    return r.events().get(0);
  }

  private ParseFailure singleFailure(AdapterResult r) {
    assertThat(r.events(), is(empty()));
    assertThat(r.failures(), hasSize(1));
    return r.failures().get(0);
  }

  @Test
  public void rfc5424SampleParsesToTheDocumentedFields() {
    Event e = single(parse(RealData.bytes("syslog/RFC5424"), OBSERVED));

    assertThat(e.kind(), is(EventKind.LOG));
    assertThat(e.format(), is("syslog"));
    assertThat(e.eventTime(), is(Instant.parse("2015-08-05T21:58:59.693Z")));
    assertThat(e.timeQuality(), is(TimeQuality.SOURCE));
    assertThat(e.observedTime(), is(OBSERVED));
    assertThat(e.idKind(), is(IdKind.CONTENT_HASH));
    assertThat(e.eventId(), startsWith("syslog:h:"));
    assertThat(e.signals(), is(Map.of("host.ip", "192.168.2.132", "service.name", "SecureAuth0",
        "process.pid", "23108")));
    assertThat(e.attributes(), allOf(
        hasEntry("syslog.facility", "10"),
        hasEntry("syslog.severity", "6"),
        hasEntry("syslog.msgid", "ID52020"),
        hasEntry("syslog.protocol", "rfc5424"),
        hasEntry("syslog.sd.SecureAuth@27389.UserHostAddress", "192.168.2.132"),
        hasEntry("syslog.sd.SecureAuth@27389.Realm", "SecureAuth0"),
        hasEntry("syslog.sd.SecureAuth@27389.UserID", "Tester2"),
        hasEntry("syslog.sd.SecureAuth@27389.PEN", "27389")));
    assertThat(e.attributes(), aMapWithSize(8));
    LogPart log = e.log().orElseThrow();
    assertThat(log.severity(), is(Severity.INFO));
    assertThat(log.severityNumber(), is(Optional.of(9)));
    assertThat(log.severityText(), is(Optional.of("info")));
    assertThat(log.body(), is(Optional.of("Found the user for retrieving user's profile")));
    assertThat(e.origin().pointer(), is(Optional.of("/0")));
  }

  @Test
  public void priorityWithAnotherSeverityMapsToItsOwnLevel() {
    Event e = single(parse(RealData.bytes("syslog/rfc5424-skip-pri-present"), OBSERVED));
    // 123 = facility 15 * 8 + severity 3 (err).
    assertThat(e.attributes(), allOf(hasEntry("syslog.facility", "15"),
        hasEntry("syslog.severity", "3")));
    assertThat(e.log().orElseThrow().severity(), is(Severity.ERROR));
    assertThat(e.log().orElseThrow().severityNumber(), is(Optional.of(17)));
  }

  @Test
  public void octetCountedAndNonTransparentFramingsGiveTheSameEventAsTheBareMessage() {
    Event bare = single(parse(RealData.bytes("syslog/RFC5424"), OBSERVED));
    Event octet = single(parse(RealData.bytes("syslog/rfc6587-octet-counting"), OBSERVED));
    Event nul = single(parse(RealData.bytes("syslog/rfc6587-non-transparent-framing"), OBSERVED));
    assertThat(octet.eventId(), is(bare.eventId()));
    assertThat(nul.eventId(), is(bare.eventId()));
    assertThat(octet.log(), is(bare.log()));
    assertThat(nul.attributes(), is(bare.attributes()));
  }

  @Test
  public void octetCountingPreservesSpacesInsideTheMessage() {
    Event e = single(parse(RealData.bytes("syslog/rfc6587-octet-counting-preserve-space"),
        OBSERVED));
    assertThat(e.log().orElseThrow().body(), is(Optional.of(" partition is p2 ")));
    assertThat(e.signals(), is(Map.of("host.ip", "192.168.2.132", "service.name", "inactive")));
    assertThat(e.attributes(), not(hasEntry(is("syslog.msgid"), org.hamcrest.Matchers.any(
        String.class))));
  }

  @Test
  public void rfc3164TakesTheYearNearestTheObservedTimeInUtc() {
    Event e = single(parse(RealData.bytes("syslog/RFC3164"), OBSERVED));
    assertThat(e.eventTime(), is(Instant.parse("2016-02-04T11:14:27Z")));
    assertThat(e.timeQuality(), is(TimeQuality.DERIVED));
    assertThat(e.signals(), is(Map.of("host.ip", "1.2.3.4", "service.name", "apache_server")));
    assertThat(e.attributes(), allOf(hasEntry("syslog.facility", "4"),
        hasEntry("syslog.severity", "2"), hasEntry("syslog.protocol", "rfc3164")));
    LogPart log = e.log().orElseThrow();
    assertThat(log.severity(), is(Severity.FATAL));
    assertThat(log.severityText(), is(Optional.of("crit")));
    assertThat(log.body(), is(Optional.of("test message")));
  }

  @Test
  public void rfc3164WithoutPriorityHasNoSeverity() {
    Event e = single(parse(RealData.bytes("syslog/rfc3164-skip-pri-absent"), OBSERVED));
    assertThat(e.log().orElseThrow().severity(), is(Severity.UNSPECIFIED));
    assertThat(e.log().orElseThrow().severityNumber(), is(Optional.empty()));
    assertThat(e.attributes(), is(Map.of("syslog.protocol", "rfc3164")));
    assertThat(e.log().orElseThrow().body(), is(Optional.of("test message")));
  }

  @Test
  public void rfc3164YearWrapsAroundNewYear() {
    Event lateDecember = single(parse("<13>Dec 31 23:59:50 web1 cron[42]: tick"
        .getBytes(StandardCharsets.UTF_8), Instant.parse("2016-01-01T00:00:10Z")));
    assertThat(lateDecember.eventTime(), is(Instant.parse("2015-12-31T23:59:50Z")));
    assertThat(lateDecember.signals(), hasEntry("process.pid", "42"));
    assertThat(lateDecember.signals(), hasEntry("host.name", "web1"));

    Event earlyJanuary = single(parse("<13>Jan  1 00:00:05 web1 cron: tock"
        .getBytes(StandardCharsets.UTF_8), Instant.parse("2015-12-31T23:59:00Z")));
    assertThat(earlyJanuary.eventTime(), is(Instant.parse("2016-01-01T00:00:05Z")));
  }

  @Test
  public void rfc5424NilTimestampFallsBackToTheObservedTime() {
    Event e = single(parse("<14>1 - host app - - - hello"));
    assertThat(e.eventTime(), is(OBSERVED));
    assertThat(e.timeQuality(), is(TimeQuality.FALLBACK));
    assertThat(e.signals(), is(Map.of("host.name", "host", "service.name", "app")));
    assertThat(e.log().orElseThrow().body(), is(Optional.of("hello")));
  }

  @Test
  public void structuredDataEscapesAndSeveralElementsAreRead() {
    Event e = single(parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog"
        + " worker-3 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ic\\]ation\"]"
        + "[examplePriority@32473 class=\"high\"] \uFEFFAn application event"));
    assertThat(e.attributes(), allOf(
        hasEntry("syslog.sd.exampleSDID@32473.iut", "3"),
        hasEntry("syslog.sd.exampleSDID@32473.eventSource", "Appl\"ic]ation"),
        hasEntry("syslog.sd.examplePriority@32473.class", "high"),
        hasEntry("syslog.procid", "worker-3")));
    assertThat(e.signals(), is(Map.of("host.name", "mymachine.example.com",
        "service.name", "evntslog")));
    assertThat(e.log().orElseThrow().body(), is(Optional.of("An application event")));
    assertThat(e.log().orElseThrow().severityText(), is(Optional.of("notice")));
    assertThat(e.log().orElseThrow().severityNumber(), is(Optional.of(10)));
  }

  @Test
  public void oneRecordWithManyLineFramedMessagesGivesEventsAndAFailureAtItsLine() {
    AdapterResult r = parse("<13>Feb  4 11:14:27 h1 a: one\n"
        + "<13>1 2015-08-05T21:58:59Z h2 b - - - two\r\n"
        + "\n"
        + "<999>Feb  4 11:14:27 h3 c: bad pri\n"
        + "<13>Feb  4 11:14:28 h4 d: four");
    assertThat(r.events(), hasSize(3));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.INVALID_VALUE));
    assertThat(f.reason(), containsString("PRI 999"));
    assertThat(f.origin().line(), is(Optional.of(4L)));
    assertThat(f.origin().pointer(), is(Optional.of("/2")));
    assertThat(new String(f.fragment(), StandardCharsets.UTF_8), startsWith("<999>"));
    assertThat(r.events().get(1).log().orElseThrow().body(), is(Optional.of("two")));
    assertThat(r.events().get(2).origin().line(), is(Optional.of(5L)));
  }

  @Test
  public void oneRecordWithManyOctetCountedMessages() throws Exception {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    for (String m : new String[] {"<13>Feb  4 11:14:27 h1 a: one\nstill one",
        "<13>1 2015-08-05T21:58:59Z h2 b - - - two  ", "<13>Feb  4 11:14:28 h3 c: ünïcode"}) {
      byte[] b = m.getBytes(StandardCharsets.UTF_8);
      s.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
      s.write(b);
    }
    AdapterResult r = parse(s.toByteArray(), OBSERVED);
    assertThat(r.failures(), is(empty()));
    assertThat(r.events(), hasSize(3));
    assertThat(r.events().get(0).log().orElseThrow().body(),
        is(Optional.of("one\nstill one")));
    assertThat(r.events().get(1).log().orElseThrow().body(), is(Optional.of("two  ")));
    assertThat(r.events().get(2).log().orElseThrow().body(), is(Optional.of("ünïcode")));
    assertThat(r.events().get(2).origin().pointer(), is(Optional.of("/2")));
  }

  @Test
  public void truncatedOctetFrameIsAFailureAfterTheGoodFrames() {
    byte[] good = RealData.bytes("syslog/rfc6587-octet-counting");
    String cut = new String(good, StandardCharsets.UTF_8) + "215 <86>1 2015-08-05T21:58";
    AdapterResult r = parse(cut);
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(r.failures().get(0).reason(), containsString("message 1 declares 215 bytes but"
        + " only 22 remain"));
  }

  @Test
  public void truncatedMessagesNameWhatIsMissing() {
    assertThat(singleFailure(parse("<86>1 2015-08-05T21:58:59.693Z 192.168.2.132")).reason(),
        containsString("ends before APP-NAME"));
    assertThat(singleFailure(parse("<86>1 2015-08-05T21:58:59.693Z 192.168.2.132 SecureAuth0"
        + " 23108 ID52020 [SecureAuth@27389 UserHostAddress=\"192.16")).reason(),
        containsString("element 'SecureAuth@27389' is not closed"));
    assertThat(singleFailure(parse("<34>Feb  4 11:1")).reason(),
        containsString("expected a timestamp like"));
    assertThat(singleFailure(parse("<34>Feb  4 11:14:27 1.2.3.4")).reason(),
        containsString("ends after the hostname"));
    assertThat(singleFailure(parse("<34")).reason(), containsString("syslog PRI"));
  }

  @Test
  public void wrongValuesAreInvalidValues() {
    ParseFailure badTime = singleFailure(parse("<86>1 2015-13-45T99:00:00Z h a - - - x"));
    assertThat(badTime.kind(), is(FailureKind.INVALID_VALUE));
    assertThat(badTime.reason(), containsString("'2015-13-45T99:00:00Z' is not an RFC 3339"));
    ParseFailure noDay = singleFailure(parse("<86>Feb 30 11:14:27 h a: x"));
    assertThat(noDay.kind(), is(FailureKind.INVALID_VALUE));
    ParseFailure version = singleFailure(parse("<86>2 2015-08-05T21:58:59Z h a - - - x"));
    assertThat(version.kind(), is(FailureKind.UNSUPPORTED));
  }

  @Test
  public void invalidUtf8FailsOnlyItsOwnMessage() {
    byte[] bad = "<13>Feb  4 11:14:27 h1 a: caf\u00e9\n<13>Feb  4 11:14:27 h1 a: ok"
        .getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 30] = (byte) 0xff;
    AdapterResult r = parse(bad, OBSERVED);
    assertThat(r.events(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(f.reason(), containsString("the message is not valid UTF-8: bad byte 0xc3 at byte 29 of 31 (message 0)"));
    assertThat(f.origin().line(), is(Optional.of(1L)));
  }

  @Test
  public void emptyAndBlankInputAreEmptyInput() {
    assertThat(singleFailure(parse(new byte[0], OBSERVED)).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(singleFailure(parse("\n \n\u0000")).kind(), is(FailureKind.EMPTY_INPUT));
  }

  @Test
  public void aFiftyMegabyteMessageIsTooLarge() {
    ParseFailure f = singleFailure(parse(LogAdapterChecks.hugeLine("<13>Feb  4 11:14:27 h a: "),
        OBSERVED));
    assertThat(f.kind(), is(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("52428800 bytes, over the limit of 1048576"));
    assertThat(f.fragment().length, is(1048576));
  }

  @Test
  public void anOversizeRecordFromTheReaderIsTooLarge() {
    RawRecord cut = new RawRecord("<13>Feb".getBytes(StandardCharsets.UTF_8),
        dev.weft.model.Origin.file("syslog", "big"), OBSERVED, 99_000_000L);
    ParseFailure f = singleFailure(checked(adapter.parse(cut)));
    assertThat(f.kind(), is(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("99000000 bytes"));
  }

  @Test
  public void garbageIsAFailureNotAThrow() {
    AdapterResult r = parse("\u0001\u0002 nothing syslog about this");
    assertThat(singleFailure(r).kind(), is(FailureKind.MALFORMED_SYNTAX));
  }

  @Test
  public void sameMessageSameIdDifferentMessageDifferentId() {
    String m = "<13>1 2015-08-05T21:58:59Z h a 1 - - x";
    Event a = single(parse(m.getBytes(StandardCharsets.UTF_8), OBSERVED));
    Event b = single(parse(m.getBytes(StandardCharsets.UTF_8), OBSERVED.plusSeconds(60)));
    Event c = single(parse(m.replace(" x", " y")));
    assertThat(a.eventId(), is(b.eventId()));
    assertThat(a.eventId(), not(is(c.eventId())));
  }

  @Test
  public void adapterIsSerializable() {
    SyslogAdapter copy = SerializableUtils.ensureSerializable(adapter);
    assertThat(copy.format(), is("syslog"));
    assertThat(copy.fileFraming(), is(Framing.OCTET_COUNTED_OR_LINES));
  }
}
