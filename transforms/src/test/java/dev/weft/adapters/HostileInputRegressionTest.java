package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * One test per defect of issue 11 that lost, invented or misplaced records: each reproduces the
 * report (it failed before the fix) and states the rule now kept.
 */
public class HostileInputRegressionTest {
  private static final Instant OBSERVED = Instant.parse("2024-11-15T12:00:00Z");

  private static RawRecord raw(String format, String text) {
    return new RawRecord(text.getBytes(StandardCharsets.UTF_8), Origin.file(format, "in"),
        OBSERVED);
  }

  /** A record read alone from line {@code line} of a file, as the line reader makes it. */
  private static RawRecord rawLine(String format, String text, long line) {
    return new RawRecord(text.getBytes(StandardCharsets.UTF_8),
        Origin.fileLine(format, "in.ndjson", Optional.of(line), 100), OBSERVED);
  }

  private static ParseFailure onlyFailure(AdapterResult r) {
    assertThat(r.events().toString(), r.events(), is(empty()));
    assertThat(r.failures(), hasSize(1));
    return r.failures().get(0);
  }

  private static String pod(int i) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-" + i + "\n  namespace: shop\n"
        + "  uid: uid-" + i + "\n  resourceVersion: \"" + i + "\"\n"
        + "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n";
  }

  // ---------------------------------------------------------------- records that vanished

  @Test
  public void aBrokenYamlDocumentCostsOneDeadLetterAndTheLaterDocumentsAreRead() {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      s.append("---\n").append(pod(i));
      if (i == 10) {
        s.append("---\nkind: Pod\nmetadata: {name: [unclosed\n  bad: : :\n");
      }
    }
    AdapterResult r = new KubernetesAdapter().parse(raw("k8s", s.toString()));
    assertThat(r.events(), hasSize(20));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.MALFORMED_SYNTAX));
    // Pod 10 ends on line 90 (ten documents of nine lines); the broken one starts at line 91.
    assertThat(f.origin().line().orElseThrow() >= 91, is(true));
    List<String> names = r.events().stream().map(e -> e.config().orElseThrow().name())
        .collect(Collectors.toList());
    assertThat(names.get(10), is("pod-11"));
  }

  @Test
  public void aCsvQuoteThatNeverClosesCostsItsOwnRowAndTheRowsAfterItAreRead() throws IOException {
    InventoryMapping m = InventoryMapping.load(new ByteArrayInputStream(
        "name: t\nentityType: host\nid: id\nsignals: {host: host.name}\n"
            .getBytes(StandardCharsets.UTF_8)), "t.yaml");
    String csv = "id,host\n1,a\n2,\"b\n3,c\n4,d\n";
    AdapterResult r = new InventoryAdapter(m).parse(raw("inventory", csv));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.reason(), f.origin().line(), is(Optional.of(3L)));
    assertThat(f.reason(), containsString("never closed"));
    assertThat(r.events(), hasSize(3));
    assertThat(r.events().get(2).signals().get("host.name"), is("d"));
  }

  @Test
  public void aStrayQuoteThatRunsIntoLaterRowsCostsOnlyItsOwnRow() throws IOException {
    InventoryMapping m = InventoryMapping.load(new ByteArrayInputStream(
        "name: t\nentityType: host\nid: id\nsignals: {host: host.name}\n"
            .getBytes(StandardCharsets.UTF_8)), "t.yaml");
    String csv = "id,host\n1,\"a\n2,b\n3,c\",x\n4,d\n";
    AdapterResult r = new InventoryAdapter(m).parse(raw("inventory", csv));
    assertThat(r.failures().toString(), r.failures(), hasSize(2));
    assertThat(r.failures().get(0).origin().line(), is(Optional.of(2L)));
    assertThat(r.events().stream().map(e -> e.signals().get("host.name"))
        .collect(Collectors.toList()), is(List.of("b", "d")));
  }

  @Test
  public void anOtlpListUnderADamagedFieldNameIsADeadLetterNotNothing() {
    String span = "{\"traceId\":\"0123456789abcdef0123456789abcdef\",\"spanId\":\"0123456789abcdef\","
        + "\"name\":\"x\",\"startTimeUnixNano\":\"1714557600000000000\"}";
    ParseFailure scopes = onlyFailure(new OtlpTracesAdapter().parse(raw("otlp-traces",
        "{\"resourceSpans\":[{\"resource\":{},\"scopeSpanz\":[{\"spans\":[" + span + "]}]}]}")));
    assertThat(scopes.reason(), containsString("scopeSpanz"));
    ParseFailure spans = onlyFailure(new OtlpTracesAdapter().parse(raw("otlp-traces",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{},\"spanz\":[" + span + "]}]}]}")));
    assertThat(spans.reason(), containsString("spanz"));
    ParseFailure logs = onlyFailure(new OtlpLogsAdapter().parse(raw("otlp-logs",
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecordz\":[{\"body\":{}}]}]}]}")));
    assertThat(logs.reason(), containsString("logRecordz"));
  }

  @Test
  public void aSecondJsonDocumentOnOneLineIsADeadLetterNotDropped() {
    String spans = "[{\"traceId\":\"0123456789abcdef\",\"id\":\"0123456789abcdef\","
        + "\"timestamp\":1714557600000000,\"localEndpoint\":{\"serviceName\":\"a\"}}]";
    // The trace formats read concatenated documents: both are read.
    AdapterResult zipkin = new ZipkinAdapter().parse(raw("zipkin", spans + " " + spans));
    assertThat(zipkin.events(), hasSize(2));
    ParseFailure logs = onlyFailure(new JsonLogsAdapter().parse(rawLine("json-logs",
        "{\"message\":\"a\"} {\"message\":\"b\"}", 3)));
    assertThat(logs.kind(), is(FailureKind.MALFORMED_SYNTAX));

    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
        + "\"namespace\":\"n\",\"uid\":\"u\",\"resourceVersion\":\"1\"}}";
    ParseFailure k8s = onlyFailure(new KubernetesAdapter().parse(rawLine("k8s", pod + " }x", 4)));
    assertThat(k8s.origin().line(), is(Optional.of(4L)));
  }

  // ---------------------------------------------------------------- origins

  @Test
  public void k8sAndInventoryNdjsonRecordsCarryTheirTrueLine() throws IOException {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
        + "\"namespace\":\"n\",\"uid\":\"u\",\"resourceVersion\":\"1\"}}";
    AdapterResult k8s = new KubernetesAdapter().parse(rawLine("k8s", pod, 7));
    assertThat(k8s.events().get(0).origin().line(), is(Optional.of(7L)));

    InventoryMapping m = InventoryMapping.load(new ByteArrayInputStream(
        "name: t\nentityType: host\ninput: json\nid: id\nsignals: {host: host.name}\n"
            .getBytes(StandardCharsets.UTF_8)), "t.yaml");
    AdapterResult inv = new InventoryAdapter(m).parse(rawLine("inventory",
        "{\"id\":\"1\",\"host\":\"a\"}", 12));
    assertThat(inv.toString(), inv.events().get(0).origin().line(), is(Optional.of(12L)));
    ParseFailure two = onlyFailure(new InventoryAdapter(m).parse(rawLine("inventory",
        "{\"id\":\"1\",\"host\":\"a\"} {\"id\":\"2\",\"host\":\"b\"}", 13)));
    assertThat(two.origin().line(), is(Optional.of(13L)));
  }

  @Test
  public void syslogMessagesSeparatedByNulOnOneLineReportThatLine() {
    AdapterResult r = new SyslogAdapter().parse(new RawRecord(
        "<13>Feb  4 11:14:27 h1 a: one\u0000<13>Feb  4 11:14:28 h1 a: two\n<13>Feb  4 11:14:29 h a: 3"
            .getBytes(StandardCharsets.UTF_8), Origin.file("syslog", "s.log"), OBSERVED));
    assertThat(r.events().stream().map(e -> e.origin().line().orElseThrow())
        .collect(Collectors.toList()), is(List.of(1L, 1L, 2L)));
  }

  // ---------------------------------------------------------------- time

  @Test
  public void rfc3164YearIsNeverInTheFutureOfTheObservedTime() {
    Event feb = new SyslogAdapter().parse(raw("syslog", "<13>Feb  4 11:14:27 h1 a: x"))
        .events().get(0);
    assertThat(feb.eventTime(), is(Instant.parse("2024-02-04T11:14:27Z")));
    Event dec = new SyslogAdapter().parse(raw("syslog", "<13>Dec 20 11:14:27 h1 a: x"))
        .events().get(0);
    assertThat(dec.eventTime(), is(Instant.parse("2023-12-20T11:14:27Z")));
  }

  private static void assertImpossible(AdapterResult r, FailureKind kind) {
    ParseFailure f = onlyFailure(r);
    assertThat(f.reason(), f.kind(), is(kind));
  }

  @Test
  public void everyFormatDeadLettersAnImpossibleTimeWithAReason() {
    long year99999Micros = 3_093_527_980_800_000_000L; // 99999-01-01
    String zipkin = "[{\"traceId\":\"0123456789abcdef\",\"id\":\"0123456789abcdef\","
        + "\"timestamp\":" + year99999Micros + ",\"localEndpoint\":{\"serviceName\":\"a\"}}]";
    assertImpossible(new ZipkinAdapter().parse(raw("zipkin", zipkin)), FailureKind.INVALID_VALUE);

    String jaeger = "{\"data\":[{\"traceID\":\"0123456789abcdef\",\"spans\":[{\"traceID\":"
        + "\"0123456789abcdef\",\"spanID\":\"0123456789abcdef\",\"operationName\":\"x\","
        + "\"startTime\":" + year99999Micros + ",\"duration\":1,\"processID\":\"p1\"}],"
        + "\"processes\":{\"p1\":{\"serviceName\":\"a\"}}}]}";
    assertImpossible(new JaegerAdapter().parse(raw("jaeger", jaeger)), FailureKind.INVALID_VALUE);

    // 2^64-1 nanoseconds: the year 2554.
    String otlp = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"0123456789abcdef0123456789abcdef\",\"spanId\":\"0123456789abcdef\",\"name\":\"x\","
        + "\"startTimeUnixNano\":\"18446744073709551615\"}]}]}]}";
    assertImpossible(new OtlpTracesAdapter().parse(raw("otlp-traces", otlp)),
        FailureKind.INVALID_VALUE);

    JsonLogsAdapter json = new JsonLogsAdapter();
    assertImpossible(json.parse(raw("json-logs", "{\"timestamp\":-5,\"message\":\"m\"}")),
        FailureKind.INVALID_VALUE);
    assertImpossible(json.parse(raw("json-logs",
        "{\"timestamp\":\"+99999-01-01T00:00:00Z\",\"message\":\"m\"}")), FailureKind.INVALID_VALUE);
    assertImpossible(json.parse(raw("json-logs", "{\"timestamp\":1e400,\"message\":\"m\"}")),
        FailureKind.INVALID_VALUE);
    assertImpossible(json.parse(raw("json-logs",
        "{\"timestamp\":{\"seconds\":5},\"message\":\"m\"}")), FailureKind.WRONG_TYPE);

    assertImpossible(new SyslogAdapter().parse(raw("syslog",
        "<13>1 2300-01-01T00:00:00Z h a - - - m")), FailureKind.INVALID_VALUE);

    String k8s = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\","
        + "\"namespace\":\"n\",\"uid\":\"u\",\"resourceVersion\":\"1\","
        + "\"creationTimestamp\":\"1969-12-31T23:59:59Z\"}}";
    assertImpossible(new KubernetesAdapter().parse(raw("k8s", k8s)), FailureKind.INVALID_VALUE);
  }
}
