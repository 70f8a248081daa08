package dev.weft.privacy;

import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.model.LogPart;
import dev.weft.model.SpanPart;
import dev.weft.privacy.TextScrubber.Scrubbed;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Applies a {@link PrivacyPolicy} to one event or dead letter (a pure function plus counters).
 *
 * <ul>
 *   <li>Each signal and attribute: the first key rule that names it decides ({@code redact},
 *       {@code hash}, {@code drop}, {@code redact-literals}, {@code keep}); a value no key rule
 *       names is scrubbed as free text ({@link TextScrubber}). A signal whose value was redacted
 *       is no longer an identity signal: it moves to the attributes, so redaction can never merge
 *       two entities on a shared {@code [redacted]}. A hashed signal stays a signal and joins.
 *   <li>The log body ({@code log.body}), a span's name and status message: free text; a key rule
 *       naming {@code log.body} applies to the body as a whole.
 *   <li>A dead letter: the payload as {@link DeadLetterPayloads} says, its reason scrubbed unless
 *       the mode is {@code RAW} (parser messages quote the input).
 * </ul>
 *
 * <p>Counters in namespace {@code weft.privacy}: {@code redacted}, {@code hashed}, {@code dropped}
 * (values), {@code deadLetterPayloadsScrubbed}, {@code deadLetterPayloadsOmitted}.
 */
public final class Redactor {
  public static final String NAMESPACE = "weft.privacy";
  static final String BODY_KEY = "log.body";
  private static final Pattern SQL_STRING = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern SQL_NUMBER =
      Pattern.compile("(?<![A-Za-z0-9_$.:])-?(?:0x[0-9A-Fa-f]+|\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)"
          + "(?![A-Za-z0-9_])");

  private final PrivacyPolicy policy;
  private final Optional<KeyedHash> hash;
  private final TextScrubber text;
  private final Counter redacted = Metrics.counter(NAMESPACE, "redacted");
  private final Counter hashed = Metrics.counter(NAMESPACE, "hashed");
  private final Counter dropped = Metrics.counter(NAMESPACE, "dropped");
  private final Counter payloadsScrubbed = Metrics.counter(NAMESPACE, "deadLetterPayloadsScrubbed");
  private final Counter payloadsOmitted = Metrics.counter(NAMESPACE, "deadLetterPayloadsOmitted");

  /**
   * @param key the hashing key's bytes; required when the policy hashes
   * @throws IllegalArgumentException when the policy hashes and there is no key
   */
  public Redactor(PrivacyPolicy policy, Optional<byte[]> key) {
    if (policy.needsKey() && key.isEmpty()) {
      throw new IllegalArgumentException("the privacy policy hashes values but no key was given");
    }
    this.policy = policy;
    this.hash = key.map(KeyedHash::new);
    this.text = new TextScrubber(policy, hash);
  }

  public Event protect(Event e) {
    SortedMap<String, String> signals = new TreeMap<>();
    SortedMap<String, String> attributes = new TreeMap<>();
    for (Map.Entry<String, String> a : e.attributes().entrySet()) {
      value(a.getKey(), a.getValue()).ifPresent(v -> attributes.put(a.getKey(), v.text()));
    }
    for (Map.Entry<String, String> s : e.signals().entrySet()) {
      value(s.getKey(), s.getValue()).ifPresent(v -> {
        if (v.redacted() > 0) {
          attributes.put(s.getKey(), v.text());
        } else {
          signals.put(s.getKey(), v.text());
        }
      });
    }
    Optional<LogPart> log = e.log().map(this::log);
    Optional<SpanPart> span = e.span().map(this::span);
    return new Event(e.eventId(), e.idKind(), e.origin(), e.kind(), e.rawKind(), e.eventTime(),
        e.timeQuality(), e.observedTime(), signals, attributes, span, log, e.config());
  }

  /** The value to keep for {@code key} (empty: drop it), with what was done to it. */
  private Optional<Scrubbed> value(String key, String value) {
    Optional<PrivacyRule> rule = policy.ruleForKey(key);
    if (rule.isEmpty()) {
      Scrubbed s = count(text.scrub(value));
      if (s.dropMatches() > 0) {
        dropped.inc();
        return Optional.empty();
      }
      return Optional.of(s);
    }
    switch (rule.get().action()) {
      case KEEP:
        return Optional.of(new Scrubbed(value, 0, 0, 0));
      case DROP:
        dropped.inc();
        return Optional.empty();
      case HASH:
        hashed.inc();
        return Optional.of(new Scrubbed(hash.get().of(PersonalValues.canonical(value)), 0, 1, 0));
      case REDACT_LITERALS:
        String lit = literals(value);
        if (!lit.equals(value)) {
          redacted.inc();
        }
        // What is left is the statement's shape; still scrubbed as text for e-mails and secrets.
        return Optional.of(count(text.scrub(lit)));
      default:
        redacted.inc();
        return Optional.of(new Scrubbed(TextScrubber.REDACTED, 1, 0, 0));
    }
  }

  private Scrubbed count(Scrubbed s) {
    if (s.redacted() + s.dropMatches() > 0) {
      redacted.inc(s.redacted() + s.dropMatches());
    }
    if (s.hashed() > 0) {
      hashed.inc(s.hashed());
    }
    return s;
  }

  private LogPart log(LogPart l) {
    Optional<String> body = l.body().flatMap(b -> value(BODY_KEY, b).map(Scrubbed::text));
    return new LogPart(l.severity(), l.severityNumber(), l.severityText(), body, l.traceId(),
        l.spanId());
  }

  private SpanPart span(SpanPart s) {
    return new SpanPart(s.traceId(), s.spanId(), s.parentSpanId(), s.name().map(this::scrub),
        s.kind(), s.rawKind(), s.durationMicros(), s.status(), s.rawStatus(),
        s.statusMessage().map(this::scrub), s.shared(), s.model());
  }

  /** Free text scrubbed by the value rules and secret-looking pairs. */
  public String scrub(String freeText) {
    return count(text.scrub(freeText)).text();
  }

  public DeadLetter protect(DeadLetter d, DeadLetterPayloads mode) {
    switch (mode) {
      case RAW:
        return d;
      case NONE:
        payloadsOmitted.inc();
        return new DeadLetter(d.origin(), d.adapter(), d.errorClass(), scrub(d.reason()), "",
            "none", d.rawSize(), d.truncated() || d.rawSize() > 0, d.observedTime());
      default:
        String payload = d.payloadEncoding().equals("base64") ? scrubBytes(d.payload())
            : scrub(d.payload());
        if (!payload.equals(d.payload())) {
          payloadsScrubbed.inc();
        }
        return new DeadLetter(d.origin(), d.adapter(), d.errorClass(), scrub(d.reason()), payload,
            d.payloadEncoding(), d.rawSize(), d.truncated(), d.observedTime());
    }
  }

  /**
   * Bytes that are not UTF-8 are scrubbed as ISO-8859-1 text, which maps every byte to one
   * character and back: the ASCII shapes (headers, key=value, e-mails) are found and every other
   * byte is kept as it was.
   */
  private String scrubBytes(String base64) {
    byte[] raw = Base64.getDecoder().decode(base64);
    String asText = new String(raw, StandardCharsets.ISO_8859_1);
    String scrubbed = scrub(asText);
    return scrubbed.equals(asText) ? base64
        : Base64.getEncoder().encodeToString(scrubbed.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A SQL statement with its string and number literals replaced by {@code ?}. */
  static String literals(String sql) {
    String noStrings = SQL_STRING.matcher(sql).replaceAll("?");
    return SQL_NUMBER.matcher(noStrings).replaceAll("?");
  }
}
