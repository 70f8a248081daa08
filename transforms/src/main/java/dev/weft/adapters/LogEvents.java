package dev.weft.adapters;

import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.Instant;
import java.util.Map;

/** What the log adapters share: the content-hash event id and the host signal. */
final class LogEvents {
  /** Default limit of one log message or line: 1 MiB, far above any real log line. */
  static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

  private LogEvents() {}

  /**
   * Finishes a log event: its id is a content hash over the format, the event time, the whole
   * {@link LogPart} and every signal and attribute. The origin (file, line, offset) and the
   * observed time are left out so the same message delivered twice, by any path, is the same
   * event. A FALLBACK time is left out too, because it is the read time and would make every
   * replay a new event. Consequence, stated plainly: two byte-identical messages from the same
   * source within the same time unit of their timestamp are one event.
   */
  static Event finish(Event.Builder b, String format, Origin origin, Instant eventTime,
      TimeQuality quality, Instant observedTime, LogPart log) throws RecordRejected {
    if (quality != TimeQuality.FALLBACK) {
      PlausibleTime.check(eventTime, "the event time");
    }
    b.origin(origin).eventTime(eventTime, quality).observedTime(observedTime).log(log);
    Event draft = b.eventId("pending", IdKind.CONTENT_HASH).build();
    // One flat array, maps already sorted by the draft: no further map copies on the hot path.
    String[] parts = new String[9 + 2 * (draft.signals().size() + draft.attributes().size())];
    int i = 0;
    // Seconds and nanos, not Instant.toString(): same identity, a fraction of the cost.
    parts[i++] = quality == TimeQuality.FALLBACK ? "\u0000no-time"
        : eventTime.getEpochSecond() + "." + eventTime.getNano();
    parts[i++] = log.severity().name();
    parts[i++] = log.severityNumber().map(String::valueOf).orElse("\u0000");
    parts[i++] = log.severityText().orElse("\u0000");
    parts[i++] = log.body().orElse("\u0000");
    parts[i++] = log.traceId().orElse("\u0000");
    parts[i++] = log.spanId().orElse("\u0000");
    parts[i++] = "\u0001signals";
    for (Map.Entry<String, String> e : draft.signals().entrySet()) {
      parts[i++] = e.getKey();
      parts[i++] = e.getValue();
    }
    parts[i++] = "\u0001attributes";
    for (Map.Entry<String, String> e : draft.attributes().entrySet()) {
      parts[i++] = e.getKey();
      parts[i++] = e.getValue();
    }
    String id = EventIds.contentHash(format, parts);
    return new Event(id, IdKind.CONTENT_HASH, draft.origin(), draft.kind(), draft.rawKind(),
        draft.eventTime(), draft.timeQuality(), draft.observedTime(), draft.signals(),
        draft.attributes(), draft.span(), draft.log(), draft.config());
  }

  /** {@code host.ip} when the host is an IP literal, {@code host.name} otherwise. */
  static void host(Event.Builder b, String host) {
    if (host != null && !host.isEmpty()) {
      b.signal(isIpAddress(host) ? "host.ip" : "host.name", host);
    }
  }

  /** An IPv4 dotted quad or an IPv6 literal; never a DNS lookup. */
  static boolean isIpAddress(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  private static boolean isIpv4(String s) {
    int parts = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i == s.length() ? '.' : s.charAt(i);
      if (c == '.') {
        if (value < 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  private static boolean isIpv6(String s) {
    if (s.indexOf(':') < 0 || s.length() < 2 || s.length() > 45) {
      return false;
    }
    int colons = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colons++;
      } else if (!(Character.digit(c, 16) >= 0 || c == '.')) {
        return false;
      }
    }
    return colons >= 2 && colons <= 7;
  }
}
