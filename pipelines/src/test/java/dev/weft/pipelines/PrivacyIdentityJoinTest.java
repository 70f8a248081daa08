package dev.weft.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Hashed e-mails still join identities: three person records, two of them one person whose names
 * are spelled differently but whose address is the same (in another case), resolved by a policy
 * whose weak rule needs the e-mail. With the address hashed under a key the two records bind to
 * one entity and the third stays apart, exactly as with the address in clear; with the address
 * redacted (the built-in rule) the two stay apart — so the join is the hash's doing.
 */
public class PrivacyIdentityJoinTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static final String POLICY = "version: 1\nfloor: 0.9\n"
      + "normalize:\n  person.email: [trim, lower]\n  person.birth_date: [digits]\n"
      + "types:\n  - type: person\n    teach: all\n    rules:\n"
      + "      - {name: email-birth, signals: [person.email, person.birth_date], weight: 0.9}\n"
      + "      - {name: name-birth, signals: [person.given_name, person.birth_date], weight: 0.9}\n"
      + "    block: {signals: [person.birth_date]}\n";
  private static final String MAPPING = "name: people\nentityType: person\ninput: csv\n"
      + "id: unique_id\nsignals:\n  first_name: person.given_name\n  dob: person.birth_date\n"
      + "  email: person.email\nattributes:\n  unique_id: unique_id\n";

  private static Map<String, String> hashed;
  private static Map<String, String> clear;
  private static Map<String, String> redacted;
  private static WeftRun hashedRun;

  @BeforeClass
  public static void resolveThreeWays() throws Exception {
    Path in = TMP.newFolder("in").toPath();
    Files.writeString(in.resolve("people.csv"), "unique_id,first_name,dob,email\n"
        + "p1,Alice,1990-01-01,alice.liddell@example.com\n"
        + "p2,Alicia,1990-01-01,Alice.Liddell@Example.COM\n"
        + "p3,Bob,1990-01-01,bob.liddell@example.com\n");
    Files.writeString(in.resolve("people.yaml"), MAPPING);
    Path key = in.resolve("privacy.key");
    Files.writeString(key, "k3y-for-the-identity-join-test\n");
    Path hashing = in.resolve("hashing.yaml");
    Files.writeString(hashing, POLICY + "privacy:\n  rules:\n    - {values: email, action: hash}\n");
    Path keeping = in.resolve("keeping.yaml");
    Files.writeString(keeping, POLICY + "privacy:\n  rules:\n    - {values: email, action: keep}\n");
    Path builtins = in.resolve("builtins.yaml");
    Files.writeString(builtins, POLICY);
    String source = "--sources=inventory.people:" + in.resolve("people.csv");
    String mapping = "--inventoryMapping=" + in.resolve("people.yaml");
    hashedRun = WeftRun.of(TMP.newFolder("hashed").toPath(), source, mapping,
        "--policy=" + hashing, "--privacyKeyFile=" + key);
    hashed = entities(hashedRun);
    clear = entities(WeftRun.of(TMP.newFolder("clear").toPath(), source, mapping,
        "--policy=" + keeping));
    redacted = entities(WeftRun.of(TMP.newFolder("redacted").toPath(), source, mapping,
        "--policy=" + builtins));
  }

  /** unique_id → entity id, from the binding audit. */
  private static Map<String, String> entities(WeftRun run) throws Exception {
    assertThat(run.toString(), run.exitCode, equalTo(0));
    Map<String, String> out = new HashMap<>();
    for (JsonNode b : run.lines("bindings-")) {
      if (b.get("entityType").asText().equals("person")) {
        String id = b.get("eventId").asText();
        out.put(id.substring(id.lastIndexOf(':') + 1), b.get("entityId").asText());
      }
    }
    assertThat(out.toString(), out.size(), equalTo(3));
    return out;
  }

  @Test
  public void hashedAddressesJoinAsTheAddressesInClearDo() {
    assertThat(clear.get("p1"), equalTo(clear.get("p2")));
    assertThat(clear.get("p3"), not(equalTo(clear.get("p1"))));
    assertThat(hashed.get("p1"), equalTo(hashed.get("p2")));
    assertThat(hashed.get("p3"), not(equalTo(hashed.get("p1"))));
  }

  @Test
  public void redactedAddressesCannotJoin() {
    assertThat(redacted.get("p1"), not(equalTo(redacted.get("p2"))));
  }

  @Test
  public void theBindingsCarryTheHashNotTheAddress() throws Exception {
    String bindings = hashedRun.lines("bindings-").toString();
    assertThat(bindings, containsString("\"person.email\":\"hmac:"));
    assertThat(bindings.toLowerCase(java.util.Locale.ROOT), not(containsString("liddell@")));
    for (JsonNode e : hashedRun.lines("events-")) {
      assertThat(e.get("signals").get("person.email").asText(), startsWith("hmac:"));
    }
  }
}
