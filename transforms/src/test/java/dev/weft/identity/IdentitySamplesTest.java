package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.InventoryAdapter;
import dev.weft.adapters.InventoryMapping;
import dev.weft.model.RawRecord;
import dev.weft.model.Event;
import dev.weft.model.Origin;
import dev.weft.testing.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The identity mechanism on the person-record benchmarks, through the inventory adapter and a
 * policy file alone: on every set the merged pairs must have precision at least 0.99 AND recall
 * at least 0.95 (a policy that merges nothing has undefined precision and zero recall, so it
 * fails here).
 */
public class IdentitySamplesTest {
  private static final Pattern FEBRL_ID = Pattern.compile("rec-(\\d+)-");

  static List<Event> read(String file, String mappingFile, String name) throws Exception {
    Path csv = RealData.path("identity/" + file);
    InventoryMapping mapping = InventoryMapping.load(RealData.testdata("inventory/" + mappingFile))
        .withName(name);
    AdapterResult r = new InventoryAdapter(mapping).parse(new RawRecord(Files.readAllBytes(csv),
        Origin.file(InventoryAdapter.FORMAT, csv.toString()), Instant.parse("2024-01-01T00:00:00Z")));
    assertThat(r.failures().toString(), r.failures().isEmpty(), is(true));
    return r.events();
  }

  static String febrlKey(Event e) {
    Matcher m = FEBRL_ID.matcher(e.attributes().get("rec_id"));
    if (!m.find()) {
      throw new IllegalStateException("no answer key in " + e.attributes());
    }
    return m.group(1);
  }

  private static LinkageEvaluation.Scores febrl(String... files) throws Exception {
    List<Event> records = new ArrayList<>();
    for (String f : files) {
      records.addAll(read(f, "febrl.yaml", "febrl-" + f.replace(".csv", "")));
    }
    IdentityPolicy policy = IdentityPolicy.fromFile(RealData.testdata("policies/febrl.yaml"));
    LinkageEvaluation.Scores s = LinkageEvaluation.evaluate(String.join("+", files), records,
        policy, "person", IdentitySamplesTest::febrlKey, e -> e.origin().resource(),
        files.length > 1);
    System.out.println(s);
    return s;
  }

  /** The targets: precision >= 0.99 and recall >= 0.95, from policy files alone. */
  static void assertQuality(LinkageEvaluation.Scores s) {
    // NaN (nothing merged) compares as greater than any number: rule it out first.
    assertThat(s + ": precision undefined, nothing merged", Double.isNaN(s.precision()),
        is(false));
    assertThat(s.toString(), s.precision(), greaterThanOrEqualTo(0.99));
    assertThat(s.toString(), s.recall(), greaterThanOrEqualTo(0.95));
  }

  @Test
  public void febrl1() throws Exception {
    LinkageEvaluation.Scores s = febrl("dataset1.csv");
    assertThat(s.truePairs(), is(500L));
    assertQuality(s);
  }

  @Test
  public void febrl2() throws Exception {
    LinkageEvaluation.Scores s = febrl("dataset2.csv");
    assertThat(s.truePairs(), is(1934L));
    assertQuality(s);
  }

  @Test
  public void febrl3() throws Exception {
    LinkageEvaluation.Scores s = febrl("dataset3.csv");
    assertThat(s.truePairs(), is(6538L));
    assertQuality(s);
  }

  @Test
  public void febrl4CrossFileLinks() throws Exception {
    LinkageEvaluation.Scores s = febrl("dataset4a.csv", "dataset4b.csv");
    assertThat(s.truePairs(), is(5000L));
    assertQuality(s);
  }

  @Test
  public void splink() throws Exception {
    List<Event> records = read("fake_1000_from_splink_demos.csv", "splink.yaml", "splink-demo");
    IdentityPolicy policy = IdentityPolicy.fromFile(RealData.testdata("policies/splink.yaml"));
    LinkageEvaluation.Scores s = LinkageEvaluation.evaluate("splink-demo", records, policy,
        "person", e -> e.attributes().get("cluster"), e -> "all", false);
    System.out.println(s);
    assertThat(s.truePairs(), is(2975L));
    assertQuality(s);
  }
}
