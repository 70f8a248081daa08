package dev.weft.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.junit.Test;

/** A checkpoint hands the rest of a range over with the exact next line start and number. */
public class LineRangeTrackerTest {

  @Test
  public void checkpointKeepsTheNextLineNumberAndExactStart() {
    LineRangeTracker t = new LineRangeTracker(new LineRange(0, 100, 1, true));
    assertThat(t.tryClaim(new LineRangeTracker.Line(0, 10, 1)), is(true));
    assertThat(t.tryClaim(new LineRangeTracker.Line(10, 25, 2)), is(true));
    SplitResult<LineRange> split = t.trySplit(0);
    assertThat(split.getPrimary(), equalTo(new LineRange(0, 25, 1, true)));
    assertThat(split.getResidual(), equalTo(new LineRange(25, 100, 3, true)));
    // The primary is now done: the next line starts at its end.
    assertThat(t.tryClaim(new LineRangeTracker.Line(25, 40, 3)), is(false));
    t.checkDone();
  }

  @Test
  public void fractionalSplitLosesLineNumbersButNotLines() {
    LineRangeTracker t = new LineRangeTracker(new LineRange(0, 100, 1, true));
    t.tryClaim(new LineRangeTracker.Line(0, 10, 1));
    SplitResult<LineRange> split = t.trySplit(0.5);
    assertThat(split.getPrimary(), equalTo(new LineRange(0, 55, 1, true)));
    assertThat(split.getResidual(), equalTo(new LineRange(55, 100, -1, false)));
  }

  @Test
  public void lineStartingAtTheEndBelongsToTheNextRange() {
    LineRangeTracker t = new LineRangeTracker(new LineRange(0, 20, 1, true));
    assertThat(t.tryClaim(new LineRangeTracker.Line(0, 20, 1)), is(true));
    assertThat(t.tryClaim(new LineRangeTracker.Line(20, 30, 2)), is(false));
    assertThat(t.trySplit(0), nullValue());
    t.checkDone();
  }

  @Test(expected = IllegalStateException.class)
  public void stoppingEarlyIsAnError() {
    LineRangeTracker t = new LineRangeTracker(new LineRange(0, 20, 1, true));
    t.tryClaim(new LineRangeTracker.Line(0, 5, 1));
    t.checkDone();
  }
}
