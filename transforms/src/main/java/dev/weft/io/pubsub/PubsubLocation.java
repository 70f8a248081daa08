package dev.weft.io.pubsub;

import java.util.Optional;

/**
 * A Pub/Sub location as written on the command line: {@code
 * pubsub://projects/P/subscriptions/S[?timestampAttribute=ts&idAttribute=id]} for a source, or
 * {@code pubsub://projects/P/topics/T} for a sink. An empty {@code timestampAttribute=} reads
 * publish time; an empty {@code idAttribute=} turns source-side dedup off.
 */
public record PubsubLocation(String path, Optional<String> timestampAttribute,
    Optional<String> idAttribute) {

  public static final String SCHEME = "pubsub://";

  public static boolean matches(String location) {
    return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /** @throws IllegalArgumentException saying what is wrong and what the form is */
  public static PubsubLocation parse(String location) {
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
    if (!rest.matches("projects/[a-z][a-z0-9\\-]{2,62}/(subscriptions|topics)/[A-Za-z][\\w.~+%\\-]{2,254}")) {
      throw new IllegalArgumentException(location + " is not " + form());
    }
    Optional<String> ts = Optional.of("ts");
    Optional<String> id = Optional.of("id");
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      switch (key) {
        case "timestampAttribute" -> ts = value.isEmpty() ? Optional.empty() : Optional.of(value);
        case "idAttribute" -> id = value.isEmpty() ? Optional.empty() : Optional.of(value);
        default -> throw new IllegalArgumentException(location + ": unknown parameter '" + key
            + "' (known: timestampAttribute, idAttribute)");
      }
    }
    return new PubsubLocation(rest, ts, id);
  }

  public boolean isSubscription() {
    return path.contains("/subscriptions/");
  }

  private static String form() {
    return "pubsub://projects/PROJECT/subscriptions/SUBSCRIPTION"
        + "[?timestampAttribute=ts&idAttribute=id]";
  }
}
