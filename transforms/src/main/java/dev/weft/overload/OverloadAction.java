package dev.weft.overload;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What happens to an event beyond its emitter's budget (see {@link OverloadPolicy}). */
public enum OverloadAction {
  /** Dropped, counted, and its id written to the {@code shed} output. */
  SHED,
  /**
   * One in N kept (chosen by a hash of the trace id for spans, so a kept trace keeps all its
   * halves; of the event id otherwise) and weighted N, so the graph's counts stay unbiased
   * estimates; the others are counted as sampled out.
   */
  SAMPLE,
  /** Written whole, as Weft's canonical event JSON, to the spill output, for a later replay. */
  SPILL;

  public static OverloadAction parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown overload action '" + text + "': use one of "
          + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", ")));
    }
  }
}
