package dev.weft.adapters;

import dev.weft.model.RawRecord;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.weft.model.Event;
import dev.weft.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** A Zipkin duplicate is the same record again, never another record of the same span id. */
public class ZipkinSpanIdsTest {
  private static final String CLIENT = "{\"traceId\":\"a\",\"parentId\":\"a0\",\"id\":\"a1\","
      + "\"kind\":\"CLIENT\",\"timestamp\":1000,\"localEndpoint\":{\"serviceName\":\"strongman\"}}";
  private static final String CLIENT_REORDERED = "{\"id\":\"a1\",\"kind\":\"CLIENT\","
      + "\"localEndpoint\":{\"serviceName\":\"strongman\"},\"timestamp\":1000,\"traceId\":\"a\","
      + "\"parentId\":\"a0\"}";
  private static final String SERVER_NO_FLAG = "{\"traceId\":\"a\",\"parentId\":\"a0\","
      + "\"id\":\"a1\",\"kind\":\"SERVER\",\"timestamp\":1001,"
      + "\"localEndpoint\":{\"serviceName\":\"platformapi\"}}";
  private static final String SERVER_SHARED = "{\"traceId\":\"a\",\"parentId\":\"a0\","
      + "\"id\":\"a1\",\"kind\":\"SERVER\",\"shared\":true,\"timestamp\":1001,"
      + "\"localEndpoint\":{\"serviceName\":\"platformapi\"}}";
  private static final String SERVER_OTHER_HOST = "{\"traceId\":\"a\",\"parentId\":\"a0\","
      + "\"id\":\"a1\",\"kind\":\"SERVER\",\"shared\":true,\"timestamp\":1001,"
      + "\"localEndpoint\":{\"serviceName\":\"platformapi\",\"ipv4\":\"10.0.0.2\"}}";
  private static final String KINDLESS = "{\"traceId\":\"a\",\"parentId\":\"a0\",\"id\":\"a1\","
      + "\"annotations\":[{\"timestamp\":1002,\"value\":\"ws\"}],"
      + "\"localEndpoint\":{\"serviceName\":\"platformapi\"}}";

  @Test
  public void theSameRecordAgainHasTheSameIdWhateverItsKeyOrder() {
    assertThat(id(CLIENT), equalTo(id(CLIENT)));
    assertThat(id(CLIENT_REORDERED), equalTo(id(CLIENT)));
  }

  @Test
  public void everyOtherRecordOfOneSpanIdIsItsOwnEvent() {
    Set<String> ids = new HashSet<>(List.of(id(CLIENT), id(SERVER_NO_FLAG), id(SERVER_SHARED),
        id(SERVER_OTHER_HOST), id(KINDLESS)));
    assertThat(ids, hasSize(5));
    assertThat(id(KINDLESS), not(equalTo(id(CLIENT))));
  }

  private static String id(String json) {
    List<Event> events = new ZipkinAdapter().parse(new RawRecord(
        json.getBytes(StandardCharsets.UTF_8), Origin.file("zipkin", "t.ndjson"),
        Instant.parse("2030-01-01T00:00:00Z"))).events();
    assertThat(events, hasSize(1));
    return events.get(0).eventId();
  }
}
