package dev.weft.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.Test;

public class ClientPropertiesTest {
  private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule"
      + " required username=\"weft\" password=\"s3cr3t-jaas\";";

  @Test
  public void secretsAreSortedOutByName() {
    ClientProperties p = ClientProperties.parse("security.protocol=SASL_SSL;sasl.mechanism=PLAIN;"
        + "sasl.jaas.config=" + JAAS + ";ssl.truststore.password=s3cr3t-tls;group.id=g1");
    assertThat(p.plain().keySet().toString(),
        equalTo("[group.id, sasl.mechanism, security.protocol]"));
    assertThat(p.get("sasl.jaas.config"), equalTo(JAAS));
    assertThat(p.get("ssl.truststore.password"), equalTo("s3cr3t-tls"));
  }

  @Test
  public void toStringShowsNamesButNeverSecretValues() {
    ClientProperties p = ClientProperties.parse("sasl.jaas.config=" + JAAS
        + ";ssl.key.password=s3cr3t-key;ssl.keystore.key=PEM;security.protocol=SASL_SSL");
    String shown = p.toString();
    assertThat(shown, containsString("sasl.jaas.config=[redacted]"));
    assertThat(shown, containsString("security.protocol=SASL_SSL"));
    assertThat(shown, not(containsString("s3cr3t")));
    assertThat(shown, not(containsString("PEM")));
  }

  @Test
  public void laterPropertiesWin() {
    ClientProperties p = ClientProperties.parse("group.id=a;max.poll.records=5")
        .with(ClientProperties.parse("group.id=b"));
    assertThat(p.get("group.id"), equalTo("b"));
    assertThat(p.get("max.poll.records"), equalTo("5"));
  }

  @Test
  public void malformedPairIsNamedByKeyOnly() {
    try {
      ClientProperties.parse("group.id=a\nsasl.jaas.config");
      throw new AssertionError("expected a rejection");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("'sasl.jaas.config' has no '='"));
    }
  }
}
