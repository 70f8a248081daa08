package dev.weft.privacy;

import java.util.Arrays;
import java.util.Optional;

/** What a privacy rule does to a value it matches; named in the policy file by {@link #policyName}. */
public enum PrivacyAction {
  /** Replace the value by {@code [redacted]}; a redacted identity signal stops being a signal. */
  REDACT("redact"),
  /**
   * Replace the value by its keyed hash (HMAC-SHA256): equal values under one key give equal
   * hashes, so hashed identity signals still join; without the key the value cannot be guessed.
   */
  HASH("hash"),
  /** Remove the attribute or signal (counted). */
  DROP("drop"),
  /** Replace the literals of a SQL statement (quoted strings, numbers) by {@code ?}. */
  REDACT_LITERALS("redact-literals"),
  /**
   * Leave the value as it is, built-in rules included: for a key a built-in rule would redact
   * by mistake (an earlier rule wins).
   */
  KEEP("keep");

  private final String policyName;

  PrivacyAction(String policyName) {
    this.policyName = policyName;
  }

  public String policyName() {
    return policyName;
  }

  public static Optional<PrivacyAction> byPolicyName(String name) {
    return Arrays.stream(values()).filter(a -> a.policyName.equals(name)).findFirst();
  }
}
