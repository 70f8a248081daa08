package dev.weft.io.files;

import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Tracks which lines of a {@link LineRange} have been claimed. A claim names the line's first and
 * one-past-last byte and its number, so a checkpoint can hand the rest of the range to another
 * reader with the exact start and line number of the next line.
 */
public final class LineRangeTracker extends RestrictionTracker<LineRange, LineRangeTracker.Line>
    implements RestrictionTracker.HasProgress {

  /** A line the reader wants to emit: bytes {@code [start, end)}, number {@code number} or -1. */
  public record Line(long start, long end, long number) {}

  private LineRange range;
  private Line lastClaimed;
  private Line lastAttempted;

  public LineRangeTracker(LineRange range) {
    this.range = range;
  }

  @Override
  public boolean tryClaim(Line line) {
    if (lastAttempted != null && line.start() <= lastAttempted.start()) {
      throw new IllegalArgumentException("lines must be claimed in increasing order: " + line
          + " after " + lastAttempted);
    }
    lastAttempted = line;
    if (line.start() >= range.to()) {
      return false;
    }
    lastClaimed = line;
    return true;
  }

  @Override
  public LineRange currentRestriction() {
    return range;
  }

  @Override
  public SplitResult<LineRange> trySplit(double fractionOfRemainder) {
    long resumeFrom = lastClaimed == null ? range.from() : lastClaimed.end();
    if (lastAttempted != null && lastAttempted.start() >= range.to()) {
      return null; // finished
    }
    if (resumeFrom >= range.to()) {
      return null;
    }
    LineRange residual;
    long cut;
    if (fractionOfRemainder <= 0) {
      cut = resumeFrom;
      long nextLine = lastClaimed == null ? range.firstLine()
          : lastClaimed.number() > 0 ? lastClaimed.number() + 1 : -1;
      boolean exact = lastClaimed != null || range.exactStart();
      residual = new LineRange(cut, range.to(), nextLine, exact);
    } else {
      cut = resumeFrom + (long) Math.ceil(fractionOfRemainder * (range.to() - resumeFrom));
      if (cut >= range.to()) {
        return null;
      }
      residual = new LineRange(cut, range.to(), -1, false);
    }
    LineRange primary = new LineRange(range.from(), cut, range.firstLine(), range.exactStart());
    range = primary;
    return SplitResult.of(primary, residual);
  }

  @Override
  public void checkDone() {
    if (range.from() >= range.to()) {
      return;
    }
    if (lastAttempted == null || lastAttempted.start() < range.to()) {
      throw new IllegalStateException("lines of " + range + " were left unread; last attempted "
          + lastAttempted);
    }
  }

  @Override
  public IsBounded isBounded() {
    return IsBounded.BOUNDED;
  }

  @Override
  public Progress getProgress() {
    long done = lastClaimed == null ? 0 : Math.min(lastClaimed.end(), range.to()) - range.from();
    long total = range.to() - range.from();
    return Progress.from(done, Math.max(0, total - done));
  }
}
