package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testing.RealDataDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Property: the graph of the real trace files does not depend on the order their spans arrive in
 * nor on redeliveries. Five times, every span list in every real Zipkin, OTLP and Jaeger trace
 * file is shuffled and about a fifth of its spans are delivered twice (copies at random places);
 * {@code graph.json} must be byte-identical to the run on the files as they are. The copies keep
 * the originals' modification time, which is the fallback time of records without one.
 */
public class TraceInvarianceTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Format and file of every real trace sample, relative to the real-data folder. */
  private static final List<String[]> TRACE_FILES = List.of(
      new String[] {"otlp-traces", "otlp/trace.json"},
      new String[] {"otlp-traces", "jaeger/otlp2jaeger-in.json"},
      new String[] {"jaeger", "jaeger/example_trace.json"},
      new String[] {"jaeger", "jaeger/trace_success.json"},
      new String[] {"jaeger", "jaeger/otlp2jaeger-out.json"},
      new String[] {"zipkin", "zipkin/ascend.json"},
      new String[] {"zipkin", "zipkin/envoy.json"},
      new String[] {"zipkin", "zipkin/messaging-kafka.json"},
      new String[] {"zipkin", "zipkin/messaging.json"},
      new String[] {"zipkin", "zipkin/messaging2.json"},
      new String[] {"zipkin", "zipkin/simple-db-p6.json"},
      new String[] {"zipkin", "zipkin/skew.json"},
      new String[] {"zipkin", "zipkin/yelp.json"},
      new String[] {"zipkin", "zipkin/zipkin2-chinese.json"},
      new String[] {"zipkin", "zipkin/zipkin2-client.json"});

  @Test
  public void shuffledAndRedeliveredTracesGiveTheSameGraphBytes() throws Exception {
    Path real = RealDataDir.root();
    byte[] expected = graph(real, "original");
    assertThat(new String(expected, StandardCharsets.UTF_8).contains("\"calls\""),
        equalTo(true));
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      Path variant = tmp.newFolder("variant-" + seed).toPath();
      for (String[] f : TRACE_FILES) {
        Path from = real.resolve(f[1]);
        Path to = variant.resolve(f[1]);
        Files.createDirectories(to.getParent());
        JsonNode doc = JSON.readTree(from.toFile());
        Files.write(to, JSON.writeValueAsBytes(permute(doc, random)));
        Files.setLastModifiedTime(to, Files.getLastModifiedTime(from));
      }
      byte[] actual = graph(variant, "run-" + seed);
      assertThat("seed " + seed, new String(actual, StandardCharsets.UTF_8),
          equalTo(new String(expected, StandardCharsets.UTF_8)));
    }
  }

  private byte[] graph(Path root, String name) throws Exception {
    List<String> args = new ArrayList<>();
    for (String[] f : TRACE_FILES) {
      args.add("--sources=" + f[0] + ":" + root.resolve(f[1]));
    }
    WeftRun run = WeftRun.of(tmp.newFolder(name).toPath(), args.toArray(new String[0]));
    assertThat(run.toString(), run.exitCode, equalTo(0));
    return Files.readAllBytes(run.output.resolve("graph.json"));
  }

  /** Shuffles every span list (a root array, any "...spans" array), redelivering about 20 %. */
  static JsonNode permute(JsonNode doc, Random random) {
    if (doc.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      doc.forEach(n -> items.add(inside(n, random)));
      return shuffled(items, random);
    }
    return inside(doc, random);
  }

  /** Copies a node, shuffling only the span lists within it; other arrays keep their order. */
  private static JsonNode inside(JsonNode node, Random random) {
    if (node.isArray()) {
      ArrayNode a = JSON.createArrayNode();
      node.forEach(n -> a.add(inside(n, random)));
      return a;
    }
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (v.isArray() && e.getKey().toLowerCase().endsWith("spans")) {
          List<JsonNode> items = new ArrayList<>();
          v.forEach(n -> items.add(inside(n, random)));
          copy.set(e.getKey(), shuffled(items, random));
        } else {
          copy.set(e.getKey(), v.isContainerNode() ? inside(v, random) : v);
        }
      }
      return copy;
    }
    return node;
  }

  private static ArrayNode shuffled(List<JsonNode> items, Random random) {
    List<JsonNode> out = new ArrayList<>(items);
    for (JsonNode n : items) {
      if (random.nextInt(5) == 0) {
        out.add(n.deepCopy());
      }
    }
    Collections.shuffle(out, random);
    ArrayNode a = JSON.createArrayNode();
    out.forEach(a::add);
    return a;
  }
}
