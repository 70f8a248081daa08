package dev.weft.privacy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Optional;
import org.junit.Test;

/** Secrets in every shape a raw record carries them (dead-letter payloads, bodies). */
public class TextScrubberTest {
  private final TextScrubber builtins = new TextScrubber(PrivacyPolicy.builtins(), Optional.empty());

  private String scrub(String s) {
    return builtins.scrub(s).text();
  }

  @Test
  public void jsonPairs() {
    assertThat(scrub("{\"user\":\"bob\",\"Password\" : \"hu\\\"nter2\",\"api_token\":12345}"),
        equalTo("{\"user\":\"bob\",\"Password\" : \"[redacted]\",\"api_token\":\"[redacted]\"}"));
  }

  @Test
  public void otlpAndJaegerKeyValueObjects() {
    assertThat(scrub("{\"key\":\"http.request.header.authorization\",\"value\":"
            + "{\"stringValue\":\"Bearer abc\"}}"),
        equalTo("{\"key\":\"http.request.header.authorization\",\"value\":"
            + "{\"stringValue\":\"[redacted]\"}}"));
    assertThat(scrub("{\"key\":\"authorization\",\"type\":\"string\",\"value\":\"Basic dTpw\"}"),
        equalTo("{\"key\":\"authorization\",\"type\":\"string\",\"value\":\"[redacted]\"}"));
  }

  @Test
  public void jsonEscapedInsideAString() {
    assertThat(scrub("{\"msg\":\"{\\\"token\\\":\\\"abc\\\"}\"}"),
        equalTo("{\"msg\":\"{\\\"token\\\":\\\"[redacted]\\\"}\"}"));
  }

  @Test
  public void kubernetesEnvInYamlAndJson() {
    assertThat(scrub("env:\n  - name: DB_PASSWORD\n    value: hunter2\n"),
        equalTo("env:\n  - name: DB_PASSWORD\n    value: [redacted]\n"));
    assertThat(scrub("{\"name\":\"DB_PASSWORD\",\"value\":\"hunter2\"}"),
        equalTo("{\"name\":\"DB_PASSWORD\",\"value\":\"[redacted]\"}"));
  }

  @Test
  public void headerLinesRunToTheEndOfTheLine() {
    assertThat(scrub("GET / HTTP/1.1\r\nCookie: a=1; sid=2\r\nauthorization: Bearer x.y\r\n"),
        equalTo("GET / HTTP/1.1\r\nCookie: [redacted]\r\nauthorization: [redacted]\r\n"));
  }

  @Test
  public void queryStringsAndFormBodies() {
    assertThat(scrub("GET /cb?code=1&access_token=abc123&state=x"),
        equalTo("GET /cb?code=1&access_token=[redacted]&state=x"));
  }

  @Test
  public void scrubbingTwiceChangesNothingMore() {
    String once = scrub("password=x Authorization: Bearer y alice@example.com");
    TextScrubber.Scrubbed twice = builtins.scrub(once);
    assertThat(twice.text(), equalTo(once));
    assertThat(twice.changed(), equalTo(false));
  }

  @Test(timeout = 20_000)
  public void aHostileRunOfMarkersCostsLinearTime() {
    // 64 KiB of "token" repeated, then "=x": every position is a marker. Unbounded key patterns
    // backtracked for minutes on this; the bounded ones scan it in well under a second.
    String hostile = "token".repeat(13_000) + "=x \"" + "token".repeat(13_000) + "\":1";
    assertThat(builtins.scrub(hostile).text().length(), org.hamcrest.Matchers.greaterThan(0));
  }
}
