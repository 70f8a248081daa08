package dev.weft.privacy;

import java.util.Arrays;
import java.util.Optional;

/** Personal data recognised by its shape, wherever it appears in a value or a text. */
public enum ValueKind {
  EMAIL("email"),
  IP("ip");

  private final String policyName;

  ValueKind(String policyName) {
    this.policyName = policyName;
  }

  public String policyName() {
    return policyName;
  }

  public static Optional<ValueKind> byPolicyName(String name) {
    return Arrays.stream(values()).filter(k -> k.policyName.equals(name)).findFirst();
  }
}
