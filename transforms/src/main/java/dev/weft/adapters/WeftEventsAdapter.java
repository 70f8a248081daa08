package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import dev.weft.io.EventJson;
import dev.weft.io.InvalidEventJson;
import dev.weft.model.Event;

/**
 * Weft's own canonical events (format {@code weft-events}): one {@link EventJson} line per event,
 * as Weft writes them in {@code events-*.jsonl} and in spill files. Replaying them is safe because
 * each line comes back as the very event that was written ({@link EventJson#fromJson}): its {@code
 * eventId} is kept, so an event that was already processed is a duplicate for deduplication, and
 * its event time, time quality and observed time are kept, so it falls in the same windows.
 *
 * <p>The event keeps its original {@code origin} (the Zipkin file, the Kafka offset it was first
 * read from), not the replayed file's line: that is where its bytes really came from, and its
 * {@code format} stays the original adapter's. The replayed file's line is in the dead letter of
 * a line that cannot be read: not UTF-8 (INVALID_ENCODING), not JSON (MALFORMED_SYNTAX), a
 * required field absent (MISSING_FIELD), a field of the wrong type (WRONG_TYPE), an unknown enum
 * name or a bad time (INVALID_VALUE), a field Weft never writes (UNSUPPORTED), a line over {@code
 * maxLineBytes} (TOO_LARGE); the reason names the field. An event time outside the plausible
 * range ({@link PlausibleTime}) is refused here as from every other source.
 */
public final class WeftEventsAdapter implements SourceAdapter {
  public static final String FORMAT = "weft-events";
  private static final long serialVersionUID = 1L;

  private final int maxLineBytes;

  /**
   * No limit of its own: an event line Weft wrote may be longer than the log message it carries
   * (JSON escapes), and the reader's maximum record size already bounds every line.
   */
  public WeftEventsAdapter() {
    this(Integer.MAX_VALUE);
  }

  public WeftEventsAdapter(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Framing fileFraming() {
    return Framing.LINES;
  }

  @Override
  public AdapterResult parse(RawRecord raw) {
    return LineRecords.parse(raw, FORMAT, "event", maxLineBytes,
        (b, line, at) -> parseLine(b, line));
  }

  private Event parseLine(byte[] b, LogLines.Line line) throws RecordRejected {
    RecordRejected tooLarge = LogLines.tooLarge(line.length(), maxLineBytes, "the event line");
    if (tooLarge != null) {
      throw tooLarge;
    }
    String text = LogLines.decode(b, line.start(), line.end(), "the event line");
    Event e;
    try {
      e = EventJson.fromJson(text);
    } catch (InvalidEventJson invalid) {
      throw new RecordRejected(invalid.kind(), "not a Weft event line: " + invalid.getMessage());
    }
    PlausibleTime.check(e.eventTime(), "field 'eventTime'");
    return e;
  }
}
