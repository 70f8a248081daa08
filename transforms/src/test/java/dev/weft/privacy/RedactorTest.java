package dev.weft.privacy;

import static dev.weft.privacy.PrivacyFixtures.KEY;
import static dev.weft.privacy.PrivacyFixtures.OTHER_KEY;
import static dev.weft.privacy.PrivacyFixtures.attributes;
import static dev.weft.privacy.PrivacyFixtures.builtins;
import static dev.weft.privacy.PrivacyFixtures.log;
import static dev.weft.privacy.PrivacyFixtures.withKey;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.weft.model.Event;
import java.util.Map;
import org.junit.Test;

/** The rules applied to canonical events: one behaviour per test. */
public class RedactorTest {

  @Test
  public void builtInRulesRedactSecretKeysWhateverTheirCaseOrPlaceInTheName() {
    Event e = builtins().protect(attributes(Map.of(
        "http.request.header.authorization", "Bearer abc.def",
        "Cookie", "session=42",
        "db.password", "hunter2",
        "api_token", "t-123",
        "client_secret", "s3cr3t",
        "http.method", "GET")));
    assertThat(e.attributes(), hasEntry("http.request.header.authorization", "[redacted]"));
    assertThat(e.attributes(), hasEntry("Cookie", "[redacted]"));
    assertThat(e.attributes(), hasEntry("db.password", "[redacted]"));
    assertThat(e.attributes(), hasEntry("api_token", "[redacted]"));
    assertThat(e.attributes(), hasEntry("client_secret", "[redacted]"));
    assertThat(e.attributes(), hasEntry("http.method", "GET"));
  }

  @Test
  public void kubernetesKindAndContainerNamesAreNotMistakenForSecretFields() {
    Event e = builtins().protect(attributes(Map.of(
        "k8s.secret.name", "db-credentials",
        "k8s.container.token-refresher.image", "refresher:1.2")));
    assertThat(e.attributes(), hasEntry("k8s.secret.name", "db-credentials"));
    assertThat(e.attributes(), hasEntry("k8s.container.token-refresher.image", "refresher:1.2"));
  }

  @Test
  public void eMailsAreRedactedByDefaultInBodiesAndValues() {
    Event e = builtins().protect(log("login by Alice.Smith@Example.com from 10.0.0.7",
        Map.of(), Map.of("user.contact", "mail alice@example.org please")));
    assertThat(e.log().get().body().get(), equalTo("login by [redacted:email] from 10.0.0.7"));
    assertThat(e.attributes(), hasEntry("user.contact", "mail [redacted:email] please"));
  }

  @Test
  public void secretPairsInsideABodyAreRedacted() {
    Event e = builtins().protect(log("retry with password=hunter2&user=bob; "
        + "Authorization: Bearer eyJhbGciOi.xyz", Map.of(), Map.of()));
    assertThat(e.log().get().body().get(),
        equalTo("retry with password=[redacted]&user=bob; Authorization: [redacted]"));
  }

  @Test
  public void aRedactedSignalStopsBeingASignalSoItCannotMergeEntities() {
    Event e = builtins().protect(log(null, Map.of("enduser.id", "alice@example.com",
        "service.name", "shop"), Map.of()));
    assertThat(e.signals(), not(hasKey("enduser.id")));
    assertThat(e.signals(), hasEntry("service.name", "shop"));
    assertThat(e.attributes(), hasEntry("enduser.id", "[redacted:email]"));
  }

  @Test
  public void hashedSignalsStayIdentitySignalsAndSpellingsOfOneAddressHashAlike() {
    Redactor r = withKey("  rules:\n    - {values: email, action: hash}\n", KEY);
    String a = r.protect(log(null, Map.of("enduser.id", "Alice@Example.com"), Map.of()))
        .signals().get("enduser.id");
    String b = r.protect(log(null, Map.of("enduser.id", " alice@example.com "), Map.of()))
        .signals().get("enduser.id");
    String c = r.protect(log(null, Map.of("enduser.id", "bob@example.com"), Map.of()))
        .signals().get("enduser.id");
    assertThat(a, startsWith("hmac:"));
    // The surrounding blanks stay (the identity normalizer trims them); the address hashes alike.
    assertThat(a, equalTo(b.strip()));
    assertThat(a, not(equalTo(c)));
  }

  @Test
  public void theHashDependsOnTheKeyAndIsTheStandardHmacSha256() throws Exception {
    String section = "  rules:\n    - {keys: [person.email], action: hash}\n";
    Event in = log(null, Map.of("person.email", "alice@example.com"), Map.of());
    String one = withKey(section, KEY).protect(in).signals().get("person.email");
    String other = withKey(section, OTHER_KEY).protect(in).signals().get("person.email");
    assertThat(one, not(equalTo(other)));
    // Independent oracle: the JDK's HmacSHA256 over the canonical (lower-cased) address.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
    byte[] h = mac.doFinal("alice@example.com".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(one, equalTo("hmac:" + java.util.HexFormat.of().formatHex(h).substring(0, 32)));
  }

  @Test
  public void aKeyRuleAndAValueRuleHashOneAddressAlike() {
    Redactor r = withKey("  rules:\n    - {keys: [person.email], action: hash}\n"
        + "    - {values: email, action: hash}\n", KEY);
    Event e = r.protect(log("from ALICE@example.com", Map.of("person.email", "alice@example.com"),
        Map.of()));
    assertThat(e.log().get().body().get(), equalTo("from " + e.signals().get("person.email")));
  }

  @Test
  public void ipsAreHashedOnRequestAndSpellingsOfOneAddressJoin() {
    Redactor r = withKey("  rules:\n    - {values: ip, action: hash}\n", KEY);
    Event e = r.protect(log("peer 10.0.0.7 and fe80::1 and version 1.2.3.4.5 at 12:30:45",
        Map.of("host.ip", "010.0.0.7", "k8s.pod.ip", "fe80:0:0:0:0:0:0:1"), Map.of()));
    String v4 = e.signals().get("host.ip");
    String v6 = e.signals().get("k8s.pod.ip");
    assertThat(v4, startsWith("hmac:"));
    assertThat(e.log().get().body().get(),
        equalTo("peer " + v4 + " and " + v6 + " and version 1.2.3.4.5 at 12:30:45"));
  }

  @Test
  public void dropRemovesTheAttribute() {
    Event e = withKey("  rules:\n    - {keys: [http.user_agent], action: drop}\n", KEY)
        .protect(attributes(Map.of("http.user_agent", "Mozilla/5.0", "http.method", "GET")));
    assertThat(e.attributes(), not(hasKey("http.user_agent")));
    assertThat(e.attributes(), hasEntry("http.method", "GET"));
  }

  @Test
  public void statementLiteralsAreRedactedOnRequest() {
    Redactor r = withKey("  rules:\n    - {keys: [db.statement], action: redact-literals}\n",
        KEY);
    Event e = r.protect(attributes(Map.of("db.statement",
        "SELECT * FROM users WHERE name = 'O''Brien' AND age > 42 AND t2.id = $1")));
    assertThat(e.attributes(), hasEntry("db.statement",
        "SELECT * FROM users WHERE name = ? AND age > ? AND t2.id = $1"));
    Event untouched = builtins().protect(attributes(Map.of("db.statement",
        "SELECT 1 FROM t WHERE x = 'a'")));
    assertThat(untouched.attributes(), hasEntry("db.statement", "SELECT 1 FROM t WHERE x = 'a'"));
  }

  @Test
  public void anEarlierKeepRuleExemptsAKeyFromTheBuiltIns() {
    Event e = withKey("  rules:\n    - {keys: [gen_ai.usage.input_tokens], action: keep}\n", KEY)
        .protect(attributes(Map.of("gen_ai.usage.input_tokens", "42", "auth_token", "x")));
    assertThat(e.attributes(), hasEntry("gen_ai.usage.input_tokens", "42"));
    assertThat(e.attributes(), hasEntry("auth_token", "[redacted]"));
  }

  @Test
  public void aRuleNamingTheLogBodyAppliesToTheWholeBody() {
    Event e = withKey("  rules:\n    - {keys: [log.body], action: hash}\n", KEY)
        .protect(log("card 4111-1111", Map.of(), Map.of()));
    assertThat(e.log().get().body().get(), startsWith("hmac:"));
  }

  @Test
  public void withoutBuiltInsNothingIsRedactedUnlessARuleSaysSo() {
    Event e = new Redactor(PrivacyFixtures.policy("  builtins: false\n"), java.util.Optional.empty())
        .protect(log("alice@example.com", Map.of(), Map.of("password", "x")));
    assertThat(e.attributes(), hasEntry("password", "x"));
    assertThat(e.log().get().body().get(), equalTo("alice@example.com"));
  }

  @Test
  public void notEMailsAreLeftAlone() {
    Event e = builtins().protect(log("npm react@18.2.0 image nginx@sha256:abc", Map.of(),
        Map.of()));
    assertThat(e.log().get().body().get(), equalTo("npm react@18.2.0 image nginx@sha256:abc"));
  }
}
