package dev.weft.overload;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * The overload policy: at most {@code budget} events per emitter per {@code window} of event time
 * go on to identity resolution and the graph; the events beyond it get {@code action}. An
 * emitter is what sends the events (see {@link Emitter}), so a log storm from one service or a hot
 * key is bounded while every other emitter is untouched. {@code sampleEvery} is the N of {@link
 * OverloadAction#SAMPLE}. A budget of 0 means no budget.
 */
public record OverloadPolicy(long budget, OverloadAction action, int sampleEvery,
    Duration window) implements Serializable {

  public OverloadPolicy {
    if (budget < 0) {
      throw new IllegalArgumentException("the overload budget cannot be negative, got " + budget);
    }
    if (action == null) {
      throw new IllegalArgumentException("an overload action is required");
    }
    if (sampleEvery < 2) {
      throw new IllegalArgumentException(
          "sampling keeps 1 in N events, N must be at least 2, got " + sampleEvery);
    }
    if (window == null || !window.isLongerThan(Duration.ZERO)) {
      throw new IllegalArgumentException("the budget window must be positive, got " + window);
    }
  }

  public static OverloadPolicy unlimited() {
    return new OverloadPolicy(0, OverloadAction.SPILL, 10, Duration.standardMinutes(1));
  }

  public boolean limited() {
    return budget > 0;
  }
}
