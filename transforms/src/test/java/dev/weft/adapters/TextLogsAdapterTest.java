package dev.weft.adapters;

import static dev.weft.adapters.LogAdapterChecks.OBSERVED;
import static dev.weft.adapters.LogAdapterChecks.checked;
import static dev.weft.adapters.LogAdapterChecks.raw;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertThrows;

import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.LogPart;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;

public class TextLogsAdapterTest {

  private static TextPatterns yaml(String text) {
    return TextPatterns.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "inline.yaml");
  }

  /** A format nobody coded: nginx's error log, defined only by this YAML. */
  private static final String NGINX = String.join("\n",
      "patterns:",
      "  - name: nginx-error",
      "    regex: '^(?<date>\\d{4}/\\d{2}/\\d{2}) (?<time>\\d{2}:\\d{2}:\\d{2}) \\[(?<lvl>\\w+)\\]"
          + " (?<pid>\\d+)#(?<tid>\\d+): (?:\\*(?<conn>\\d+) )?(?<msg>.*?)(?:, client:"
          + " (?<client>[^,]+))?(?:, server: (?<server>[^,]+))?$'",
      "    time:",
      "      groups: [date, time]",
      "      layouts: ['yyyy/MM/dd HH:mm:ss']",
      "      zone: Europe/Paris",
      "    fields:",
      "      lvl: severity",
      "      pid: process.pid",
      "      tid: attribute:thread.id",
      "      client: signal:client.address",
      "      server: server.address",
      "      msg: body",
      "");

  @Test
  public void aNewFormatNeedsOnlyAPatternEntry() {
    TextLogsAdapter nginx = SerializableUtils.ensureSerializable(
        yaml(NGINX).adapter("nginx-error"));
    assertThat(nginx.format(), is("text-logs.nginx-error"));
    AdapterResult r = checked(nginx.parse(raw(nginx.format(),
        "2024/03/10 14:02:07 [error] 1234#1234: *56 open() \"/srv/x\" failed (2: No such file),"
            + " client: 10.1.2.3, server: shop.example.com")));
    assertThat(r.failures(), is(empty()));
    Event e = r.events().get(0);
    // Paris is UTC+1 in March before the switch to summer time.
    assertThat(e.eventTime(), is(Instant.parse("2024-03-10T13:02:07Z")));
    assertThat(e.timeQuality(), is(TimeQuality.SOURCE));
    assertThat(e.format(), is("text-logs.nginx-error"));
    assertThat(e.signals(), is(Map.of("process.pid", "1234", "client.address", "10.1.2.3",
        "server.address", "shop.example.com")));
    // conn is neither mapped nor a time group: it becomes an attribute under its own name.
    assertThat(e.attributes(), is(Map.of("thread.id", "1234", "conn", "56")));
    LogPart log = e.log().orElseThrow();
    assertThat(log.severity(), is(Severity.ERROR));
    assertThat(log.body(), is(Optional.of("open() \"/srv/x\" failed (2: No such file)")));
    assertThat(e.eventId(), startsWith("text-logs.nginx-error:h:"));
  }

  @Test
  public void aWholeFileInOneRecordGivesOneEventPerLineWithItsLineNumber() {
    TextLogsAdapter hdfs = TextPatterns.defaults().adapter("hdfs");
    AdapterResult r = checked(hdfs.parse(raw(hdfs.format(),
        RealData.bytes("loghub/HDFS/HDFS_2k.log"), OBSERVED)));
    assertThat(r.failures(), is(empty()));
    assertThat(r.events(), hasSize(2000));
    assertThat(r.events().get(1999).origin().line(), is(Optional.of(2000L)));
  }

  @Test
  public void aLineMatchingNoPatternIsUnsupportedAndNamesThePattern() {
    TextLogsAdapter zk = TextPatterns.defaults().adapter("zookeeper");
    AdapterResult r = checked(zk.parse(raw(zk.format(),
        "2015-07-29 17:41:44,747 - INFO  [main:QuorumPeer@1] - fine\n"
            + "Exception in thread \"main\" java.lang.NullPointerException\r\n"
            + "2015-07-29 17:41:45,001 - WARN  [main:QuorumPeer@2] - fine too")));
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.UNSUPPORTED));
    assertThat(f.reason(), is("the line does not match text pattern 'zookeeper'"));
    assertThat(f.origin().line(), is(Optional.of(2L)));
    assertThat(new String(f.fragment(), StandardCharsets.UTF_8), startsWith("Exception"));
  }

  @Test
  public void corruptedLines() {
    TextLogsAdapter apache = TextPatterns.defaults().adapter("apache");
    // Truncated: the line stops inside the timestamp.
    ParseFailure cut = onlyFailure(apache, "[Sun Dec 04 04:4".getBytes(StandardCharsets.UTF_8));
    assertThat(cut.kind(), is(FailureKind.UNSUPPORTED));
    // The regex matches but the date is impossible (and the weekday wrong).
    ParseFailure badDate = onlyFailure(apache,
        "[Sun Feb 31 04:47:44 2005] [notice] x".getBytes(StandardCharsets.UTF_8));
    assertThat(badDate.kind(), is(FailureKind.INVALID_VALUE));
    assertThat(badDate.reason(), containsString("time 'Sun Feb 31 04:47:44 2005' fits no"
        + " layout"));
    byte[] bad = "[Sun Dec 04 04:47:44 2005] [notice] caf\u00e9".getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 1] = (byte) 0xfe;
    ParseFailure enc = onlyFailure(apache, bad);
    assertThat(enc.kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(onlyFailure(apache, new byte[0]).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(onlyFailure(apache, "\r\n".getBytes(StandardCharsets.UTF_8)).kind(),
        is(FailureKind.EMPTY_INPUT));
    ParseFailure huge = onlyFailure(apache,
        LogAdapterChecks.hugeLine("[Sun Dec 04 04:47:44 2005] [notice] "));
    assertThat(huge.kind(), is(FailureKind.TOO_LARGE));
    assertThat(huge.reason(), containsString("52428800 bytes"));
  }

  private static ParseFailure onlyFailure(TextLogsAdapter a, byte[] bytes) {
    AdapterResult r = checked(a.parse(raw(a.format(), bytes, OBSERVED)));
    assertThat(r.events(), is(empty()));
    assertThat(r.failures(), hasSize(1));
    return r.failures().get(0);
  }

  @Test
  public void fixedYearAndLeapDay() {
    TextPatterns p = yaml(String.join("\n",
        "patterns:",
        "  - name: bsd",
        "    regex: '^(?<ts>\\w{3} +\\d+ [\\d:]{8}) (?<body>.*)$'",
        "    time: {groups: [ts], layouts: ['MMM d HH:mm:ss'], year: 2004}",
        "    fields: {body: body}",
        "  - name: bsd-observed",
        "    regex: '^(?<ts>\\w{3} +\\d+ [\\d:]{8}) (?<body>.*)$'",
        "    time: {groups: [ts], layouts: ['MMM d HH:mm:ss'], year: observed}",
        ""));
    Event fixed = checked(p.adapter("bsd").parse(raw("x", "Feb 29 10:00:00 leap"))).events()
        .get(0);
    assertThat(fixed.eventTime(), is(Instant.parse("2004-02-29T10:00:00Z")));
    assertThat(fixed.timeQuality(), is(TimeQuality.DERIVED));
    // Observed 2016-03-01: Feb 29 exists only in 2016 among 2015..2017.
    Event observed = checked(p.adapter("bsd-observed").parse(raw("x", "Feb 29 10:00:00 leap")))
        .events().get(0);
    assertThat(observed.eventTime(), is(Instant.parse("2016-02-29T10:00:00Z")));
    // No body mapping: the body is the whole line.
    assertThat(observed.log().orElseThrow().body(), is(Optional.of("Feb 29 10:00:00 leap")));
  }

  @Test
  public void loadingFailsWithTheFileTheEntryAndTheProblem() {
    String head = "patterns:\n  - name: ok\n    regex: '^(?<t>\\d+) (?<m>.*)$'\n"
        + "    time: {groups: [t], layouts: ['yyyyMMdd']}\n";
    assertThat(loadError(head + "  - name: broken\n    regex: '^(?<t>\\d+'\n"
        + "    time: {groups: [t], layouts: ['yyyyMMdd']}\n"),
        startsWith("inline.yaml: line 6: pattern entry 1 ('broken'): bad regex: Unclosed group"));
    assertThat(loadError(head + "  - name: unknown-group\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [t], layouts: ['yyyyMMdd']}\n    fields: {lvl: severity}\n"),
        is("inline.yaml: line 8: pattern entry 1 ('unknown-group'): field 'lvl' is not a named group of"
            + " the regex (groups: [t])"));
    assertThat(loadError("patterns:\n  - name: bad-layout\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [t], layouts: ['yyyyMMdd qqqqqq']}\n"),
        startsWith("inline.yaml: line 4: pattern entry 0 ('bad-layout'): bad layout 'yyyyMMdd qqqqqq'"));
    assertThat(loadError("patterns:\n  - name: no-year\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [t], layouts: ['MMdd']}\n"),
        containsString("a layout has no year: set 'time.year'"));
    assertThat(loadError("patterns:\n  - name: bad-time-group\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [when], layouts: ['yyyyMMdd']}\n"),
        containsString("time group 'when' is not a named group"));
    assertThat(loadError("patterns:\n  - name: typo\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [t], layout: ['yyyyMMdd']}\n"),
        containsString("unknown key 'time.layout'"));
    assertThat(loadError("patterns:\n  - name: zone\n    regex: '^(?<t>\\d+)$'\n"
        + "    time: {groups: [t], layouts: ['yyyyMMdd'], zone: Mars/Olympus}\n"),
        containsString("bad zone 'Mars/Olympus'"));
    assertThat(loadError(head + head.substring("patterns:\n".length())),
        containsString("the name 'ok' is used twice"));
    assertThat(loadError("not: [patterns"), startsWith("inline.yaml: not valid YAML"));
  }

  private static String loadError(String text) {
    return assertThrows(IllegalArgumentException.class, () -> yaml(text)).getMessage();
  }

  @Test
  public void shippedPatternsAreTheFiveLoghubSystems() {
    assertThat(TextPatterns.defaults().all().keySet().toString(),
        is("[apache, hdfs, linux, openssh, zookeeper]"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextPatterns.defaults().get("nope"));
    assertThat(e.getMessage(), containsString("no text pattern named 'nope'"));
  }
}
