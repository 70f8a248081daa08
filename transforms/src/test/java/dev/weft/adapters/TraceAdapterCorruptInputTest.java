package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static dev.weft.adapters.TraceTesting.OBSERVED;
import static dev.weft.adapters.TraceTesting.raw;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import dev.weft.testing.RealData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every trace adapter against broken input: each case ends in typed failures with a reason that
 * says what is wrong, never in a throw, and the good records of a document still become events.
 */
@RunWith(Parameterized.class)
public class TraceAdapterCorruptInputTest {
  private static final int FIFTY_MB = 50 * 1024 * 1024;

  /** How to write a document of one good record and one record carrying {@code payload}. */
  static final class Shape {
    final String name;
    final SourceAdapter adapter;
    final String sample;
    final String head;
    final String good;
    final String hugeStringOpen;
    final String hugeStringClose;
    final String arrayOpen;
    final String arrayElement;
    final String arrayClose;
    final String tail;

    Shape(String name, SourceAdapter adapter, String sample, String head, String good,
        String hugeStringOpen, String hugeStringClose, String arrayOpen, String arrayElement,
        String arrayClose, String tail) {
      this.name = name;
      this.adapter = adapter;
      this.sample = sample;
      this.head = head;
      this.good = good;
      this.hugeStringOpen = hugeStringOpen;
      this.hugeStringClose = hugeStringClose;
      this.arrayOpen = arrayOpen;
      this.arrayElement = arrayElement;
      this.arrayClose = arrayClose;
      this.tail = tail;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Parameters(name = "{0}")
  public static List<Object[]> shapes() {
    String otlpSpan = "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":"
        + "\"eee19b7ec3c1b174\",\"startTimeUnixNano\":\"1\"}";
    String otlpSpan2 = "{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":"
        + "\"eee19b7ec3c1b175\",\"startTimeUnixNano\":\"1\",\"attributes\":[{\"key\":\"big\","
        + "\"value\":";
    String otlpLog2 = "{\"timeUnixNano\":\"1\",\"body\":";
    String zipkin2 = "{\"traceId\":\"1\",\"id\":\"2\",\"timestamp\":1,";
    String jaeger2 = "{\"traceID\":\"1\",\"spanID\":\"2\",\"startTime\":1,";
    return Arrays.asList(new Object[][] {
      {new Shape("otlp-traces", new OtlpTracesAdapter(), "otlp/trace.json",
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[", otlpSpan,
          otlpSpan2 + "{\"stringValue\":\"", "\"}}]}",
          otlpSpan2 + "{\"arrayValue\":{\"values\":[", "{\"intValue\":\"1\"},",
          "{\"intValue\":\"1\"}]}}}]}", "]}]}]}")},
      {new Shape("otlp-logs", new OtlpLogsAdapter(), "otlp/logs.json",
          "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[", "{\"timeUnixNano\":\"1\"}",
          otlpLog2 + "{\"stringValue\":\"", "\"}}",
          otlpLog2 + "{\"kvlistValue\":{\"values\":[", "{\"key\":\"k\",\"value\":{}},",
          "{\"key\":\"k\",\"value\":{}}]}}}", "]}]}]}")},
      {new Shape("zipkin", new ZipkinAdapter(), "zipkin/yelp.json", "[",
          "{\"traceId\":\"1\",\"id\":\"1\",\"timestamp\":1}",
          zipkin2 + "\"tags\":{\"big\":\"", "\"}}",
          zipkin2 + "\"annotations\":[", "{\"timestamp\":1,\"value\":\"a\"},",
          "{\"timestamp\":1,\"value\":\"a\"}]}", "]")},
      {new Shape("jaeger", new JaegerAdapter(), "jaeger/otlp2jaeger-out.json",
          "{\"data\":[{\"traceID\":\"1\",\"spans\":[",
          "{\"traceID\":\"1\",\"spanID\":\"1\",\"startTime\":1}",
          jaeger2 + "\"tags\":[{\"key\":\"big\",\"type\":\"string\",\"value\":\"", "\"}]}",
          jaeger2 + "\"logs\":[", "{\"fields\":[{\"key\":\"event\",\"value\":\"e\"}]},",
          "{\"fields\":[]}]}", "]}]}")},
    });
  }

  private final Shape shape;

  public TraceAdapterCorruptInputTest(Shape shape) {
    this.shape = shape;
  }

  private AdapterResult parse(byte[] bytes) {
    return shape.adapter.parse(raw(shape.adapter.format(), "corrupt.json", bytes));
  }

  private static ParseFailure onlyFailure(AdapterResult r) {
    assertThat(r.events(), empty());
    assertThat(r.failures(), hasSize(1));
    assertThat(r.records(), equalTo(1));
    return r.failures().get(0);
  }

  @Test
  public void emptyInput() {
    for (String blank : List.of("", "  \n\t\r\n")) {
      ParseFailure f = onlyFailure(parse(blank.getBytes(StandardCharsets.UTF_8)));
      assertThat(f.kind(), equalTo(FailureKind.EMPTY_INPUT));
      assertThat(f.reason(), containsString("the input is empty"));
    }
  }

  @Test
  public void truncatedDocument() {
    byte[] whole = RealData.bytes(shape.sample);
    ParseFailure f = onlyFailure(parse(Arrays.copyOf(whole, whole.length / 2)));
    assertThat(f.kind(), equalTo(FailureKind.MALFORMED_SYNTAX));
    assertThat(f.reason(), containsString("not well-formed JSON"));
    assertThat(f.reason(), containsString("end-of-input"));
  }

  @Test
  public void invalidUtf8() {
    byte[] bytes = RealData.bytes(shape.sample).clone();
    int at = indexOf(bytes, (byte) '"') + 1;
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28;
    ParseFailure f = onlyFailure(parse(bytes));
    assertThat(f.kind(), equalTo(FailureKind.INVALID_ENCODING));
    assertThat(f.reason(), containsString("not valid UTF-8: bad byte 0xc3 at offset " + at));
  }

  @Test
  public void aScalarDocumentIsTheWrongType() {
    ParseFailure f = onlyFailure(parse("\"hello\"".getBytes(StandardCharsets.UTF_8)));
    assertThat(f.kind(), equalTo(FailureKind.WRONG_TYPE));
    assertThat(f.reason(), containsString("the document is a string"));
  }

  @Test
  public void garbageAfterAGoodDocumentKeepsTheGoodOne() {
    String doc = shape.head + shape.good + shape.tail;
    AdapterResult r = parse((doc + "\n" + doc + "\n{oops").getBytes(StandardCharsets.UTF_8));
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), equalTo(FailureKind.MALFORMED_SYNTAX));
    assertThat(r.failures().get(0).reason(), containsString("after 2 complete JSON documents"));
  }

  @Test
  public void recordCutByTheReaderIsTooLargeUnparsed() {
    byte[] head = "[{\"traceId\":".getBytes(StandardCharsets.UTF_8);
    RawRecord cut = new RawRecord(head, Origin.file(shape.adapter.format(), "big.json"),
        OBSERVED, 200_000_000L);
    ParseFailure f = onlyFailure(shape.adapter.parse(cut));
    assertThat(f.kind(), equalTo(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("200000000 bytes"));
  }

  @Test
  public void deepNestingIsTooLarge() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    ParseFailure f = onlyFailure(parse(deep.getBytes(StandardCharsets.UTF_8)));
    assertThat(f.kind(), equalTo(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("nesting depth"));
  }

  @Test
  public void fiftyMegabyteStringValueFailsOnlyItsRecord() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(FIFTY_MB + 1024);
    write(out, shape.head + shape.good + "," + shape.hugeStringOpen);
    byte[] x = new byte[1 << 20];
    Arrays.fill(x, (byte) 'x');
    for (int i = 0; i < 50; i++) {
      out.write(x, 0, x.length);
    }
    write(out, shape.hugeStringClose + shape.tail);
    assertThat(out.size(), greaterThan(FIFTY_MB));
    AdapterResult r = parse(out.toByteArray());
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), equalTo(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("is 52428800 chars long, over the limit of 1048576"));
    assertThat(f.origin().pointer().isPresent(), equalTo(true));
  }

  @Test
  public void fiftyMegabyteArrayFailsOnlyItsRecord() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(FIFTY_MB + 1024);
    write(out, shape.head + shape.good + "," + shape.arrayOpen);
    byte[] element = shape.arrayElement.getBytes(StandardCharsets.UTF_8);
    while (out.size() < FIFTY_MB) {
      out.write(element, 0, element.length);
    }
    write(out, shape.arrayClose + shape.tail);
    AdapterResult r = parse(out.toByteArray());
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), equalTo(FailureKind.TOO_LARGE));
    assertThat(f.reason(), containsString("over the limit of 1048576 chars"));
  }

  private static void write(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no " + (char) b);
  }
}
