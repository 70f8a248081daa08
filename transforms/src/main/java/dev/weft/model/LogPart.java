package dev.weft.model;

import java.util.Optional;

/** The log-specific part of an event. */
public record LogPart(
    Severity severity,
    Optional<Integer> severityNumber,
    Optional<String> severityText,
    Optional<String> body,
    Optional<String> traceId,
    Optional<String> spanId) {

  public LogPart {
    Checks.notNull(severity, "severity");
    Checks.notNull(severityNumber, "severityNumber");
    Checks.notNull(severityText, "severityText");
    Checks.notNull(body, "body");
    Checks.notNull(traceId, "traceId");
    Checks.notNull(spanId, "spanId");
  }
}
