package dev.weft.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import dev.weft.adapters.InventoryMapping;
import dev.weft.adapters.InventoryMappingException;
import dev.weft.adapters.TextPattern;
import dev.weft.adapters.TextPatterns;
import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.PolicyException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.Test;

/**
 * A mistake in a pattern, mapping or policy file is named with the file, the line, and for a
 * misspelt name the nearest valid one; regex group names that Java refuses are explained.
 */
public class ConfigFileErrorsTest {

  private static String patternError(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> TextPatterns.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "mine.yaml"))
        .getMessage();
  }

  private static final String HDFS_LIKE = "patterns:\n"
      + "  - name: mylog\n"
      + "    regex: '^(?<date>\\d{6}) (?<level>[A-Z]+) (?<body>.*)$'\n"
      + "    time:\n"
      + "      groups: [date]\n"
      + "      layouts: ['yyMMdd']\n"
      + "    fields:\n"
      + "      level: %s\n"
      + "      body: body\n";

  @Test
  public void nearestNameIsFoundWithinAFewEdits() {
    assertThat(NearestName.among("severty", Set.of("body", "severity"), 2), is(Optional.of("severity")));
    assertThat(NearestName.among("Layouts", Set.of("layouts", "groups"), 2), is(Optional.of("layouts")));
    assertThat(NearestName.among("colour", Set.of("body", "severity"), 2), is(Optional.empty()));
  }

  @Test
  public void aMisspeltFieldTargetIsAnErrorWithFileLineAndTheNearestName() {
    String e = patternError(String.format(HDFS_LIKE, "severty"));
    assertThat(e, containsString("mine.yaml: line 8: pattern entry 0 ('mylog'): unknown field "
        + "'severty'"));
    assertThat(e, containsString("did you mean 'severity'?"));
    // The same name as an explicit attribute is what the user may have meant: accepted.
    TextPatterns ok = TextPatterns.load(new ByteArrayInputStream(String.format(HDFS_LIKE,
        "attribute:severty").getBytes(StandardCharsets.UTF_8)), "mine.yaml");
    assertThat(ok.all().keySet(), is(Set.of("mylog")));
    // A bare name far from every meaningful target stays an attribute name.
    TextPatterns.load(new ByteArrayInputStream(String.format(HDFS_LIKE, "log.origin")
        .getBytes(StandardCharsets.UTF_8)), "mine.yaml");
  }

  @Test
  public void theShippedPatternsHaveNoTargetTakenForATypo() {
    assertThat(TextPatterns.defaults().all().size(), is(5));
  }

  @Test
  public void anUnknownKeyNamesItsLineAndTheNearestKey() {
    String e = patternError(String.format(HDFS_LIKE, "severity").replace("layouts:", "layout:"));
    assertThat(e, containsString("mine.yaml: line 6: pattern entry 0 ('mylog'): unknown key "
        + "'time.layout'; did you mean 'layouts'?"));
  }

  @Test
  public void anUnderscoreInAGroupNameIsExplained() {
    String e = patternError(String.format(HDFS_LIKE, "severity").replace("(?<body>", "(?<my_body>")
        .replace("body: body", "my_body: body"));
    assertThat(e, containsString("regex group name 'my_body' is not allowed: Java regex group "
        + "names are ASCII letters and digits only"));
    assertThat(e, containsString("(?<mybody>...)"));
    assertThat(e, not(containsString("missing trailing")));
    // Lookbehinds are not group names.
    new TextPattern("lb", "^(?<=x)(?<!y)(?<t>\\d{8})$", List.of("t"), List.of("yyyyMMdd"), null,
        null, Map.of());
  }

  @Test
  public void patternsAddToEachOtherAndASameNamedOneReplaces() {
    TextPatterns mine = TextPatterns.load(new ByteArrayInputStream(String.format(HDFS_LIKE,
        "severity").replace("name: mylog", "name: hdfs").getBytes(StandardCharsets.UTF_8)),
        "mine.yaml");
    TextPatterns merged = TextPatterns.defaults().plus(mine);
    assertThat(merged.all().keySet().toString(), is("[apache, hdfs, linux, openssh, zookeeper]"));
    assertThat(merged.get("hdfs").regex(), is(mine.get("hdfs").regex()));
    assertThat(merged.get("apache").regex(), is(TextPatterns.defaults().get("apache").regex()));
  }

  @Test
  public void anUnknownMappingKeyNamesItsLineAndTheNearestKey() {
    InventoryMappingException e = assertThrows(InventoryMappingException.class,
        () -> InventoryMapping.load(new ByteArrayInputStream(("name: hosts\n"
            + "entityType: host\n"
            + "time:\n"
            + "  column: seen\n"
            + "  layot: iso\n").getBytes(StandardCharsets.UTF_8)), "hosts.yaml"));
    assertThat(e.place(), is("/time/layot"));
    assertThat(e.getMessage(), containsString("inventory mapping hosts.yaml at /time/layot "
        + "(line 5): unknown key 'layot'; did you mean 'layout'?"));
  }

  @Test
  public void anUnknownPolicyKeyNamesTheNearestKey() {
    PolicyException e = assertThrows(PolicyException.class, () -> IdentityPolicy.parse(
        "floor: 0.8\nflor: 0.9\ntypes: []\n", "policy.yaml"));
    assertThat(e.getMessage(), containsString("policy.yaml: flor (line 2): unknown key 'flor'; "
        + "did you mean 'floor'?"));
  }
}
