package dev.weft.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.model.RawRecord;
import dev.weft.model.Framing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Reading files as documents or lines: CRLF, blank lines, oversize records, line numbers. */
public class ReadFileRecordsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static String describe(RawRecord r) {
    String text = new String(r.payload(), StandardCharsets.UTF_8);
    return r.origin().line().map(String::valueOf).orElse("?") + "@" + r.origin().byteOffset()
        .map(String::valueOf).orElse("-") + ":" + (r.isOversize() ? "OVERSIZE " + r.totalSize()
        + " kept " + r.payload().length : text);
  }

  @Test
  public void linesKeepTheirNumbersAndOffsetsAndDropCrAndBlankLines() throws IOException {
    Path f = tmp.newFile("a.log").toPath();
    Files.write(f, "first\r\n\r\nsecond\n   \nthird".getBytes(StandardCharsets.UTF_8));
    PCollection<String> got = p.apply(new ReadFileRecords("x", f.toString(), Framing.LINES, 1000,
            "test")).apply(MapElements.into(TypeDescriptors.strings()).via(ReadFileRecordsTest::describe));
    PAssert.that(got).containsInAnyOrder("1@0:first", "3@9:second", "5@20:third");
    p.run();
  }

  @Test
  public void anOversizeLineKeepsOnlyAPrefixAndItsTrueSize() throws IOException {
    Path f = tmp.newFile("big.ndjson").toPath();
    Files.write(f, ("{\"a\":1}\n" + "x".repeat(5000) + "\n{\"b\":2}\n")
        .getBytes(StandardCharsets.UTF_8));
    PCollection<String> got = p.apply(new ReadFileRecords("x", f.toString(), Framing.LINES, 100,
            "test")).apply(MapElements.into(TypeDescriptors.strings()).via(ReadFileRecordsTest::describe));
    PAssert.that(got).containsInAnyOrder("1@0:{\"a\":1}", "2@8:OVERSIZE 5000 kept 100",
        "3@5009:{\"b\":2}");
    p.run();
  }

  @Test
  public void aDocumentIsTheWholeFileAndAnOversizeOneIsCut() throws IOException {
    Path small = tmp.newFile("small.json").toPath();
    Files.write(small, "[1,\n2]\n".getBytes(StandardCharsets.UTF_8));
    Path big = tmp.newFile("big.json").toPath();
    Files.write(big, "y".repeat(300).getBytes(StandardCharsets.UTF_8));
    PCollection<String> got = p.apply(new ReadFileRecords("x", tmp.getRoot() + "/*.json",
            Framing.DOCUMENT, 200, "test"))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ReadFileRecordsTest::describe));
    PAssert.that(got).containsInAnyOrder("?@-:[1,\n2]\n", "?@-:OVERSIZE 300 kept 200");
    p.run();
  }

  @Test
  public void aLargeFileIsReadInRangesWithoutLosingOrRepeatingALineAndWithTrueLines()
      throws IOException {
    Path f = tmp.newFile("many.log").toPath();
    StringBuilder s = new StringBuilder();
    List<String> expected = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < 3000; i++) {
      String line = "record " + i + " " + "w".repeat(i % 37);
      s.append(line).append('\n');
      expected.add((i + 1) + "@" + offset + ":" + line);
      offset += line.length() + 1;
    }
    Files.write(f, s.toString().getBytes(StandardCharsets.UTF_8));
    // Ranges of about 4 KiB, cut at line starts: every line once, with its true number.
    PCollection<String> got = p.apply(new ReadFileRecords("x", f.toString(), Framing.LINES, 1000,
            "test", 4096))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ReadFileRecordsTest::describe));
    PAssert.that(got).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void ndjsonNamesSelectLineFraming() {
    assertThat(ReadFileRecords.framingFor("a/b.ndjson", Framing.DOCUMENT), equalTo(Framing.LINES));
    assertThat(ReadFileRecords.framingFor("a/b.JSONL", Framing.DOCUMENT), equalTo(Framing.LINES));
    assertThat(ReadFileRecords.framingFor("a/b.json", Framing.DOCUMENT), equalTo(Framing.DOCUMENT));
  }

  @Test
  public void theScannerSplitsLinesAcrossBufferBoundaries() throws IOException {
    StringBuilder s = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20000; i++) {
      String line = "line-" + i + "-" + "z".repeat(i % 50);
      expected.add(line);
      s.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    ReadLinesFn.LineScanner scanner = new ReadLinesFn.LineScanner(
        new java.io.ByteArrayInputStream(s.toString().getBytes(StandardCharsets.UTF_8)), 1000, 10);
    List<String> got = new ArrayList<>();
    ReadLinesFn.LineScanner.Line line;
    while ((line = scanner.next()) != null) {
      got.add(new String(line.bytes(), StandardCharsets.UTF_8));
    }
    assertThat(got, equalTo(expected));
    assertThat(got, containsInAnyOrder(expected.toArray()));
  }

  @Test
  public void aLineFramedSyslogFileLargerThanOneRecordIsReadLineByLine() throws IOException {
    // Issue 11: syslog was one document, so a file over the record limit was one TOO_LARGE letter.
    Path f = tmp.newFile("big-syslog.log").toPath();
    StringBuilder s = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      String line = "<13>Feb  4 11:14:27 host app: message " + i;
      s.append(line).append('\n');
      expected.add(i + ":" + line);
    }
    Files.write(f, s.toString().getBytes(StandardCharsets.UTF_8));
    PCollection<String> got = p.apply(new ReadFileRecords("syslog", f.toString(),
            Framing.OCTET_COUNTED_OR_LINES, 1000, "test"))
        .apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.origin().line().orElse(-1L)
            + ":" + new String(r.payload(), StandardCharsets.UTF_8)));
    PAssert.that(got).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void anOctetCountedFileIsReadFrameByFrameWithBoundedMemory() throws IOException {
    Path f = tmp.newFile("framed.log").toPath();
    String m1 = "<13>1 - h a - - - one\nwith a newline";
    String m3 = "<13>1 - h a - - - three";
    String big = "<13>1 - h a - - - " + "x".repeat(500);
    String text = m1.length() + " " + m1 + "\n" + "garbage line\n" + big.length() + " " + big
        + m3.length() + " " + m3 + "\n" + "40 <13>1 - h a - - - cut";
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    PCollection<String> got = p.apply(new ReadFileRecords("syslog", f.toString(),
            Framing.OCTET_COUNTED_OR_LINES, 200, "test"))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ReadFileRecordsTest::describe));
    int garbageAt = text.indexOf("garbage");
    int bigAt = text.indexOf(big.length() + " ");
    int m3At = text.indexOf(m3.length() + " <");
    PAssert.that(got).containsInAnyOrder(
        "1@0:" + m1.length() + " " + m1,
        "3@" + garbageAt + ":garbage line",
        "4@" + bigAt + ":OVERSIZE " + (big.length() + 4) + " kept 200",
        "4@" + m3At + ":" + m3.length() + " " + m3,
        "5@" + text.indexOf("40 <") + ":40 <13>1 - h a - - - cut");
    p.run();
  }

  @Test
  public void octetCountingIsRecognisedOnlyWhenTheFileStartsWithAFrame() {
    assertThat(ReadOctetFramesFn.startsWithFrame("12 <13>1 - h a".getBytes(StandardCharsets.UTF_8)),
        equalTo(true));
    assertThat(ReadOctetFramesFn.startsWithFrame("3 abc4 defg".getBytes(StandardCharsets.UTF_8)),
        equalTo(true));
    // An RFC 5424 message without PRI starts with its version, a space and a date.
    assertThat(ReadOctetFramesFn.startsWithFrame(
        "1 2015-08-05T21:58:59Z h a - - - m".getBytes(StandardCharsets.UTF_8)), equalTo(false));
    assertThat(ReadOctetFramesFn.startsWithFrame(
        "<13>Feb  4 11:14:27 h a: m".getBytes(StandardCharsets.UTF_8)), equalTo(false));
  }
}
