package dev.weft.pipelines;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The per-record files a user may leave out ({@code --outputs}). The canonical events are the
 * biggest output (about twice the input) and the binding audit the next; a user who wants the graph
 * only should not pay for writing them. What proves a run — graph, dead letters, late events, shed
 * ids, the summary — is never optional.
 */
enum OptionalOutputs {
  EVENTS,
  BINDINGS;

  /** Parses {@code events,bindings}, {@code events}, {@code none}...; an unknown name is an error. */
  static Set<OptionalOutputs> parse(String value) {
    Set<OptionalOutputs> chosen = EnumSet.noneOf(OptionalOutputs.class);
    if (value == null) {
      return EnumSet.allOf(OptionalOutputs.class);
    }
    for (String part : value.split(",")) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || name.equals("none")) {
        continue;
      }
      try {
        chosen.add(valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfiguration("--outputs=" + value + ": unknown output '" + part.trim()
            + "' (choose from events, bindings, or none; the graph, dead letters, late events,"
            + " shed ids and summary.json are always written)");
      }
    }
    return chosen;
  }
}
