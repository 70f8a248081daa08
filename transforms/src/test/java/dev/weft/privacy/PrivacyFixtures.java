package dev.weft.privacy;

import dev.weft.model.DeadLetter;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Hand-made events, policies and keys for the privacy tests. */
final class PrivacyFixtures {
  static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8);
  static final byte[] OTHER_KEY = "fedcba9876543210-other-key".getBytes(StandardCharsets.UTF_8);

  private PrivacyFixtures() {}

  static Event log(String body, Map<String, String> signals, Map<String, String> attributes) {
    return Event.builder().eventId("log-1", IdKind.CONTENT_HASH)
        .origin(Origin.file("json-logs", "app.log")).eventTime(T0, TimeQuality.SOURCE)
        .observedTime(T0).signals(signals).attributes(attributes)
        .log(new LogPart(Severity.INFO, Optional.empty(), Optional.empty(),
            Optional.ofNullable(body), Optional.empty(), Optional.empty()))
        .build();
  }

  static Event attributes(Map<String, String> attributes) {
    return log(null, Map.of("service.name", "checkout"), attributes);
  }

  static DeadLetter deadLetter(String payload, String encoding, String reason) {
    return new DeadLetter(Origin.file("json-logs", "app.log"), "json-logs",
        FailureKind.MALFORMED_SYNTAX, reason, payload, encoding, payload.length(), false, T0);
  }

  static PrivacyPolicy policy(String privacySection) {
    return PrivacyPolicy.parse("privacy:\n" + privacySection, "test.yaml");
  }

  static Redactor builtins() {
    return new Redactor(PrivacyPolicy.builtins(), Optional.empty());
  }

  static Redactor withKey(String privacySection, byte[] key) {
    return new Redactor(policy(privacySection), Optional.of(key));
  }
}
