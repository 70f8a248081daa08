package dev.weft.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean": the known name nearest to a misspelt one, by edit distance, so an error about
 * {@code severty} can point at {@code severity} instead of leaving the user to compare lists.
 */
public final class NearestName {
  private NearestName() {}

  /**
   * The known name nearest to {@code name} (ignoring case) within {@code maxDistance} edits;
   * ties go to the alphabetically first. Empty when none is that close.
   */
  public static Optional<String> among(String name, Collection<String> known, int maxDistance) {
    LevenshteinDistance distance = new LevenshteinDistance(maxDistance);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : new TreeSet<>(known)) {
      int d = distance.apply(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d >= 0 && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A distance that catches typos of a key (a third of its length, at least two edits). */
  public static int typoDistance(String name) {
    return Math.max(2, name.length() / 3);
  }

  /**
   * The problem text for a key that is not one of {@code known}: {@code unknown key 'time.layot';
   * did you mean 'layout'? (known: ...)}, {@code shown} being the key as the message shows it.
   */
  public static String unknownKey(String shown, String name, Collection<String> known) {
    return "unknown key '" + shown + "'" + didYouMean(name, known)
        + " (known: " + String.join(", ", new TreeSet<>(known)) + ")";
  }

  /** {@code "; did you mean 'x'?"} for the nearest known name, or nothing. */
  public static String didYouMean(String name, Collection<String> known) {
    return among(name, known, typoDistance(name)).map(n -> "; did you mean '" + n + "'?")
        .orElse("");
  }
}
