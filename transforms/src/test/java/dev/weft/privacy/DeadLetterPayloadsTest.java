package dev.weft.privacy;

import static dev.weft.privacy.PrivacyFixtures.builtins;
import static dev.weft.privacy.PrivacyFixtures.deadLetter;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.weft.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.Test;

/** What a dead letter keeps of its payload in each mode, and its reason. */
public class DeadLetterPayloadsTest {
  private static final String RAW = "{\"headers\":{\"Authorization\":\"Bearer abc\"},"
      + "\"user\":\"alice@example.com\"";
  private static final String REASON = "Unexpected end-of-input near 'alice@example.com'";

  @Test
  public void redactedScrubsThePayloadAndTheReasonAndKeepsTheRest() {
    DeadLetter d = builtins().protect(deadLetter(RAW, "utf-8", REASON), DeadLetterPayloads.REDACTED);
    assertThat(d.payload(), equalTo("{\"headers\":{\"Authorization\":\"[redacted]\"},"
        + "\"user\":\"[redacted:email]\""));
    assertThat(d.reason(), equalTo("Unexpected end-of-input near '[redacted:email]'"));
    assertThat(d.rawSize(), equalTo((long) RAW.length()));
  }

  @Test
  public void rawKeepsEverything() {
    DeadLetter in = deadLetter(RAW, "utf-8", REASON);
    assertThat(builtins().protect(in, DeadLetterPayloads.RAW), equalTo(in));
  }

  @Test
  public void noneKeepsNoPayload() {
    DeadLetter d = builtins().protect(deadLetter(RAW, "utf-8", REASON), DeadLetterPayloads.NONE);
    assertThat(d.payload(), equalTo(""));
    assertThat(d.payloadEncoding(), equalTo("none"));
    assertThat(d.reason(), not(containsString("alice")));
  }

  @Test
  public void bytesThatAreNotUtf8AreScrubbedAndOtherwiseKept() {
    byte[] raw = ("\u00ff\u00fe Cookie: sid=1\n to alice@example.com")
        .getBytes(StandardCharsets.ISO_8859_1);
    DeadLetter d = builtins().protect(deadLetter(Base64.getEncoder().encodeToString(raw),
        "base64", "invalid UTF-8"), DeadLetterPayloads.REDACTED);
    byte[] out = Base64.getDecoder().decode(d.payload());
    assertThat(new String(out, StandardCharsets.ISO_8859_1),
        equalTo("\u00ff\u00fe Cookie: [redacted]\n to [redacted:email]"));
    assertThat(out[0], equalTo((byte) 0xff));
  }
}
