package dev.weft.adapters;

import dev.weft.model.RawRecord;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.util.Arrays;
import java.util.List;

/**
 * A raw record of one or more lines (a line of a file, or an NDJSON chunk from a broker) where
 * each non-blank line is one record: one event or one failure, its origin {@code atLine(n)} when
 * the raw record holds several lines, and a failed line's own bytes (up to {@code maxLineBytes})
 * as the dead letter's payload. Shared by the adapters of line formats so they cut, count and
 * blame lines alike.
 */
final class LineRecords {
  private LineRecords() {}

  /** Parses one line; {@code at} is the line's origin. */
  interface LineParser {
    Event parse(byte[] payload, LogLines.Line line, Origin at) throws RecordRejected;
  }

  /**
   * @param format names the adapter in an ADAPTER_BUG failure
   * @param what names a record in reasons ("JSON log", "event")
   */
  static AdapterResult parse(RawRecord raw, String format, String what, int maxLineBytes,
      LineParser parser) {
    Origin origin = raw.origin();
    try {
      byte[] b = raw.payload();
      if (raw.isOversize()) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.TOO_LARGE, "the " + what
            + " record is " + raw.totalSize() + " bytes, over the reader's maximum record size",
            origin));
      }
      List<LogLines.Line> lines = LogLines.split(b, false);
      if (lines.isEmpty()) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.EMPTY_INPUT,
            "the " + what + " record is empty", origin));
      }
      AdapterResult result = new AdapterResult();
      boolean single = lines.size() == 1 && lines.get(0).index() == 0;
      for (LogLines.Line line : lines) {
        Origin at = single ? origin : origin.atLine(origin.line().orElse(1L) + line.index());
        try {
          result.add(parser.parse(b, line, at));
        } catch (RecordRejected e) {
          byte[] fragment = Arrays.copyOfRange(b, line.start(),
              line.start() + Math.min(line.length(), maxLineBytes));
          result.fail(new ParseFailure(e.kind(), e.getMessage(), at, fragment));
        }
      }
      return result;
    } catch (RuntimeException e) {
      return AdapterResult.failure(ParseFailure.of(FailureKind.ADAPTER_BUG,
          format + " adapter bug: " + e, origin));
    }
  }
}
