package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.weft.model.DeadLetter;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

/**
 * The fuzz corpus of issue 11, per format: at least 1,000 malformed records mixed with valid and
 * byte-flipped ones, plus one 50 MB line read through the real line scanner (so it is never held
 * whole) and, for Kubernetes, YAML alias bombs. Asserts no crash (no throw, no ADAPTER_BUG),
 * conservation (every record an event or a dead letter, read = normalized + dead-lettered), every
 * malformed record dead-lettered with a reason and a bounded payload, every valid record
 * normalized. Runs under -Xmx512m (its own surefire execution) and prints the table.
 */
public class FuzzCorpusTest {
  private static final Instant OBSERVED = Instant.parse("2024-06-01T00:00:00Z");
  private static final int MAX_RECORD_BYTES = 1 << 20;
  private static final int DEAD_LETTER_PAYLOAD = 1 << 16;
  private static final int VALID = 500;
  private static final int MALFORMED = 1_400;
  private static final int HOSTILE = 300;

  private static final String ISO = "\"2024-05-01T10:00:00Z\"";

  private static final FuzzCorpus.Format[] FORMATS = {
      new FuzzCorpus.Format("zipkin", true,
          "[{\"traceId\":@ID@,\"id\":\"0123456789abcdef\",\"kind\":\"CLIENT\",\"name\":\"op@N@\","
              + "\"timestamp\":@TIME@,\"duration\":5,\"localEndpoint\":{\"serviceName\":\"svc\"}}]",
          "1714557600000000", "1e400", "3093527980800000000", "-5", "\"\"", 0),
      new FuzzCorpus.Format("otlp-traces", true,
          "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
              + "{\"stringValue\":\"svc@N@\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
              + "\"spans\":[{\"traceId\":@ID@,\"spanId\":\"0123456789abcdef\",\"name\":\"op\","
              + "\"kind\":2,\"startTimeUnixNano\":@TIME@}]}]}]}",
          "\"1714557600000000000\"", "1e400", "\"18446744073709551615\"", "\"-5\"", "\"\"", 0),
      new FuzzCorpus.Format("otlp-logs", true,
          "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
              + "{\"stringValue\":\"svc\"}}]},\"scopeLogs\":[{\"scope\":{},\"logRecords\":[{"
              + "\"traceId\":@ID@,\"timeUnixNano\":@TIME@,\"severityNumber\":9,"
              + "\"body\":{\"stringValue\":\"hello @N@\"}}]}]}]}",
          "\"1714557600000000000\"", "1e400", "\"18446744073709551615\"", "\"-5\"", null, 0),
      new FuzzCorpus.Format("jaeger", true,
          "{\"data\":[{\"traceID\":@ID@,\"spans\":[{\"traceID\":\"0123456789abcdef0123456789abcdef\","
              + "\"spanID\":\"0123456789abcdef\",\"operationName\":\"op@N@\",\"startTime\":@TIME@,"
              + "\"duration\":5,\"processID\":\"p1\"}],\"processes\":{\"p1\":{\"serviceName\":\"a\"}}}]}",
          "1714557600000000", "1e400", "3093527980800000000", "-5", null, 0),
      new FuzzCorpus.Format("json-logs", true,
          "{\"trace_id\":@ID@,\"timestamp\":@TIME@,\"level\":\"INFO\",\"message\":\"m @N@\"}",
          ISO, "1e400", "\"+99999-01-01T00:00:00Z\"", "-5", null, 0),
      new FuzzCorpus.Format("k8s", true,
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":@ID@,"
              + "\"namespace\":\"ns\",\"uid\":\"u-@N@\",\"resourceVersion\":\"@N@\","
              + "\"creationTimestamp\":@TIME@}}",
          ISO, "\"1e400\"", "\"+99999-01-01T00:00:00Z\"", "\"-0001-01-01T00:00:00Z\"", "\"\"", 0),
      new FuzzCorpus.Format("inventory", true,
          "{\"id\":@ID@,\"host\":\"h@N@\",\"seen\":@TIME@}",
          "\"2024-05-01 10:00:00\"", "1e400", "\"99999-01-01 10:00:00\"", "\"-5\"", null, 0),
      new FuzzCorpus.Format("syslog", false,
          "<13>1 @TIME@ host@N@ app 1 - - message @N@",
          "2024-05-01T10:00:00Z", "1e400", "2300-01-01T00:00:00Z", "-001-01-01T00:00:00Z", null,
          30),
      new FuzzCorpus.Format("text-logs.hdfs", false,
          "@TIME@ 148 INFO dfs.DataNode$PacketResponder: PacketResponder @N@ for block blk_1",
          "081109 203615", "081109 999999", "081399 203615", "-81109 203615", null, 40),
  };

  private static SourceAdapter adapter(String format) {
    switch (format) {
      case "zipkin": return new ZipkinAdapter();
      case "otlp-traces": return new OtlpTracesAdapter();
      case "otlp-logs": return new OtlpLogsAdapter();
      case "jaeger": return new JaegerAdapter();
      case "json-logs": return new JsonLogsAdapter();
      case "k8s": return new KubernetesAdapter();
      case "syslog": return new SyslogAdapter();
      case "text-logs.hdfs": return TextPatterns.defaults().adapter("hdfs");
      case "inventory":
        try {
          return new InventoryAdapter(InventoryMapping.load(new ByteArrayInputStream(
              ("name: fz\nentityType: host\ninput: json\nid: id\nsignals: {host: host.name}\n"
                  + "time: {column: seen, layout: 'yyyy-MM-dd HH:mm:ss', zone: UTC}\n")
                  .getBytes(StandardCharsets.UTF_8)), "fz.yaml"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      default: throw new IllegalArgumentException(format);
    }
  }

  /** Outcome counts of one format. */
  private static final class Tally {
    long records;
    long malformed;
    long deadLettered;
    long malformedDeadLettered;
    long valid;
    long validNormalized;
    long normalized;
    long crashes;
    final List<String> problems = new ArrayList<>();
  }

  @Test
  public void everyFormatSurvivesItsCorpus() {
    List<String> table = new ArrayList<>();
    table.add(String.format("%-15s %8s %10s %14s %14s %16s %8s", "format", "records",
        "malformed", "malformed DL'd", "dead-lettered", "valid normalized", "crashes"));
    List<String> problems = new ArrayList<>();
    for (int f = 0; f < FORMATS.length; f++) {
      FuzzCorpus.Format format = FORMATS[f];
      SourceAdapter adapter = adapter(format.name());
      Tally t = new Tally();
      for (FuzzCorpus.Sample s : new FuzzCorpus(format, 11L + f).generate(VALID, MALFORMED,
          HOSTILE)) {
        run(adapter, s, raw(format.name(), s.bytes()), t);
      }
      run(adapter, new FuzzCorpus.Sample(FuzzCorpus.Kind.MALFORMED, "50MB-line", null),
          fiftyMegabyteLine(format.name()), t);
      if (format.name().equals("k8s")) {
        for (int i = 0; i < 3; i++) {
          // Valid YAML: Jackson does not expand aliases, so the ConfigMap may be read.
          run(adapter, new FuzzCorpus.Sample(FuzzCorpus.Kind.HOSTILE, "yaml-alias-bomb", null),
              raw("k8s", FuzzCorpus.yamlAliasBomb()), t);
        }
      }
      table.add(String.format("%-15s %8d %10d %14d %14d %12d/%-3d %8d", format.name(), t.records,
          t.malformed, t.malformedDeadLettered, t.deadLettered, t.validNormalized, t.valid,
          t.crashes));
      t.problems.stream().limit(5).forEach(p -> problems.add(format.name() + ": " + p));
      if (t.problems.size() > 5) {
        problems.add(format.name() + ": ... " + (t.problems.size() - 5) + " more");
      }
    }
    System.out.println(String.join("\n", table));
    assertThat(String.join("\n", problems), problems, is(empty()));
  }

  private static RawRecord raw(String format, byte[] bytes) {
    return new RawRecord(bytes, Origin.fileLine(format, "fuzz", Optional.of(1L), 0), OBSERVED);
  }

  /** One 50 MB line, streamed through the reader's scanner as a file would be: a bounded prefix. */
  private static RawRecord fiftyMegabyteLine(String format) {
    InputStream line = new SequenceInputStream(new RepeatingInputStream((byte) 'x', 50L << 20),
        new ByteArrayInputStream(new byte[] {'\n'}));
    try {
      dev.weft.io.files.LineScannerAccess.Line l = dev.weft.io.files.LineScannerAccess.firstLine(
          line, MAX_RECORD_BYTES, 1 << 16);
      return new RawRecord(l.bytes(), Origin.fileLine(format, "fuzz", Optional.of(1L), 0),
          OBSERVED, l.contentBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As {@link Normalize}: an oversize record is dead-lettered unparsed, a throw is a crash. */
  private static void run(SourceAdapter adapter, FuzzCorpus.Sample s, RawRecord raw, Tally t) {
    boolean malformed = s.kind() == FuzzCorpus.Kind.MALFORMED;
    boolean valid = s.kind() == FuzzCorpus.Kind.VALID;
    t.malformed += malformed ? 1 : 0;
    t.valid += valid ? 1 : 0;
    AdapterResult r;
    if (raw.isOversize()) {
      r = AdapterResult.failure(ParseFailure.of(FailureKind.TOO_LARGE, "the record is "
          + raw.totalSize() + " bytes, over the maximum record size", raw.origin()));
    } else {
      try {
        r = adapter.parse(raw);
      } catch (RuntimeException | StackOverflowError e) {
        t.crashes++;
        t.problems.add(s.mutation() + ": threw " + e);
        return;
      }
    }
    t.records += r.records();
    t.normalized += r.events().size();
    t.deadLettered += r.failures().size();
    if (r.records() == 0) {
      t.problems.add(s.mutation() + ": neither an event nor a dead letter: " + preview(raw));
    }
    for (ParseFailure f : r.failures()) {
      if (f.kind() == FailureKind.ADAPTER_BUG) {
        t.crashes++;
        t.problems.add(s.mutation() + ": ADAPTER_BUG " + f.reason());
      }
      if (f.reason() == null || f.reason().isBlank()) {
        t.problems.add(s.mutation() + ": a dead letter without a reason");
      }
      byte[] payload = f.fragment() != null ? f.fragment() : raw.payload();
      DeadLetter d = DeadLetters.of(adapter.format(), f.kind(), f.reason(), f.origin(), payload,
          payload.length, OBSERVED, DEAD_LETTER_PAYLOAD);
      if (d.payload().length() > DEAD_LETTER_PAYLOAD * 4 / 3 + 4) {
        t.problems.add(s.mutation() + ": an unbounded dead-letter payload");
      }
    }
    if (malformed) {
      if (!r.events().isEmpty() || r.failures().isEmpty()) {
        t.problems.add(s.mutation() + ": accepted as " + r.events().size() + " event(s): "
            + preview(raw));
      } else {
        t.malformedDeadLettered++;
      }
    }
    if (valid) {
      if (!r.failures().isEmpty() || r.events().isEmpty()) {
        t.problems.add("valid record not normalized: " + r.failures() + " " + preview(raw));
      } else {
        t.validNormalized++;
      }
    }
  }

  private static String preview(RawRecord raw) {
    String s = new String(raw.payload(), StandardCharsets.UTF_8);
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /** {@code length} copies of one byte, never materialised. */
  private static final class RepeatingInputStream extends InputStream {
    private final byte value;
    private long left;

    RepeatingInputStream(byte value, long length) {
      this.value = value;
      this.left = length;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return value;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, value);
      left -= n;
      return n;
    }
  }
}
