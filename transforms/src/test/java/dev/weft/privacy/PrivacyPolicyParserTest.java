package dev.weft.privacy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.weft.identity.IdentityPolicy;
import dev.weft.identity.PolicyException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

/** The privacy: section of the policy file, and the problems it reports. */
public class PrivacyPolicyParserTest {

  private static PolicyException failure(String section) {
    try {
      PrivacyPolicy.parse("privacy:\n" + section, "p.yaml");
    } catch (PolicyException e) {
      return e;
    }
    throw new AssertionError("no problem reported for:\n" + section);
  }

  @Test
  public void noSectionMeansTheBuiltInRules() {
    assertThat(PrivacyPolicy.parse("floor: 0.8\n", "p.yaml"), equalTo(PrivacyPolicy.builtins()));
  }

  @Test
  public void ownRulesComeBeforeTheBuiltIns() {
    PrivacyPolicy p = PrivacyPolicy.parse("privacy:\n  rules:\n"
        + "    - {name: emails, values: email, action: hash}\n"
        + "    - {key-contains: [session], action: drop}\n", "p.yaml");
    assertThat(p.rules().size(), equalTo(4));
    assertThat(p.rules().get(0).name(), equalTo("emails"));
    assertThat(p.ruleForValues(ValueKind.EMAIL).get().action(), equalTo(PrivacyAction.HASH));
    assertThat(p.ruleForKey("http.SESSION_id").get().action(), equalTo(PrivacyAction.DROP));
    assertThat(p.ruleForKey("db.password").get(), equalTo(PrivacyPolicy.BUILTIN_SECRETS));
    assertThat(p.needsKey(), equalTo(true));
  }

  @Test
  public void builtinsCanBeTurnedOff() {
    PrivacyPolicy p = PrivacyPolicy.parse("privacy:\n  builtins: false\n", "p.yaml");
    assertThat(p.rules(), equalTo(List.of()));
    assertThat(p.ruleForKey("password"), equalTo(Optional.empty()));
  }

  @Test
  public void anUnknownActionNamesThePlaceAndTheKnownActions() {
    PolicyException e = failure("  rules:\n    - {keys: [a], action: hide}\n");
    assertThat(e.getMessage(), equalTo("p.yaml: privacy.rules[0].action: unknown action 'hide'; "
        + "known: redact, hash, drop, redact-literals, keep"));
  }

  @Test
  public void aRuleNamesKeysOrValuesNotBoth() {
    assertThat(failure("  rules:\n    - {keys: [a], values: email, action: hash}\n")
        .getMessage(), containsString("privacy.rules[0]: a rule names either"));
    assertThat(failure("  rules:\n    - {action: hash}\n").getMessage(),
        containsString("not neither"));
  }

  @Test
  public void otherProblemsAreNamed() {
    assertThat(failure("  rules:\n    - {values: phone, action: hash}\n").getMessage(),
        containsString("privacy.rules[0].values: unknown kind of value 'phone'; known: email, ip"));
    assertThat(failure("  rules:\n    - {values: email, action: redact-literals}\n")
        .getMessage(), containsString("'redact-literals' applies to named keys"));
    assertThat(failure("  rule: []\n").getMessage(),
        containsString("privacy.rule: unknown key 'rule'"));
    assertThat(failure("  builtins: maybe\n").getMessage(),
        containsString("'builtins' must be true or false"));
    assertThat(failure("  rules:\n    - {keys: [a]}\n").getMessage(),
        containsString("'action' is required"));
  }

  @Test
  public void theShippedPolicyFileReadsAsBothIdentityAndPrivacyPolicy() throws Exception {
    String text;
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream(IdentityPolicy.DEFAULT_RESOURCE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(text, containsString("\nprivacy:"));
    IdentityPolicy.parse(text, "policy.yaml");
    PrivacyPolicy p = PrivacyPolicy.parse(text, "policy.yaml");
    assertThat(p.needsKey(), equalTo(false));
    assertThat(p.ruleForKey("http.request.header.authorization").get().action(),
        equalTo(PrivacyAction.REDACT));
  }
}
