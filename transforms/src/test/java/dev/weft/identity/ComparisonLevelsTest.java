package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertThrows;

import dev.weft.model.Binding;
import dev.weft.model.Decision;
import dev.weft.model.Event;
import dev.weft.model.EventKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import org.junit.Test;

/**
 * Comparison levels (Fellegi–Sunter as data): graded and negative weights, margins, several
 * blocking keys, link constraints, and the policy errors a person can make writing them.
 */
public class ComparisonLevelsTest {
  /** People compared on name (exact, then Jaro–Winkler) and email; negative weights when they differ. */
  private static final String PEOPLE = String.join("\n",
      "floor: 0.95",
      "types:",
      "  - type: person",
      "    teach: all",
      "    prior: -2",
      "    margin: MARGIN",
      "    LINK",
      "    comparisons:",
      "      - name: name",
      "        signal: person.name",
      "        levels:",
      "          - {exact: true, weight: 5}",
      "          - {jaro-winkler: 0.9, weight: 3}",
      "          - {else: true, weight: -6}",
      "      - name: email",
      "        signal: person.email",
      "        levels:",
      "          - {exact: true, weight: 4}",
      "          - {levenshtein: 1, weight: 2}",
      "          - {else: true, weight: -2}",
      "    blocks:",
      "      - {signals: [person.city]}",
      "      - {signals: [person.email]}");

  private static IdentityResolver people(double margin, String link) {
    return new IdentityResolver(IdentityPolicy.parse(PEOPLE.replace("MARGIN",
        String.valueOf(margin)).replace("LINK", link), "people.yaml"));
  }

  private static Event person(String id, String source, String... signals) {
    Event.Builder b = Event.builder().eventId(id, IdKind.SOURCE_ID)
        .origin(Origin.file("inventory", source)).kind(EventKind.INVENTORY)
        .eventTime(Events.T0, TimeQuality.SOURCE).observedTime(Events.T0);
    for (int i = 0; i < signals.length; i += 2) {
      b.signal(signals[i], signals[i + 1]);
    }
    return b.build();
  }

  private static Binding resolve(IdentityResolver r, InMemoryAliasStore store, Event e) {
    return r.resolve(e, store).bindings().get(0);
  }

  @Test
  public void fuzzyLevelLinksATypoAndTheExplanationListsEveryLevel() {
    IdentityResolver r = people(0, "");
    InMemoryAliasStore store = new InMemoryAliasStore();
    Binding first = resolve(r, store, person("a", "f", "person.name", "jonathan smith",
        "person.email", "js@example.org", "person.city", "leeds"));
    Binding typo = resolve(r, store, person("b", "f", "person.name", "jonathon smith",
        "person.email", "js@example.org", "person.city", "leeds"));
    assertThat(typo.decision(), is(Decision.ALIASED));
    assertThat(typo.entityId(), is(first.entityId()));
    assertThat(typo.rule().orElseThrow(), is("name:jaro-winkler>=0.9+email:exact"));
    // -2 + 3 + 4 = 5: confidence 1 / (1 + 2^-5).
    assertThat(typo.confidence(), is(0.969697));
    assertThat(typo.reason().orElseThrow(),
        is("match weight 5.00 = prior -2.00 + name jaro-winkler>=0.9 3.00 + email exact 4.00; "
            + "alias taught by a, valid from 2024-03-01T10:00:00Z (last seen "
            + "2024-03-01T10:00:00Z)"));
  }

  @Test
  public void aDisagreeingNameIsEvidenceAgainstAMatch() {
    // Noisy-or weights only add: the shared email alone would bind. Here the name's negative
    // level outweighs it.
    IdentityResolver r = people(0, "");
    InMemoryAliasStore store = new InMemoryAliasStore();
    resolve(r, store, person("a", "f", "person.name", "jonathan smith", "person.email",
        "shared@example.org", "person.city", "leeds"));
    Binding other = resolve(r, store, person("b", "f", "person.name", "maria garcia",
        "person.email", "shared@example.org", "person.city", "york"));
    assertThat(other.decision(), is(Decision.REFUSED_BELOW_FLOOR));
    assertThat(other.reason().orElseThrow(), containsString("- name else 6.00"));
  }

  @Test
  public void aCandidateIsFoundThroughAnyOfSeveralBlockingKeys() {
    IdentityResolver r = people(0, "");
    InMemoryAliasStore store = new InMemoryAliasStore();
    Binding first = resolve(r, store, person("a", "f", "person.name", "ann lee",
        "person.email", "ann@example.org", "person.city", "leeds"));
    // Another city (first key differs), same email (second key).
    Binding moved = resolve(r, store, person("b", "f", "person.name", "ann lee",
        "person.email", "ann@example.org", "person.city", "york"));
    assertThat(moved.decision(), is(Decision.ALIASED));
    assertThat(moved.entityId(), is(first.entityId()));
  }

  @Test
  public void theBestCandidateWinsOnlyByTheMargin() {
    Event x = person("x", "f", "person.name", "bo ek", "person.email", "bo@example.org",
        "person.city", "leeds");
    Event y = person("y", "f", "person.name", "bo ek", "person.email", "bo2@example.org",
        "person.city", "hull");
    // Found through hull (y) and through the email (x): x scores -2 + 5 + 4 = 7 (exact email),
    // y scores -2 + 5 + 2 = 5 (email one edit away); both over the floor, x leads by 2.
    Event z = person("z", "f", "person.name", "bo ek", "person.email", "bo@example.org",
        "person.city", "hull");
    for (double margin : new double[] {0, 1, 3}) {
      IdentityResolver r = people(margin, "");
      InMemoryAliasStore store = new InMemoryAliasStore();
      Binding bx = resolve(r, store, x);
      Binding by = resolve(r, store, y);
      assertThat(by.decision(), is(Decision.REFUSED_BELOW_FLOOR));
      Binding bz = resolve(r, store, z);
      if (margin == 1) {
        assertThat(bz.decision(), is(Decision.ALIASED));
        assertThat(bz.entityId(), is(bx.entityId()));
        assertThat(bz.reason().orElseThrow(), containsString("leads " + by.entityId()
            + " by 2.00 >= margin 1.00"));
      } else {
        assertThat("margin " + margin, bz.decision(), is(Decision.CONFLICT));
      }
    }
  }

  @Test
  public void oneToOneNeverJoinsAnEntityThatHoldsARecordOfItsOwnSource() {
    Event a = person("a", "left.csv", "person.name", "ann lee", "person.email",
        "ann@example.org", "person.city", "leeds");
    Event aAgain = person("a2", "left.csv", "person.name", "ann lee", "person.email",
        "ann@example.org", "person.city", "leeds");
    Event b = person("b", "right.csv", "person.name", "ann lee", "person.email",
        "ann@example.org", "person.city", "leeds");
    IdentityResolver any = people(0, "");
    InMemoryAliasStore s1 = new InMemoryAliasStore();
    Binding first = resolve(any, s1, a);
    assertThat(resolve(any, s1, aAgain).entityId(), is(first.entityId()));

    IdentityResolver oneToOne = people(0, "link: {one-to-one: true}");
    InMemoryAliasStore s2 = new InMemoryAliasStore();
    Binding left = resolve(oneToOne, s2, a);
    Binding sameFile = resolve(oneToOne, s2, aAgain);
    assertThat(sameFile.decision(), is(Decision.REFUSED_BELOW_FLOOR));
    // Refused records with equal values are still two entities (a refused person seeds its own).
    assertThat(sameFile.entityId().equals(left.entityId()), is(false));
    InMemoryAliasStore s3 = new InMemoryAliasStore();
    Binding l = resolve(oneToOne, s3, a);
    Binding r = resolve(oneToOne, s3, b);
    assertThat(r.decision(), is(Decision.ALIASED));
    assertThat(r.entityId(), is(l.entityId()));
  }

  @Test
  public void levelTestsUseTheLibrariesComparators() {
    assertThat(LevelTest.JARO_WINKLER.matches("grill", "grille", 0.95), is(true));
    assertThat(LevelTest.JARO_WINKLER.matches("grill", "sushi", 0.5), is(false));
    assertThat(LevelTest.LEVENSHTEIN.matches("blv.", "blvd.", 1), is(true));
    assertThat(LevelTest.LEVENSHTEIN.matches("blv.", "boulevard", 1), is(false));
    assertThat(LevelTest.TOKEN_SET.matches("noah watson", "watson noah", 1.0), is(true));
    assertThat(LevelTest.TOKEN_SET.matches("noah watson", "noah", 0.5), is(true));
    assertThat(LevelTest.TOKEN_SET.matches("noah watson", "ann lee", 0.5), is(false));
    assertThat(LevelTest.DATE_DAYS.matches("19800113", "1980-02-01", 30), is(true));
    assertThat(LevelTest.DATE_DAYS.matches("19800113", "19810113", 30), is(false));
    assertThat(LevelTest.DATE_DAYS.matches("19800113", "not a date", 30), is(false));
    assertThat(LevelTest.DATE_TRANSPOSED.matches("19800312", "19801203", 0), is(true));
    assertThat(LevelTest.NUMERIC.matches("41.5", "42", 0.5), is(true));
    assertThat(LevelTest.NUMERIC.matches("41", "x", 5), is(false));
    assertThat(LevelTest.SOUNDEX.matches("robert", "rupert", 0), is(true));
    assertThat(LevelTest.DOUBLE_METAPHONE.matches("smith", "smyth", 0), is(true));
    assertThat(LevelTest.DOUBLE_METAPHONE.matches("smith", "jones", 0), is(false));
  }

  @Test
  public void absentValuesAreNoEvidenceEitherWay() {
    Comparison c = new Comparison("name", java.util.List.of("person.name"),
        java.util.List.of(new Comparison.Level(LevelTest.EXACT, 0, 5),
            new Comparison.Level(LevelTest.ELSE, 0, -5)));
    assertThat(c.compare(java.util.Optional.empty(), java.util.List.of("x")).weight(), is(0.0));
    assertThat(c.compare(java.util.Optional.of("x"), java.util.List.of()).weight(), is(0.0));
    assertThat(c.compare(java.util.Optional.of("x"), java.util.List.of("y", "x")).weight(),
        is(5.0));
  }

  @Test
  public void policyMistakesInComparisonsAreNamedWithTheirPlace() {
    String bad = PEOPLE.replace("MARGIN", "0").replace("LINK", "");
    PolicyException unknown = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        bad.replace("jaro-winkler: 0.9", "jaro-wrinkler: 0.9"), "p.yaml"));
    assertThat(unknown.getMessage(), containsString(
        "types[0].comparisons[0].levels[1].jaro-wrinkler"));
    assertThat(unknown.getMessage(), containsString("unknown level test 'jaro-wrinkler'"));
    PolicyException noWeight = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        bad.replace("{exact: true, weight: 5}", "{exact: true}"), "p.yaml"));
    assertThat(noWeight.getMessage(), containsString("a level is a mapping of one test and a "
        + "'weight'"));
    PolicyException flag = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        bad.replace("{exact: true, weight: 5}", "{exact: 0.5, weight: 5}"), "p.yaml"));
    assertThat(flag.getMessage(), containsString("'exact' takes no threshold"));
    PolicyException exclusive = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        bad.replace("{signals: [person.city]}", "{signals: [person.city], exclusive: true}"),
        "p.yaml"));
    assertThat(exclusive.getMessage(), containsString("must be the type's only blocking key"));
    PolicyException both = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        bad.replace("    comparisons:", "    rules:\n      - {name: r, signals: [person.email], "
            + "weight: 0.5}\n    comparisons:"), "p.yaml"));
    assertThat(both.getMessage(), containsString("both weighted rules and comparisons"));
  }

  @Test
  public void extendsBuiltinKeepsTheShippedTypesAndAddsOwn() {
    IdentityPolicy p = IdentityPolicy.parse(String.join("\n",
        "extends: builtin",
        "types:",
        "  - type: person",
        "    rules:",
        "      - {name: email, signals: [person.email], strong: true}"), "mine.yaml");
    assertThat(p.type("service").isPresent(), is(true));
    assertThat(p.type("k8s.pod").isPresent(), is(true));
    assertThat(p.type("person").isPresent(), is(true));
    assertThat(p.floor(), is(IdentityPolicy.defaultPolicy().floor()));
    assertThat(p.subjects().get("SPAN"), is(IdentityPolicy.defaultPolicy().subjects()
        .get("SPAN")));
    PolicyException unknown = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        "extends: mine\nfloor: 0.5\n", "x.yaml"));
    assertThat(unknown.getMessage(), containsString("only 'builtin'"));
  }

  @Test
  public void confidenceIsTheLogisticOfTheMatchWeight() {
    // Sanity of the scale the floor is written in: weight 0 is even odds.
    IdentityResolver r = people(0, "");
    InMemoryAliasStore store = new InMemoryAliasStore();
    resolve(r, store, person("a", "f", "person.name", "ann lee", "person.city", "leeds"));
    // prior -2 + name jaro-winkler 3 = 1 (no email): 1/(1+2^-1) = 0.666667 < floor.
    Binding b = resolve(r, store, person("b", "f", "person.name", "ann leee", "person.city",
        "leeds"));
    assertThat(b.confidence(), is(0.666667));
    assertThat(b.decision(), is(Decision.REFUSED_BELOW_FLOOR));
    assertThat(Instant.MIN.isBefore(Events.T0), is(true));
  }
}
