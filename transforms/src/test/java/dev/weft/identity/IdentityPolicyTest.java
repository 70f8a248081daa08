package dev.weft.identity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import dev.weft.testing.RealData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;

public class IdentityPolicyTest {

  private static PolicyException problem(String... lines) {
    return assertThrows(PolicyException.class,
        () -> IdentityPolicy.parse(String.join("\n", lines), "bad.yaml"));
  }

  @Test
  public void defaultPolicyCoversTheIssuesEntityTypes() {
    IdentityPolicy p = IdentityPolicy.defaultPolicy();
    for (String t : new String[] {"service", "service.instance", "k8s.pod", "container",
        "k8s.container", "host",
        "k8s.node", "k8s.deployment", "k8s.replicaset", "k8s.statefulset", "k8s.daemonset",
        "k8s.serviceaccount", "user"}) {
      assertThat(t, p.type(t).isPresent(), is(true));
    }
    assertThat(p.floor(), is(0.8));
  }

  @Test
  public void shippedPersonPoliciesParse() {
    for (String f : new String[] {"policies/febrl.yaml", "policies/splink.yaml"}) {
      Path path = RealData.testdata(f);
      org.junit.Assume.assumeTrue(Files.exists(path));
      assertThat(IdentityPolicy.fromFile(path).type("person").isPresent(), is(true));
    }
  }

  @Test
  public void weightOutOfRangeNamesFilePlaceAndLine() {
    PolicyException e = problem(
        "floor: 0.8",
        "types:",
        "  - type: host",
        "    rules:",
        "      - name: host-ip",
        "        signals: [host.ip]",
        "        weight: 1.5",
        "    block: {signals: [host.ip]}");
    assertThat(e.file(), is("bad.yaml"));
    assertThat(e.place(), is("types[0].rules[0].weight (line 7)"));
    assertThat(e.problem(), containsString("(0, 1]"));
    assertThat(e.getMessage(), containsString("bad.yaml: types[0].rules[0].weight (line 7)"));
  }

  @Test
  public void unknownNormalizerIsNamedWithTheKnownOnes() {
    PolicyException e = problem(
        "floor: 0.8",
        "normalize:",
        "  host.name: [trim, lowercase]",
        "types:",
        "  - type: host",
        "    rules: [{name: n, signals: [host.name], strong: true}]");
    assertThat(e.place(), containsString("normalize.host.name"));
    assertThat(e.problem(), containsString("unknown normalizer 'lowercase'"));
    assertThat(e.problem(), containsString("short-hostname"));
  }

  @Test
  public void weakRulesWithoutBlockAreRefused() {
    PolicyException e = problem(
        "floor: 0.8",
        "types:",
        "  - type: host",
        "    rules: [{name: ip, signals: [host.ip], weight: 0.9}]");
    assertThat(e.place(), containsString("types[0].rules"));
    assertThat(e.problem(), containsString("no 'block'"));
  }

  @Test
  public void strongRuleWithWeightAndUnknownKeysAreRefused() {
    assertThat(problem("floor: 0.8", "types:", "  - type: h", "    rules:",
        "      - {name: a, signals: [x], strong: true, weight: 0.5}").problem(),
        containsString("takes no weight"));
    PolicyException e = problem("floor: 0.8", "threshold: 0.9", "types: []");
    assertThat(e.place(), is("threshold (line 2)"));
    assertThat(e.problem(), containsString("unknown key 'threshold'"));
  }

  @Test
  public void fallbackRuleMustFollowAStrongRuleAndTakesNoWeight() {
    assertThat(problem("floor: 0.8", "types:", "  - type: s", "    rules:",
        "      - {name: name, signals: [service.name], fallback: true}",
        "      - {name: ns-name, signals: [service.namespace, service.name], strong: true}")
        .problem(), containsString("must follow a strong rule"));
    assertThat(problem("floor: 0.8", "types:", "  - type: s", "    rules:",
        "      - {name: ns-name, signals: [service.namespace, service.name], strong: true}",
        "      - {name: name, signals: [service.name], fallback: true, weight: 0.5}")
        .problem(), containsString("neither strong nor weighted"));
  }

  @Test
  public void yamlSyntaxErrorGivesLineAndColumn() {
    PolicyException e = problem("floor: 0.8", "types:", "  - type: [host");
    assertThat(e.place(), containsString("line "));
    assertThat(e.problem(), containsString("not valid YAML"));
  }

  @Test
  public void missingFloorAndUnknownSubjectTypeAreRefused() {
    assertThat(problem("types:", "  - type: h", "    rules: [{name: a, signals: [x], strong: true}]")
        .problem(), containsString("'floor' is required"));
    PolicyException e = problem("floor: 0.8", "subject: {SPAN: [pod]}", "types:", "  - type: h",
        "    rules: [{name: a, signals: [x], strong: true}]");
    assertThat(e.problem(), containsString("unknown entity type 'pod'"));
  }

  @Test
  public void missingFileIsReportedWithItsPath() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> IdentityPolicy.fromFile(Path.of("/nonexistent/policy.yaml")));
    assertThat(e.file(), is("/nonexistent/policy.yaml"));
    assertThat(e.problem(), containsString("cannot read"));
  }

  @Test
  public void everyLineOfAnErrorIsAtLeastOne() {
    PolicyException e = problem("floor: 2", "types: []");
    assertThat(e.place(), containsString("floor"));
    assertThat(Integer.parseInt(e.place().replaceAll("\\D", "")), greaterThanOrEqualTo(1));
  }
}
