package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

/**
 * The shipped patterns against Loghub's real logs: every one of the 2,000 lines of each system
 * parses, line by line, to the time and fields of Loghub's own structured CSV.
 */
public class LoghubTextPatternsTest {
  private static final TextPatterns PATTERNS = TextPatterns.defaults();
  private static final DateTimeFormatter APACHE =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH);

  /** One log line's event and its CSV row. */
  private record Parsed(String line, Event event, Map<String, String> row) {}

  private static List<Parsed> parseAll(String system, String pattern, Instant observed)
      throws IOException {
    Path log = RealData.path("loghub/" + system + "/" + system + "_2k.log");
    Path csv = RealData.path("loghub/" + system + "/" + system + "_2k.log_structured.csv");
    TextLogsAdapter adapter = PATTERNS.adapter(pattern);
    assertThat(adapter.format(), is("text-logs." + pattern));

    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = new CsvMapper()
        .readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
      it.forEachRemaining(rows::add);
    }
    byte[] bytes = Files.readAllBytes(log);
    List<Parsed> out = new ArrayList<>();
    int start = 0;
    long lineNo = 1;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start) {
          // Each line goes in as the file reader would give it: with its CR, alone, with its line.
          byte[] line = java.util.Arrays.copyOfRange(bytes, start, i);
          RawRecord raw = new RawRecord(line, Origin.fileLine(adapter.format(), log.toString(),
              Optional.of(lineNo), start), observed);
          AdapterResult r = LogAdapterChecks.checked(adapter.parse(raw));
          String text = new String(line, StandardCharsets.UTF_8).replace("\r", "");
          assertThat(system + " line " + lineNo + " " + text + ": " + r.failures(),
              r.failures(), is(empty()));
          assertThat(r.events(), hasSize(1));
          out.add(new Parsed(text, r.events().get(0), rows.get(out.size())));
        }
        start = i + 1;
        lineNo++;
      }
    }
    assertThat(out, hasSize(2000));
    assertThat(rows, hasSize(2000));
    for (Parsed p : out) {
      assertThat(p.event().kind(), is(EventKind.LOG));
      assertThat(p.row().get("LineId") + ": " + p.line(),
          p.event().log().orElseThrow().body().orElse("").trim(), is(p.row().get("Content")));
    }
    sameIdOnlyForSameLine(out);
    return out;
  }

  /** Content-hash ids collide only for byte-identical lines (which are the same event). */
  private static void sameIdOnlyForSameLine(List<Parsed> all) {
    Map<String, String> lineById = new HashMap<>();
    for (Parsed p : all) {
      String before = lineById.putIfAbsent(p.event().eventId(), p.line());
      if (before != null) {
        assertThat(before, is(p.line()));
      }
    }
  }

  private static Instant utc(LocalDateTime t) {
    return t.toInstant(ZoneOffset.UTC);
  }

  @Test
  public void apache() throws IOException {
    for (Parsed p : parseAll("Apache", "apache", Instant.parse("2006-01-01T00:00:00Z"))) {
      Map<String, String> row = p.row();
      String at = row.get("LineId");
      assertThat(at, p.event().eventTime(),
          is(utc(LocalDateTime.parse(row.get("Time"), APACHE))));
      assertThat(at, p.event().timeQuality(), is(TimeQuality.SOURCE));
      assertThat(at, p.event().log().orElseThrow().severityText(),
          is(Optional.of(row.get("Level"))));
      assertThat(at, p.event().log().orElseThrow().severity(),
          is(row.get("Level").equals("error") ? Severity.ERROR : Severity.INFO));
    }
  }

  @Test
  public void hdfs() throws IOException {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyMMddHHmmss");
    for (Parsed p : parseAll("HDFS", "hdfs", Instant.parse("2009-01-01T00:00:00Z"))) {
      Map<String, String> row = p.row();
      String at = row.get("LineId");
      assertThat(at, p.event().eventTime(),
          is(utc(LocalDateTime.parse(row.get("Date") + row.get("Time"), f))));
      assertThat(at, p.event().log().orElseThrow().severityText(),
          is(Optional.of(row.get("Level"))));
      assertThat(at, p.event().signals().get("process.pid"), is(row.get("Pid")));
      assertThat(at, p.event().attributes().get("code.namespace"), is(row.get("Component")));
    }
  }

  @Test
  public void linuxTakesTheYearFromTheObservedTime() throws IOException {
    // Loghub's Linux log is from summer 2005; read in autumn 2005 the nearest year is 2005.
    for (Parsed p : parseAll("Linux", "linux", Instant.parse("2005-10-01T00:00:00Z"))) {
      Map<String, String> row = p.row();
      String at = row.get("LineId");
      assertThat(at, p.event().eventTime(), is(syslogTime(2005, row.get("Month"),
          row.get("Date"), row.get("Time"))));
      assertThat(at, p.event().timeQuality(), is(TimeQuality.DERIVED));
      // Loghub's CSV calls the host column "Level".
      assertThat(at, p.event().signals().get("host.name"), is(row.get("Level")));
      assertThat(at, p.event().signals().get("service.name"), is(row.get("Component").trim()));
      assertThat(at, p.event().signals().get("process.pid"),
          is(row.get("PID").isEmpty() ? null : row.get("PID")));
    }
  }

  @Test
  public void opensshAcrossNewYear() throws IOException {
    // Read on 5 January 2018, "Dec 10" is nearest in December 2017.
    for (Parsed p : parseAll("OpenSSH", "openssh", Instant.parse("2018-01-05T00:00:00Z"))) {
      Map<String, String> row = p.row();
      String at = row.get("LineId");
      assertThat(at, p.event().eventTime(), is(syslogTime(2017, row.get("Date"),
          row.get("Day"), row.get("Time"))));
      // Loghub's CSV calls the host column "Component".
      assertThat(at, p.event().signals().get("host.name"), is(row.get("Component")));
      assertThat(at, p.event().signals().get("service.name"), is("sshd"));
      assertThat(at, p.event().signals().get("process.pid"), is(row.get("Pid")));
    }
  }

  @Test
  public void zookeeper() throws IOException {
    for (Parsed p : parseAll("Zookeeper", "zookeeper", Instant.parse("2016-01-01T00:00:00Z"))) {
      Map<String, String> row = p.row();
      String at = row.get("LineId");
      assertThat(at, p.event().eventTime(), is(utc(LocalDateTime.of(
          LocalDate.parse(row.get("Date")), LocalTime.parse(row.get("Time").replace(',', '.'))))));
      assertThat(at, p.event().log().orElseThrow().severityText(),
          is(Optional.of(row.get("Level"))));
      assertThat(at, p.event().attributes().get("code.lineno"), is(row.get("Id")));
      // Loghub splits "[thread:Class@line]" at the first colon; the class is the tail of its
      // Component column.
      String component = p.event().attributes().get("code.namespace");
      assertThat(at, row.get("Component"), anyOf(is(component), endsWith(":" + component)));
    }
  }

  private static Instant syslogTime(int year, String month, String day, String time) {
    Month m = Month.from(DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH).parse(month));
    return utc(LocalDateTime.of(LocalDate.of(year, m, Integer.parseInt(day)),
        LocalTime.parse(time)));
  }
}
