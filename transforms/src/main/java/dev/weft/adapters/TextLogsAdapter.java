package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Plain-text logs (format {@code text-logs.NAME}), one line per record, read by a {@link
 * TextPattern}: the line must match the pattern's regex as a whole (a trailing CR is dropped
 * first); named groups give the time, severity, body, signals and attributes as the pattern maps
 * them. A line that does not match is an UNSUPPORTED failure naming the pattern; a time that fits
 * no layout is INVALID_VALUE. A record holding several lines gives one event or failure per
 * non-blank line, its origin {@code atLine(n)}. The event id is a content hash ({@link
 * LogEvents#finish}). Multi-line entries (stack traces) are not joined: each line stands alone.
 */
public final class TextLogsAdapter implements SourceAdapter {
  public static final String FORMAT_PREFIX = "text-logs.";
  private static final long serialVersionUID = 1L;

  private final TextPattern pattern;
  private final String format;
  private final int maxLineBytes;

  public TextLogsAdapter(TextPattern pattern) {
    this(pattern, LogEvents.DEFAULT_MAX_MESSAGE_BYTES);
  }

  public TextLogsAdapter(TextPattern pattern, int maxLineBytes) {
    this.pattern = pattern;
    this.format = FORMAT_PREFIX + pattern.name();
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public String format() {
    return format;
  }

  @Override
  public Framing fileFraming() {
    return Framing.LINES;
  }

  public TextPattern pattern() {
    return pattern;
  }

  @Override
  public AdapterResult parse(RawRecord raw) {
    Origin origin = raw.origin();
    try {
      byte[] b = raw.payload();
      if (raw.isOversize()) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.TOO_LARGE, "the " + format
            + " record is " + raw.totalSize() + " bytes, over the reader's maximum record size",
            origin));
      }
      List<LogLines.Line> lines = LogLines.split(b, false);
      if (lines.isEmpty()) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.EMPTY_INPUT,
            "the " + format + " record is empty", origin));
      }
      TextPattern.Compiled c = pattern.compiled();
      AdapterResult result = new AdapterResult();
      boolean single = lines.size() == 1 && lines.get(0).index() == 0;
      for (LogLines.Line line : lines) {
        Origin at = single ? origin : origin.atLine(origin.line().orElse(1L) + line.index());
        try {
          result.add(parseLine(c, b, line, at, raw.observedTime()));
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

  private Event parseLine(TextPattern.Compiled c, byte[] b, LogLines.Line line, Origin origin,
      Instant observed) throws RecordRejected {
    RecordRejected tooLarge = LogLines.tooLarge(line.length(), maxLineBytes, "the log line");
    if (tooLarge != null) {
      throw tooLarge;
    }
    String text = LogLines.decode(b, line.start(), line.end(), "the log line");
    Matcher m = c.pattern.matcher(text);
    if (!m.matches()) {
      throw new RecordRejected(FailureKind.UNSUPPORTED, "the line does not match text pattern '"
          + pattern.name() + "'");
    }
    LogTimes.Time time = c.time(m, observed, pattern.name());
    Event.Builder e = Event.builder();
    String body = null;
    boolean bodyMapped = false;
    String severity = null;
    String traceId = null;
    String spanId = null;
    for (TextPattern.Field f : c.fields) {
      String v = m.group(f.group());
      switch (f.target()) {
        case BODY:
          bodyMapped = true;
          body = v;
          break;
        case SEVERITY:
          severity = v;
          break;
        case TRACE_ID:
          traceId = v;
          break;
        case SPAN_ID:
          spanId = v;
          break;
        case SIGNAL:
          if (f.name().equals("host.name")) {
            LogEvents.host(e, v);
          } else {
            e.signal(f.name(), v);
          }
          break;
        default:
          e.attribute(f.name(), v);
      }
    }
    if (!bodyMapped) {
      body = text;
    }
    if (body != null && body.isEmpty()) {
      body = null;
    }
    return LogEvents.finish(e, format, origin, time.instant(), time.quality(), observed,
        LogSeverity.part(severity, body, traceId, spanId));
  }
}
