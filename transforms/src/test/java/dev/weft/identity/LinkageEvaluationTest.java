package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.util.List;
import org.junit.Test;

/** Scores that cannot flatter: nothing merged is not precision 1.0. */
public class LinkageEvaluationTest {
  private static Event person(String id, String truth, String email) {
    return Event.builder().eventId(id, IdKind.SOURCE_ID).origin(Origin.file("inventory", "p.csv"))
        .kind(EventKind.INVENTORY).eventTime(Events.T0, TimeQuality.FALLBACK)
        .observedTime(Events.T0).signal("person.email", email).attribute("truth", truth).build();
  }

  private static final List<Event> RECORDS = List.of(person("a", "1", "a@x.org"),
      person("b", "1", "a@x.org"), person("c", "2", "c@x.org"), person("d", "2", "d@x.org"));

  private static LinkageEvaluation.Scores score(String rule) {
    IdentityPolicy policy = IdentityPolicy.parse(String.join("\n",
        "floor: 0.9",
        "types:",
        "  - type: person",
        "    teach: all",
        "    rules:",
        "      - " + rule,
        "    block: {signals: [person.email]}"), "p.yaml");
    return LinkageEvaluation.evaluate("t", RECORDS, policy, "person",
        e -> e.attributes().get("truth"), e -> "all", false);
  }

  @Test
  public void aPolicyThatMergesNothingHasUndefinedPrecisionAndZeroRecall() {
    // Weight 0.5 never reaches the floor: nothing merges.
    LinkageEvaluation.Scores s = score("{name: email, signals: [person.email], weight: 0.5}");
    assertThat(s.mergedPairs(), is(0L));
    assertThat(Double.isNaN(s.precision()), is(true));
    assertThat(s.recall(), is(0.0));
    assertThat(s.f1(), is(0.0));
    assertThat(s.toString(), containsString("precision    n/a"));
  }

  @Test
  public void mergedPairsAreScoredAgainstTheAnswerKey() {
    LinkageEvaluation.Scores s = score("{name: email, signals: [person.email], weight: 0.95}");
    assertThat(s.truePairs(), is(2L));
    assertThat(s.mergedPairs(), is(1L));
    assertThat(s.precision(), is(1.0));
    assertThat(s.recall(), is(0.5));
  }
}
