package dev.weft.io.kafka;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A Kafka location as written on the command line: {@code
 * kafka://HOST:PORT[,HOST:PORT...]/TOPIC[,TOPIC...][?key=value&...]}. Query parameters are client
 * properties for that location only ({@code group.id}, {@code auto.offset.reset}, ...), except
 * {@code maxRecords=N}, which makes a source stop after N records (a bounded read). Secrets are
 * refused in the URI — a URI is logged and shown — and belong in {@code --kafkaPropertiesFile}.
 */
public record KafkaLocation(String bootstrapServers, List<String> topics,
    ClientProperties properties, OptionalLong maxRecords) {

  public static final String SCHEME = "kafka://";

  public static boolean matches(String location) {
    return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /** @throws IllegalArgumentException saying what is wrong and what the form is */
  public static KafkaLocation parse(String location) {
    if (!matches(location)) {
      throw new IllegalArgumentException(location + " is not " + form());
    }
    String rest = location.substring(SCHEME.length());
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(location + " names no " + (slash <= 0 ? "broker" : "topic")
          + ": write " + form());
    }
    String servers = rest.substring(0, slash);
    for (String server : servers.split(",")) {
      if (!server.matches("[^:/\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException(location + ": broker '" + server
            + "' is not HOST:PORT; write " + form());
      }
    }
    List<String> topics = Arrays.stream(rest.substring(slash + 1).split(","))
        .map(String::trim).filter(t -> !t.isEmpty()).toList();
    if (topics.isEmpty() || topics.stream().anyMatch(t -> !t.matches("[A-Za-z0-9._\\-]+"))) {
      throw new IllegalArgumentException(location + ": topic names are letters, digits, '.', '_'"
          + " and '-'; write " + form());
    }
    Map<String, String> props = new TreeMap<>();
    OptionalLong maxRecords = OptionalLong.empty();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(location + ": query parameter '" + pair
            + "' is not key=value");
      }
      String key = decode(pair.substring(0, eq));
      String value = decode(pair.substring(eq + 1));
      if (ClientProperties.isSecret(key)) {
        throw new IllegalArgumentException(location.substring(0, location.indexOf('?'))
            + ": '" + key + "' is a secret and a URI is shown in logs; put it in"
            + " --kafkaPropertiesFile instead");
      }
      if (key.equals("maxRecords")) {
        try {
          maxRecords = OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(location + ": maxRecords is not a number", e);
        }
      } else {
        props.put(key, value);
      }
    }
    return new KafkaLocation(servers, topics, ClientProperties.of(props), maxRecords);
  }

  private static String form() {
    return "kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC][?group.id=G&maxRecords=N]";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
