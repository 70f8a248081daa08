package dev.weft.pipelines;

import java.util.Locale;

/**
 * One {@code --sources} entry, {@code FORMAT:LOCATION}: a format name and where to read it — a
 * path or glob (local or any Beam file system), {@code kafka://HOST:PORT/TOPIC} or {@code
 * pubsub://projects/P/subscriptions/S}.
 */
public record SourceSpec(int index, String format, String location) {

  /** The transport a location names. */
  public enum Transport { FILES, KAFKA, PUBSUB }

  public static SourceSpec parse(int index, String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw new InvalidConfiguration("--sources=" + spec
          + " is not FORMAT:PATH_OR_GLOB (for example zipkin:testdata/zipkin/*.json)");
    }
    return new SourceSpec(index, spec.substring(0, colon).trim(), spec.substring(colon + 1).trim());
  }

  public Transport transport() {
    String l = location.toLowerCase(Locale.ROOT);
    if (l.startsWith("kafka://")) {
      return Transport.KAFKA;
    }
    if (l.startsWith("pubsub://")) {
      return Transport.PUBSUB;
    }
    return Transport.FILES;
  }

  /** A short, runner-safe name for the source's counters and steps: {@code 0.zipkin}. */
  public String name() {
    return index + "." + format;
  }

  @Override
  public String toString() {
    return format + ":" + location;
  }
}
