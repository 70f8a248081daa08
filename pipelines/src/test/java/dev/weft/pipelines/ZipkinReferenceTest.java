package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.pipelines.ZipkinReference.Link;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The oracle's own plumbing: both file layouts read alike, traces are linked one by one and their
 * links summed. The expected links are the ones Zipkin documents for these shapes (issue 8's
 * minimal reproduction; a two-consumer fan-out through a broker).
 */
public class ZipkinReferenceTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** Kind-less fragment, shared SERVER half, CLIENT half of one id: one call strongman→platformapi. */
  private static final List<String> REPRO = List.of(
      "{\"traceId\":\"a\",\"parentId\":\"a0\",\"id\":\"a1\",\"localEndpoint\":{\"serviceName\":"
          + "\"platformapi\"},\"annotations\":[{\"timestamp\":1,\"value\":\"wr\"}]}",
      "{\"traceId\":\"a\",\"parentId\":\"a0\",\"id\":\"a1\",\"kind\":\"SERVER\",\"shared\":true,"
          + "\"timestamp\":2,\"duration\":5,\"localEndpoint\":{\"serviceName\":\"platformapi\"}}",
      "{\"traceId\":\"a\",\"parentId\":\"a0\",\"id\":\"a1\",\"kind\":\"CLIENT\",\"timestamp\":1,"
          + "\"duration\":7,\"localEndpoint\":{\"serviceName\":\"strongman\"},"
          + "\"tags\":{\"error\":\"500\"}}");

  /** A producer and two consumers through kafka, in trace b. */
  private static final List<String> FAN_OUT = List.of(
      "{\"traceId\":\"b\",\"id\":\"b1\",\"kind\":\"PRODUCER\",\"timestamp\":1,\"localEndpoint\":"
          + "{\"serviceName\":\"order\"},\"remoteEndpoint\":{\"serviceName\":\"kafka\"}}",
      "{\"traceId\":\"b\",\"parentId\":\"b1\",\"id\":\"b2\",\"kind\":\"CONSUMER\",\"timestamp\":3,"
          + "\"localEndpoint\":{\"serviceName\":\"billing\"},\"remoteEndpoint\":{\"serviceName\":"
          + "\"kafka\"}}",
      "{\"traceId\":\"b\",\"parentId\":\"b1\",\"id\":\"b3\",\"kind\":\"CONSUMER\",\"timestamp\":4,"
          + "\"localEndpoint\":{\"serviceName\":\"mailer\"},\"remoteEndpoint\":{\"serviceName\":"
          + "\"kafka\"}}");

  @Test
  public void ndjsonAndArrayGiveTheSameLinksSummedOverTraces() throws Exception {
    Path ndjson = tmp.getRoot().toPath().resolve("spans.ndjson");
    Path array = tmp.getRoot().toPath().resolve("spans.json");
    List<String> all = new java.util.ArrayList<>(REPRO);
    all.addAll(FAN_OUT);
    Files.write(ndjson, all, StandardCharsets.UTF_8);
    Files.writeString(array, "[" + String.join(",\n", all) + "]", StandardCharsets.UTF_8);

    Map<String, Link> expected = new TreeMap<>();
    // The client's error is not carried over to a shared server half (the linker checks the
    // server's parentId against the client's id), so the call counts without error.
    expected.put("strongman->platformapi", new Link(1, 0));
    expected.put("order->kafka", new Link(1, 0));
    expected.put("kafka->billing", new Link(1, 0));
    expected.put("kafka->mailer", new Link(1, 0));
    assertThat(ZipkinReference.links(ndjson), equalTo(expected));
    assertThat(ZipkinReference.links(array), equalTo(expected));
  }

  @Test
  public void theSameTraceTwiceCountsItsCallsTwice() throws Exception {
    Path f = tmp.getRoot().toPath().resolve("twice.ndjson");
    List<String> twice = new java.util.ArrayList<>(REPRO);
    REPRO.forEach(l -> twice.add(l.replace("\"traceId\":\"a\"", "\"traceId\":\"c\"")));
    Files.write(f, twice, StandardCharsets.UTF_8);
    assertThat(ZipkinReference.links(f), equalTo(Map.of("strongman->platformapi",
        new Link(2, 0))));
  }
}
