package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.weft.adapters.AdapterResult;
import dev.weft.adapters.InventoryAdapter;
import dev.weft.adapters.InventoryMapping;
import dev.weft.model.RawRecord;
import dev.weft.model.Binding;
import dev.weft.model.Event;
import dev.weft.model.EventCoder;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import dev.weft.testing.RealData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * Issue 10: inventory rows without a time column take their file's modification time, and a
 * linkage between two such files used to depend on which file was older (F1 0.96 to 0.00 when one
 * file was a second older: every row of the older file saw no alias of the newer one). Rows with a
 * fallback time are snapshots, valid for the whole run, and are decided in event-id order, so the
 * bounded {@link ResolveIdentity} gives the same decisions whatever the files' times.
 */
public class FileTimeInvarianceTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String HEADER = "rec_id, given_name, surname, street_number, address_1, "
      + "address_2, suburb, postcode, state, date_of_birth, soc_sec_id";
  /** Two files of one linkage: each person once per file, with a typo on one side. */
  private static final String LEFT = String.join("\n", HEADER,
      "rec-1-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, "
          + "19151111, 5304218",
      "rec-2-org, courtney, painter, 12, pinkerton circuit, bega flats, richlands, 4560, vic, "
          + "19161214, 4066625",
      "rec-3-org, charles, green, 38, salkauskas crescent, kela, dapto, 4566, nsw, 19480930, "
          + "4365168");
  private static final String RIGHT = String.join("\n", HEADER,
      "rec-1-dup-0, michaela, neuman, 8, stanley street, miami, winston hills, 4223, nsw, "
          + "19151111, 5304218",
      "rec-2-dup-0, courtney, painter, 12, pinkerton circ., bega flats, richlands, 4560, vic, "
          + "19161214, 4066652",
      "rec-3-dup-0, charles, green, 38, salkauskas crescent, kela, dapto, 4566, nsw, 19480903, "
          + "4365168");

  private static List<Event> read(String name, String csv, Instant fileTime) throws Exception {
    InventoryMapping mapping = InventoryMapping.load(RealData.testdata("inventory/febrl.yaml"))
        .withName("febrl-" + name);
    AdapterResult r = new InventoryAdapter(mapping).parse(new RawRecord(
        csv.getBytes(StandardCharsets.UTF_8), Origin.file(InventoryAdapter.FORMAT, name),
        fileTime));
    assertThat(r.failures().toString(), r.failures().isEmpty(), is(true));
    return r.events();
  }

  /** Decisions as an operator compares them: event, entity, decision, rule, confidence. */
  private PCollection<String> decisions(Instant leftTime, Instant rightTime, String step)
      throws Exception {
    List<TimestampedValue<Event>> events = new ArrayList<>();
    for (Event e : read("left.csv", LEFT, leftTime)) {
      events.add(TimestampedValue.of(e, new org.joda.time.Instant(e.eventTime().toEpochMilli())));
    }
    for (Event e : read("right.csv", RIGHT, rightTime)) {
      events.add(TimestampedValue.of(e, new org.joda.time.Instant(e.eventTime().toEpochMilli())));
    }
    assertThat(events.get(0).getValue().timeQuality(), is(TimeQuality.FALLBACK));
    IdentityPolicy policy = IdentityPolicy.fromFile(RealData.testdata("policies/febrl.yaml"));
    return p.apply("Read" + step, Create.timestamped(events).withCoder(EventCoder.of()))
        .apply("Resolve" + step, new ResolveIdentity(policy, Duration.ofMinutes(10), 4))
        .bindings()
        .apply("Describe" + step, MapElements.into(TypeDescriptors.strings())
            .via((Binding b) -> step + " " + b.eventId() + " " + b.entityId() + " "
                + b.decision() + " "
                + b.rule().orElse("-") + " " + b.confidence()));
  }

  @Test
  public void linkageIsTheSameWhicheverFileIsOlder() throws Exception {
    Instant t = Instant.parse("2024-05-01T12:00:00Z");
    PCollection<String> all = PCollectionList
        .of(decisions(t, t, "same"))
        .and(decisions(t.minusSeconds(1), t, "leftOlder"))
        .and(decisions(t, t.minus(Duration.ofDays(1)), "rightOlderByADay"))
        .apply(Flatten.pCollections());
    PAssert.that(all).satisfies(lines -> {
      Map<String, List<String>> byRun = new TreeMap<>();
      for (String line : lines) {
        int space = line.indexOf(' ');
        byRun.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>())
            .add(line.substring(space + 1));
      }
      byRun.values().forEach(l -> l.sort(null));
      List<String> same = byRun.get("same");
      // The answer key: each right row joins its left row: 3 entities, 3 rows ALIASED.
      Set<String> entities = new TreeSet<>();
      same.forEach(b -> entities.add(b.split(" ")[1]));
      assertThat(same.toString(), entities.size(), is(3));
      assertThat(same.toString(), same.stream().filter(b -> b.contains(" ALIASED ")).count(),
          is(3L));
      assertThat(byRun.get("leftOlder"), is(same));
      assertThat(byRun.get("rightOlderByADay"), is(same));
      return null;
    });
    p.run().waitUntilFinish();
  }
}
