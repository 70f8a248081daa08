package dev.weft.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.adapters.RawRecord;
import dev.weft.adapters.SourceAdapter.Framing;
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
  public void aLargeFileIsReadInSplitsWithoutLosingOrRepeatingALine() throws IOException {
    Path f = tmp.newFile("many.log").toPath();
    StringBuilder s = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String line = "record " + i + " " + "w".repeat(i % 37);
      s.append(line).append('\n');
      expected.add(line);
    }
    Files.write(f, s.toString().getBytes(StandardCharsets.UTF_8));
    // Splits of 4 KiB cut the file mid-line many times; each line belongs to the split where it
    // starts. Line numbers are known in the first split only.
    PCollection<String> got = p.apply(new ReadFileRecords("x", f.toString(), Framing.LINES, 1000,
            "test", 4096))
        .apply(MapElements.into(TypeDescriptors.strings())
            .via(r -> new String(r.payload(), StandardCharsets.UTF_8)));
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
}
