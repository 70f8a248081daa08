package dev.weft.io.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.weft.io.pubsub.PubsubLocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.Test;

public class KafkaLocationTest {

  @Test
  public void parsesBrokersTopicsPropertiesAndMaxRecords() {
    KafkaLocation l = KafkaLocation.parse(
        "kafka://b1:9092,b2:9093/spans,logs?group.id=weft-a&maxRecords=100");
    assertThat(l.bootstrapServers(), equalTo("b1:9092,b2:9093"));
    assertThat(l.topics(), equalTo(List.of("spans", "logs")));
    assertThat(l.properties().get("group.id"), equalTo("weft-a"));
    assertThat(l.maxRecords(), equalTo(OptionalLong.of(100)));
  }

  @Test
  public void refusesSecretsInTheUriWithoutEchoingThem() {
    try {
      KafkaLocation.parse("kafka://b1:9092/spans?ssl.key.password=hunter2");
      throw new AssertionError("expected a rejection");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("--kafkaPropertiesFile"));
      assertThat(e.getMessage(), not(containsString("hunter2")));
    }
  }

  @Test
  public void namesWhatIsMissing() {
    assertRejected("kafka://b1:9092/", "names no topic");
    assertRejected("kafka://b1/spans", "is not HOST:PORT");
    assertRejected("kafka:///spans", "names no broker");
  }

  @Test
  public void pubsubLocationsHaveDefaultsAndOverrides() {
    PubsubLocation d = PubsubLocation.parse("pubsub://projects/my-proj/subscriptions/weft-spans");
    assertThat(d.path(), equalTo("projects/my-proj/subscriptions/weft-spans"));
    assertThat(d.timestampAttribute(), equalTo(Optional.of("ts")));
    assertThat(d.idAttribute(), equalTo(Optional.of("id")));
    PubsubLocation o = PubsubLocation.parse(
        "pubsub://projects/my-proj/subscriptions/weft-spans?timestampAttribute=&idAttribute=uuid");
    assertThat(o.timestampAttribute(), equalTo(Optional.empty()));
    assertThat(o.idAttribute(), equalTo(Optional.of("uuid")));
  }

  private static void assertRejected(String uri, String why) {
    try {
      KafkaLocation.parse(uri);
      throw new AssertionError("expected a rejection of " + uri);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString(why));
    }
  }
}
