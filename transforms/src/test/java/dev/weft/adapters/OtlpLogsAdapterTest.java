package dev.weft.adapters;

import dev.weft.model.Framing;
import static dev.weft.adapters.TraceTesting.OBSERVED;
import static dev.weft.adapters.TraceTesting.assertRoundTrips;
import static dev.weft.adapters.TraceTesting.raw;
import static dev.weft.adapters.TraceTesting.real;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.Optional;
import org.junit.Test;

public class OtlpLogsAdapterTest {
  private final OtlpLogsAdapter adapter = new OtlpLogsAdapter();

  static int countLogs(JsonNode root) {
    int n = 0;
    for (JsonNode rl : root.path("resourceLogs")) {
      for (JsonNode sl : rl.path("scopeLogs")) {
        n += sl.path("logRecords").size();
      }
    }
    return n;
  }

  private AdapterResult parseReal(String relative) {
    AdapterResult r = adapter.parse(real(OtlpLogsAdapter.FORMAT, relative));
    assertThat("failures of " + relative, r.failures(), empty());
    assertThat(r.events().size(), equalTo(countLogs(TraceTesting.tree(relative))));
    assertRoundTrips(r.events());
    return r;
  }

  @Test
  public void describesItself() {
    assertThat(adapter.format(), equalTo("otlp-logs"));
    assertThat(adapter.fileFraming(), equalTo(Framing.DOCUMENT));
  }

  @Test
  public void readsTheCanonicalLogRequestWithEveryAnyValueType() {
    Event e = parseReal("otlp/logs.json").events().get(0);
    assertThat(e.kind(), equalTo(EventKind.LOG));
    assertThat(e.idKind(), equalTo(IdKind.CONTENT_HASH));
    assertThat(e.eventId(), startsWith("otlp-log:h:"));
    assertThat(e.eventTime(), equalTo(Instant.ofEpochSecond(1544712660L, 300_000_000L)));
    assertThat(e.timeQuality(), equalTo(TimeQuality.SOURCE));
    assertThat(e.signals(), hasEntry("service.name", "my.service"));
    assertThat(e.attributes(), hasEntry("string.attribute", "some string"));
    assertThat(e.attributes(), hasEntry("boolean.attribute", "true"));
    assertThat(e.attributes(), hasEntry("int.attribute", "10"));
    assertThat(e.attributes(), hasEntry("double.attribute", "637.704"));
    assertThat(e.attributes(), hasEntry("array.attribute", "[\"many\",\"values\"]"));
    assertThat(e.attributes(), hasEntry("map.attribute", "{\"some.map.key\":\"some value\"}"));
    assertThat(e.attributes(), hasEntry("otel.scope.name", "my.library"));
    LogPart log = e.log().orElseThrow();
    assertThat(log.severity(), equalTo(Severity.INFO));
    assertThat(log.severityNumber(), equalTo(Optional.of(10)));
    assertThat(log.severityText(), equalTo(Optional.of("Information")));
    assertThat(log.body(), equalTo(Optional.of("Example log record")));
    assertThat(log.traceId(), equalTo(Optional.of("5b8efff798038103d269b633813fc60c")));
    assertThat(log.spanId(), equalTo(Optional.of("eee19b7ec3c1b174")));
  }

  @Test
  public void readsEventsWithAStructuredBody() {
    Event e = parseReal("otlp/events.json").events().get(0);
    assertThat(e.attributes(), hasEntry("event.name", "browser.page_view"));
    assertThat(e.attributes(), hasEntry("event.attribute", "some event attribute"));
    assertThat(e.log().get().body(), equalTo(Optional.of("{\"type\":0,"
        + "\"url\":\"https://www.guidgenerator.com/online-guid-generator.aspx\","
        + "\"referrer\":\"https://wwww.google.com\",\"title\":\"Free Online GUID Generator\"}")));
    assertThat(e.log().get().traceId(), equalTo(Optional.empty()));
  }

  @Test
  public void theSameRecordTwiceHasOneIdAndADifferentRecordAnother() {
    String a = logs("{\"timeUnixNano\":\"5\",\"body\":{\"stringValue\":\"x\"}}");
    String b = logs("{\"timeUnixNano\":\"5\",\"body\":{\"stringValue\":\"y\"}}");
    String id1 = adapter.parse(raw(OtlpLogsAdapter.FORMAT, a)).events().get(0).eventId();
    String id2 = adapter.parse(raw(OtlpLogsAdapter.FORMAT, a)).events().get(0).eventId();
    String id3 = adapter.parse(raw(OtlpLogsAdapter.FORMAT, b)).events().get(0).eventId();
    assertThat(id1, equalTo(id2));
    assertThat(id1, not(equalTo(id3)));
  }

  @Test
  public void timeFallsBackToObservedTimeThenToTheReadTime() {
    Event derived = adapter.parse(raw(OtlpLogsAdapter.FORMAT,
        logs("{\"observed_time_unix_nano\":\"7000000000\",\"severity_number\":"
            + "\"SEVERITY_NUMBER_WARN2\"}"))).events().get(0);
    assertThat(derived.eventTime(), equalTo(Instant.ofEpochSecond(7)));
    assertThat(derived.timeQuality(), equalTo(TimeQuality.DERIVED));
    assertThat(derived.log().get().severity(), equalTo(Severity.WARN));
    assertThat(derived.log().get().severityNumber(), equalTo(Optional.of(14)));

    Event fallback = adapter.parse(raw(OtlpLogsAdapter.FORMAT,
        logs("{\"severityText\":\"warning\"}"))).events().get(0);
    assertThat(fallback.eventTime(), equalTo(OBSERVED));
    assertThat(fallback.timeQuality(), equalTo(TimeQuality.FALLBACK));
    assertThat(fallback.log().get().severity(), equalTo(Severity.WARN));
  }

  @Test
  public void peerAttributesAreAlsoSignals() {
    Event e = adapter.parse(raw(OtlpLogsAdapter.FORMAT, logs("{\"attributes\":[{\"key\":"
        + "\"db.system\",\"value\":{\"stringValue\":\"postgresql\"}}]}"))).events().get(0);
    assertThat(e.signals(), hasEntry("db.system", "postgresql"));
    assertThat(e.attributes(), hasEntry("db.system", "postgresql"));
  }

  @Test
  public void aBadRecordIsOneFailureAndTheOthersStay() {
    AdapterResult r = adapter.parse(raw(OtlpLogsAdapter.FORMAT,
        logs("{\"body\":{\"stringValue\":\"ok\"}},{\"body\":{\"intValue\":\"ten\"}},"
            + "{\"spanId\":\"abc\"}")));
    assertThat(r.events(), hasSize(1));
    assertThat(r.failures(), hasSize(2));
    assertThat(r.failures().get(0).origin().pointer(),
        equalTo(Optional.of("/resourceLogs/0/scopeLogs/0/logRecords/1")));
    assertThat(r.failures().get(0).reason(), containsString("body.intValue \"ten\""));
    assertThat(r.failures().get(1).kind(), equalTo(FailureKind.INVALID_VALUE));
    assertThat(r.failures().get(1).reason(), containsString("spanId \"abc\" is not 16 hex"));
  }

  @Test
  public void tracesAreRefusedNamingTheRightFormat() {
    AdapterResult r = adapter.parse(real(OtlpLogsAdapter.FORMAT, "otlp/trace.json"));
    assertThat(r.failures().get(0).reason(), containsString("otlp-traces"));
  }

  static String logs(String records) {
    return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"host.name\","
        + "\"value\":{\"stringValue\":\"h1\"}}]},\"scopeLogs\":[{\"logRecords\":[" + records
        + "]}]}]}";
  }
}
