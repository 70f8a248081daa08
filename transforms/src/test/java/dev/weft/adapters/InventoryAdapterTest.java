package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class InventoryAdapterTest {
  private static final Instant OBSERVED = Instant.parse("2024-06-01T00:00:00Z");

  private static InventoryMapping mapping(String file) throws IOException {
    return InventoryMapping.load(RealData.testdata("inventory/" + file));
  }

  private static InventoryMapping mappingOf(String yaml) throws IOException {
    return InventoryMapping.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
  }

  private static AdapterResult parse(InventoryMapping m, byte[] bytes) {
    return new InventoryAdapter(m).parse(
        new RawRecord(bytes, Origin.file("inventory", "test.csv"), OBSERVED));
  }

  private static AdapterResult parse(InventoryMapping m, String text) {
    return parse(m, text.getBytes(StandardCharsets.UTF_8));
  }

  private static final String SIMPLE = "name: t\nentityType: host\nid: id\n"
      + "signals: {host: host.name}\n";

  /** Counts data rows independently of the adapter: these files have no quotes, so rows = lines. */
  private static long dataRows(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat("file has quoted cells; line count would not be row count",
        new String(bytes, StandardCharsets.UTF_8).contains("\""), is(false));
    return Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"))
        .filter(l -> !l.isBlank()).count() - 1;
  }

  @Test
  public void everyFebrlFileParsesWithoutFailures() throws IOException {
    InventoryMapping febrl = mapping("febrl.yaml");
    for (String name : List.of("dataset1", "dataset2", "dataset3", "dataset4a", "dataset4b")) {
      Path file = RealData.path("identity/" + name + ".csv");
      AdapterResult r = parse(febrl.withName("febrl-" + name), Files.readAllBytes(file));
      assertThat(name + " failures: " + r.failures(), r.failures(), is(empty()));
      assertThat(name, (long) r.events().size(), equalTo(dataRows(file)));
      Set<String> ids = new HashSet<>();
      for (Event e : r.events()) {
        assertThat(e.idKind(), is(IdKind.SOURCE_ID));
        assertThat(e.kind(), is(EventKind.INVENTORY));
        assertThat(e.timeQuality(), is(TimeQuality.FALLBACK));
        assertThat(e.eventTime(), equalTo(OBSERVED));
        assertThat(e.attributes(), hasEntry("weft.entity.type", "person"));
        assertThat(e.attributes(), hasKey("rec_id"));
        // The answer key never becomes an identity signal, and nothing is an empty string.
        assertThat(e.signals().toString(), not(containsString("rec-")));
        e.signals().values().forEach(v -> assertThat(v.isBlank() || !v.equals(v.strip()),
            is(false)));
        ids.add(e.eventId());
      }
      assertThat(name + " ids are unique", ids.size(), equalTo(r.events().size()));
    }
  }

  @Test
  public void febrlQuirksBlanksAndCrlfAreAbsorbed() throws IOException {
    // dataset1 line 2: "rec-223-org, , waller, 6, tullaroop street, willaroo, st james, ..."
    AdapterResult r = parse(mapping("febrl.yaml"), RealData.bytes("identity/dataset1.csv"));
    Event first = r.events().get(0);
    assertThat(first.eventId(), equalTo("inventory:febrl:rec-223-org"));
    assertThat(first.origin().line().get(), equalTo(2L));
    assertThat(first.signals(), not(hasKey("person.given_name")));
    assertThat(first.signals(), hasEntry("person.surname", "waller"));
    assertThat(first.signals(), hasEntry("address.line1", "tullaroop street"));
    assertThat(first.signals(), hasEntry("person.birth_date", "19081209"));
    assertThat(first.signals(), hasEntry("person.national_id", "6988048"));
    assertThat(first.attributes(), hasEntry("rec_id", "rec-223-org"));

    // dataset4a: CRLF and no final line break; the last value must not carry a '\r'.
    AdapterResult crlf = parse(mapping("febrl.yaml"), RealData.bytes("identity/dataset4a.csv"));
    Event last = crlf.events().get(crlf.events().size() - 1);
    assertThat(last.signals(), hasEntry("person.national_id", "6375537"));
    assertThat(last.origin().line().get(), equalTo(5001L)); // 5000 records after the header
  }

  @Test
  public void splinkParsesWithAnswerKeyAsAttribute() throws IOException {
    Path file = RealData.path("identity/fake_1000_from_splink_demos.csv");
    AdapterResult r = parse(mapping("splink.yaml"), Files.readAllBytes(file));
    assertThat(r.failures(), is(empty()));
    assertThat((long) r.events().size(), equalTo(dataRows(file)));
    Event e0 = r.events().get(0); // 0,Julia ,,2015-10-29,London,hannah88@powers.com,0
    assertThat(e0.eventId(), equalTo("inventory:splink-demo:0"));
    assertThat(e0.signals(), hasEntry("person.given_name", "Julia"));
    assertThat(e0.signals(), not(hasKey("person.surname")));
    assertThat(e0.signals(), hasEntry("person.email", "hannah88@powers.com"));
    assertThat(e0.attributes(), hasEntry("cluster", "0"));
    assertThat(e0.signals(), not(hasKey("cluster")));
    Set<String> clusters = new HashSet<>();
    r.events().forEach(e -> clusters.add(e.attributes().get("cluster")));
    assertThat(clusters.size(), equalTo(181));
  }

  @Test
  public void cmdbHostsSample() throws IOException {
    Path csv = RealData.testdata("inventory/cmdb-hosts.csv");
    AdapterResult r = parse(mapping("cmdb-hosts.yaml"), Files.readAllBytes(csv));
    assertThat(r.failures(), is(empty()));
    assertThat(r.events(), hasSize(6));

    Event web02 = r.events().get(1);
    assertThat(web02.origin().line().get(), equalTo(3L));
    assertThat(web02.attributes(), hasEntry("notes", "rebuilt after disk failure\nsee ticket T-90"));
    assertThat(web02.attributes(), hasEntry("cmdb.services", "checkout,cart"));
    assertThat(web02.attributes(), not(hasKey("internal_ticket")));
    // 08:16:30 in Paris on 1 March is 07:16:30 UTC.
    assertThat(web02.eventTime(), equalTo(Instant.parse("2024-03-01T07:16:30Z")));
    assertThat(web02.timeQuality(), is(TimeQuality.SOURCE));
    // The time column, unmapped, is still kept under its own name.
    assertThat(web02.attributes(), hasEntry("last_seen", "2024-03-01 08:16:30"));

    Event db01 = r.events().get(2); // line 5, after the two-line cell
    assertThat(db01.origin().line().get(), equalTo(5L));
    assertThat(db01.attributes(), hasEntry("notes", "primary, do not reboot on Fridays"));

    Event cache = r.events().get(3);
    assertThat(cache.signals(), not(hasKey("host.fqdn")));
    assertThat(cache.attributes(), not(hasKey("notes")));
    assertThat(cache.timeQuality(), is(TimeQuality.FALLBACK));
    assertThat(cache.eventTime(), equalTo(OBSERVED));

    assertThat(r.events().get(4).attributes(), hasEntry("notes", "quoted \"nickname\" inside"));
    Event staging = r.events().get(5);
    assertThat(staging.signals(), hasEntry("host.name", "web-01"));
    assertThat(staging.attributes(), hasEntry("deployment.environment", "staging"));
    assertThat(staging.attributes(), hasEntry("weft.entity.type", "host"));
  }

  @Test
  public void cmdbServicesJsonLines() throws IOException {
    Path file = RealData.testdata("inventory/cmdb-services.ndjson");
    AdapterResult r = parse(mapping("cmdb-services.yaml"), Files.readAllBytes(file));
    assertThat(r.failures(), is(empty()));
    assertThat(r.events(), hasSize(4));
    Event checkout = r.events().get(0);
    assertThat(checkout.eventId(), equalTo("inventory:cmdb-services:svc-checkout"));
    assertThat(checkout.signals(), hasEntry("service.name", "checkout"));
    assertThat(checkout.signals(), hasEntry("service.namespace", "shop"));
    assertThat(checkout.attributes(), hasEntry("team", "storefront"));
    assertThat(checkout.attributes(), hasEntry("cmdb.hosts", "[\"web-01\",\"web-02\"]"));
    assertThat(checkout.attributes(), hasEntry("tier", "1"));
    assertThat(checkout.eventTime(), equalTo(Instant.parse("2024-03-01T09:00:00Z")));
    assertThat(r.events().get(1).eventTime(), equalTo(Instant.parse("2024-03-01T08:05:00Z")));
    assertThat(r.events().get(1).attributes(), not(hasKey("team.email")));
    assertThat(r.events().get(2).eventTime(), equalTo(Instant.parse("2024-02-20T00:00:00Z")));
    Event legacy = r.events().get(3);
    assertThat(legacy.idKind(), is(IdKind.CONTENT_HASH));
    assertThat(legacy.timeQuality(), is(TimeQuality.FALLBACK));
    assertThat(legacy.signals(), not(hasKey("service.namespace")));
    assertThat(legacy.attributes(), not(hasKey("cmdb.hosts")));
    assertThat(legacy.origin().line().get(), equalTo(4L));
  }

  @Test
  public void jsonArrayRecordsCarryPointerAndLine() throws IOException {
    String json = "[\n {\"id\": \"a\", \"host\": \"h1\"},\n 5,\n {\"id\": \"c\", \"host\": null}\n]";
    AdapterResult r = parse(mappingOf(SIMPLE), json);
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.WRONG_TYPE));
    assertThat(f.origin().pointer().get(), equalTo("/1"));
    assertThat(f.origin().line().get(), equalTo(3L));
    assertThat(r.events().get(1).signals(), not(hasKey("host.name")));
    assertThat(r.events().get(1).origin().pointer().get(), equalTo("/2"));
  }

  @Test
  public void contentHashIsStableAndIgnoresOrigin() throws IOException {
    InventoryMapping noId = mappingOf("name: t\nentityType: host\n");
    Event a = parse(noId, "host,ip\nh1,10.0.0.1\n").events().get(0);
    Event b = parse(noId, "ip,host\n10.0.0.1,h1\n\n").events().get(0);
    assertThat(a.idKind(), is(IdKind.CONTENT_HASH));
    assertThat(a.eventId(), equalTo(b.eventId()));
    assertThat(a.eventId(), startsWith("inventory:h:"));
  }

  @Test
  public void wrongColumnCountFailsThatRowOnly() throws IOException {
    AdapterResult r = parse(mappingOf(SIMPLE), "id,host\n1,a\n2,b,extra\n3\n4,d\n");
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(2));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(f.reason(), containsString("line 3 has 3 cells but the header on line 1 has 2"));
    assertThat(f.origin().line().get(), equalTo(3L));
    assertThat(new String(f.fragment(), StandardCharsets.UTF_8), equalTo("2,b,extra"));
    assertThat(r.failures().get(1).origin().line().get(), equalTo(4L));
  }

  @Test
  public void anUnclosedQuoteFailsItsOwnRowAndTheRowsAfterItAreRead() throws IOException {
    AdapterResult r = parse(mappingOf(SIMPLE), "id,host\n1,a\n2,\"b\n3,c\n");
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.MALFORMED_SYNTAX));
    assertThat(r.failures().get(0).reason(), containsString("is never closed"));
  }

  @Test
  public void invalidUtf8FailsOnlyTheRowThatHoldsIt() throws IOException {
    byte[] bytes = "id,host\n1,a\n2,b?d\n3,c\n".getBytes(StandardCharsets.UTF_8);
    bytes[15] = (byte) 0xff; // the '?' of row 2
    AdapterResult r = parse(mappingOf(SIMPLE), bytes);
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    ParseFailure f = r.failures().get(0);
    assertThat(f.kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(f.reason(), containsString("line 3"));
    assertThat(f.reason(), containsString("0xff"));
    assertThat(f.origin().line().get(), equalTo(3L));
  }

  @Test
  public void invalidUtf8InJsonLinesFailsThatLine() throws IOException {
    byte[] bytes = "{\"id\":\"1\"}\n{\"id\":\"?\"}\n".getBytes(StandardCharsets.UTF_8);
    bytes[18] = (byte) 0xc3;
    AdapterResult r = parse(mappingOf(SIMPLE), bytes);
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.INVALID_ENCODING));
    assertThat(r.failures().get(0).origin().line().get(), equalTo(2L));
  }

  @Test
  public void emptyInputsAreFailuresNotEvents() throws IOException {
    InventoryMapping m = mappingOf(SIMPLE);
    assertThat(parse(m, "").failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    assertThat(parse(m, "  \n\r\n").failures().get(0).kind(), is(FailureKind.EMPTY_INPUT));
    // A header alone is zero records: nothing to lose, nothing to report.
    AdapterResult headerOnly = parse(m, "id,host\n");
    assertThat(headerOnly.records(), equalTo(0));
  }

  @Test
  public void aFiftyMegabyteCellFailsItsRowAsTooLarge() throws IOException {
    StringBuilder s = new StringBuilder("id,host\n1,a\n2,");
    s.append("x".repeat(50 * 1024 * 1024));
    s.append("\n3,c\n");
    AdapterResult r = parse(mappingOf(SIMPLE), s.toString());
    assertThat(r.events(), hasSize(2));
    assertThat(r.failures(), hasSize(1));
    assertThat(r.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
    assertThat(r.failures().get(0).reason(), containsString("column 'host'"));
  }

  @Test
  public void oversizeRawRecordIsTooLargeWithoutParsing() throws IOException {
    RawRecord raw = new RawRecord("id,host\n".getBytes(StandardCharsets.UTF_8),
        Origin.file("inventory", "big.csv"), OBSERVED, 1L << 33);
    AdapterResult r = new InventoryAdapter(mappingOf(SIMPLE)).parse(raw);
    assertThat(r.failures().get(0).kind(), is(FailureKind.TOO_LARGE));
  }

  @Test
  public void headerProblemsFailTheDocument() throws IOException {
    AdapterResult missing = parse(mappingOf(SIMPLE), "ident,host\n1,a\n");
    assertThat(missing.failures().get(0).kind(), is(FailureKind.MISSING_FIELD));
    assertThat(missing.failures().get(0).reason(), containsString("[id]"));
    AdapterResult dup = parse(mappingOf(SIMPLE), "id,host,host\n1,a,b\n");
    assertThat(dup.failures().get(0).kind(), is(FailureKind.INVALID_VALUE));
    assertThat(dup.failures().get(0).reason(), containsString("'host' twice"));
  }

  @Test
  public void badTimeCellFailsTheRowWithTheLayout() throws IOException {
    InventoryMapping m = mappingOf("name: t\nentityType: host\nid: id\n"
        + "time: {column: seen, layout: 'yyyy-MM-dd'}\n");
    AdapterResult r = parse(m, "id,seen\n1,2024-01-02\n2,yesterday\n");
    assertThat(r.events().get(0).eventTime(), equalTo(Instant.parse("2024-01-02T00:00:00Z")));
    assertThat(r.failures().get(0).kind(), is(FailureKind.INVALID_VALUE));
    assertThat(r.failures().get(0).reason(), containsString("'yesterday'"));
  }

  @Test
  public void headerlessCsvWithSemicolonsAndBom() throws IOException {
    InventoryMapping m = mappingOf("name: t\nentityType: host\nid: id\n"
        + "csv: {separator: ';', columns: [id, host]}\nsignals: {host: host.name}\n");
    AdapterResult r = parse(m, "\uFEFF1;a\n2;b\n");
    assertThat(r.failures(), is(empty()));
    assertThat(r.events(), hasSize(2));
    assertThat(r.events().get(0).eventId(), equalTo("inventory:t:1"));
    assertThat(r.events().get(0).origin().line().get(), equalTo(1L));
  }

  @Test
  public void garbageNeverThrows() throws IOException {
    InventoryAdapter a = new InventoryAdapter(mappingOf(SIMPLE));
    List<String> inputs = List.of("\"", "[", "{", "[1,2", "{\"id\":", "id\n\"\"\"", ",,,\n,,,",
        "[{\"a\":{\"b\":1},\"a.b\":2}]", "\u0000\u0001", "id,host\n\r\r\r\n");
    for (String in : inputs) {
      AdapterResult r = a.parse(new RawRecord(in.getBytes(StandardCharsets.UTF_8),
          Origin.file("inventory", "g"), OBSERVED));
      for (ParseFailure f : r.failures()) {
        assertThat(in + " -> " + f.reason(), f.kind(), not(is(FailureKind.ADAPTER_BUG)));
      }
    }
  }

  @Test
  public void eventsRoundTripThroughEventCoder() throws Exception {
    AdapterResult r = parse(mapping("cmdb-hosts.yaml"),
        Files.readAllBytes(RealData.testdata("inventory/cmdb-hosts.csv")));
    for (Event e : r.events()) {
      byte[] bytes = CoderUtils.encodeToByteArray(EventCoder.of(), e);
      assertThat(CoderUtils.decodeFromByteArray(EventCoder.of(), bytes), equalTo(e));
    }
  }

  @Test
  public void adapterIsSerializable() throws Exception {
    InventoryAdapter a = new InventoryAdapter(mapping("cmdb-hosts.yaml"));
    InventoryAdapter copy = (InventoryAdapter) org.apache.beam.sdk.util.SerializableUtils
        .clone(a);
    AdapterResult r = copy.parse(new RawRecord(
        ("asset_id,hostname,fqdn,ip_address,os,environment,owner_team,services,last_seen,notes,"
            + "internal_ticket\nA,h,,,,,,,2024-01-01 00:00:00,,\n")
            .getBytes(StandardCharsets.UTF_8), Origin.file("inventory", "x"), OBSERVED));
    assertThat(r.events().get(0).eventTime(), equalTo(Instant.parse("2023-12-31T23:00:00Z")));
  }
}
