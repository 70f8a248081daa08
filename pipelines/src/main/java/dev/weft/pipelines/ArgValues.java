package dev.weft.pipelines;

import java.util.Optional;

/**
 * Reads one option from the raw command line before Beam parses it (to decide things Beam's
 * options cannot tell us up front: where the workers run, what to restore from).
 */
final class ArgValues {
  private ArgValues() {}

  /** The last value of {@code --name=value} ({@code ""} for a bare {@code --name}). */
  static Optional<String> last(String[] args, String name) {
    Optional<String> found = Optional.empty();
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        found = Optional.of(a.substring(name.length() + 3));
      } else if (a.equals("--" + name)) {
        found = Optional.of("");
      }
    }
    return found;
  }
}
