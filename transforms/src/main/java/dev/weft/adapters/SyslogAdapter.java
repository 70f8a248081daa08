package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.TimeQuality;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Syslog (format {@code syslog}): RFC 5424 and RFC 3164 (BSD) messages, with or without PRI, in a
 * stream framed by RFC 6587 octet counting or non-transparent framing (see {@link SyslogFrames}).
 * One raw record may hold many messages; each becomes one LOG event or one {@link ParseFailure}
 * whose origin points at the message: {@code atLine(n)} for LF/NUL-framed streams (1-based,
 * relative to the record's own line when it has one), and the pointer {@code /i} (0-based message
 * index) in both framings.
 *
 * <p>Mapping: PRI severity to the OpenTelemetry scale as in {@link LogSeverity} (emerg 24, alert
 * 23, crit 22, err 17, warning 13, notice 10, info 9, debug 5), the syslog keyword as {@code
 * severityText}, and the raw numbers as attributes {@code syslog.severity} and {@code
 * syslog.facility}; no PRI means severity UNSPECIFIED. HOSTNAME is the signal {@code host.ip}
 * when it is an IP literal, else {@code host.name}; APP-NAME (the RFC 3164 TAG) is {@code
 * service.name}; a numeric PROCID is {@code process.pid} (otherwise attribute {@code
 * syslog.procid}); MSGID is {@code syslog.msgid}; each structured-data parameter is {@code
 * syslog.sd.<sd-id>.<param>} (a repeated parameter's values joined by a comma); {@code
 * syslog.protocol} says {@code rfc5424} or {@code rfc3164}. The NILVALUE {@code -} is absent.
 *
 * <p>Time: RFC 5424 timestamps are RFC 3339 instants (SOURCE); a NILVALUE timestamp falls back to
 * the observed time (FALLBACK). RFC 3164 timestamps have no year and no zone: the zone is taken as
 * UTC and the year is the latest that does not put the time after the record's observed time
 * (give or take an hour of clock skew), so a "Dec 31" message read on January 1st lands in the old
 * year and a February message read in November in this year, never the next (DERIVED). Every
 * stated time must be plausible ({@link PlausibleTime}), else the message is dead-lettered. An RFC 3339 timestamp in the RFC 3164 position (rsyslog's forward format) is
 * accepted as SOURCE.
 *
 * <p>Event id: a content hash ({@link LogEvents#finish}) over the event time, PRI-derived
 * severity, HOSTNAME, APP-NAME, PROCID, MSGID, facility, every structured-data parameter and the
 * MSG text, i.e. over everything the message says and nothing about how or when it was read.
 *
 * <p>The MSG is kept byte for byte (leading and inner spaces too), without a leading UTF-8 BOM and
 * without trailing CR/LF. Messages over {@code maxMessageBytes} fail as TOO_LARGE.
 */
public final class SyslogAdapter implements SourceAdapter {
  public static final String FORMAT = "syslog";
  private static final long serialVersionUID = 1L;
  private static final String[] MONTHS =
      {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

  private final int maxMessageBytes;

  public SyslogAdapter() {
    this(LogEvents.DEFAULT_MAX_MESSAGE_BYTES);
  }

  public SyslogAdapter(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Framing fileFraming() {
    // Streamed, never one document: a syslog file can be any size (see ReadFileRecords).
    return Framing.OCTET_COUNTED_OR_LINES;
  }

  @Override
  public AdapterResult parse(RawRecord raw) {
    Origin origin = raw.origin();
    try {
      byte[] b = raw.payload();
      if (raw.isOversize()) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.TOO_LARGE, "the syslog record"
            + " is " + raw.totalSize() + " bytes, over the reader's maximum record size", origin));
      }
      if (LogLines.isBlank(b, 0, b.length)) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.EMPTY_INPUT,
            "the syslog record is empty", origin));
      }
      AdapterResult result = new AdapterResult();
      List<SyslogFrames.Frame> frames = SyslogFrames.cut(b, maxMessageBytes);
      for (SyslogFrames.Frame f : frames) {
        Origin at = originOf(origin, f);
        if (f.error() != null) {
          result.fail(new ParseFailure(f.error().kind(), f.error().getMessage(), at,
              fragment(b, f)));
          continue;
        }
        try {
          String text = LogLines.decode(b, f.start(), f.end(), "the message");
          result.add(parseMessage(text, at, raw.observedTime()));
        } catch (RecordRejected e) {
          result.fail(new ParseFailure(e.kind(), e.getMessage() + " (message " + f.index() + ")",
              at, fragment(b, f)));
        }
      }
      return result;
    } catch (RuntimeException e) {
      return AdapterResult.failure(ParseFailure.of(FailureKind.ADAPTER_BUG,
          "syslog adapter bug: " + e, origin));
    }
  }

  /** A dead letter keeps the message's own bytes, capped so a huge one cannot bloat it. */
  private byte[] fragment(byte[] b, SyslogFrames.Frame f) {
    return Arrays.copyOfRange(b, f.start(), f.start() + Math.min(f.end() - f.start(),
        maxMessageBytes));
  }

  private static Origin originOf(Origin origin, SyslogFrames.Frame f) {
    Origin at = origin.at("/" + f.index());
    if (f.lineIndex() >= 0) {
      at = at.atLine(origin.line().orElse(1L) + f.lineIndex());
    }
    return at;
  }

  /** Parses one decoded message (PRI, then RFC 5424 when a version follows, else RFC 3164). */
  Event parseMessage(String m, Origin origin, Instant observed) throws RecordRejected {
    Cursor c = new Cursor(m);
    int pri = -1;
    if (c.peek() == '<') {
      pri = c.pri();
    }
    Event.Builder b = Event.builder();
    if (pri >= 0) {
      b.attribute("syslog.facility", String.valueOf(pri >> 3));
      b.attribute("syslog.severity", String.valueOf(pri & 7));
    }
    String word = pri >= 0 ? LogSeverity.syslogWord(pri & 7) : null;
    if (isRfc5424(m, c.pos)) {
      return parse5424(c, b, word, origin, observed);
    }
    return parse3164(c, b, word, origin, observed);
  }

  private static boolean isRfc5424(String m, int p) {
    int i = p;
    while (i < m.length() && i - p < 3 && Character.isDigit(m.charAt(i))) {
      i++;
    }
    if (i == p || i >= m.length() - 1 || m.charAt(i) != ' ') {
      return false;
    }
    char next = m.charAt(i + 1);
    return next == '-' || (i + 5 < m.length() && Character.isDigit(next)
        && Character.isDigit(m.charAt(i + 4)) && m.charAt(i + 5) == '-');
  }

  private Event parse5424(Cursor c, Event.Builder b, String word, Origin origin, Instant observed)
      throws RecordRejected {
    String version = c.field("VERSION", "TIMESTAMP");
    if (!version.equals("1")) {
      throw new RecordRejected(FailureKind.UNSUPPORTED, "RFC 5424 version " + version
          + " is not supported (only version 1 exists)");
    }
    String ts = c.field("TIMESTAMP", "HOSTNAME");
    String host = nil(c.field("HOSTNAME", "APP-NAME"));
    String app = nil(c.field("APP-NAME", "PROCID"));
    String procid = nil(c.field("PROCID", "MSGID"));
    String msgid = nil(c.field("MSGID", "STRUCTURED-DATA"));
    c.structuredData(b);
    String body = null;
    if (!c.atEnd()) {
      if (c.peek() != ' ') {
        throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 message: expected a"
            + " space before MSG at column " + (c.pos + 1) + ", found '" + c.peek() + "'");
      }
      body = msgText(c.rest(c.pos + 1));
    }
    b.attribute("syslog.protocol", "rfc5424");
    b.attribute("syslog.msgid", msgid);
    LogEvents.host(b, host);
    b.signal("service.name", app);
    pid(b, procid);
    Instant time;
    TimeQuality quality;
    if (ts.equals("-")) {
      time = observed;
      quality = TimeQuality.FALLBACK;
    } else {
      time = rfc3339(ts);
      quality = TimeQuality.SOURCE;
    }
    return LogEvents.finish(b, FORMAT, origin, time, quality, observed,
        LogSeverity.part(word, body, null, null));
  }

  private Event parse3164(Cursor c, Event.Builder b, String word, Origin origin, Instant observed)
      throws RecordRejected {
    Instant time;
    TimeQuality quality;
    String m = c.s;
    if (c.pos + 4 < m.length() && Character.isDigit(m.charAt(c.pos))
        && Character.isDigit(m.charAt(c.pos + 3)) && m.charAt(c.pos + 4) == '-') {
      time = rfc3339(c.field("TIMESTAMP", "HOSTNAME"));
      quality = TimeQuality.SOURCE;
    } else {
      time = bsdTimestamp(c, observed);
      quality = TimeQuality.DERIVED;
      if (c.atEnd() || c.peek() != ' ') {
        throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 3164 message ends after the"
            + " timestamp: HOSTNAME and MSG are missing (truncated?)");
      }
      c.pos++;
    }
    String host = c.atEnd() ? "" : c.upToSpace();
    if (host.isEmpty()) {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 3164 message: HOSTNAME missing"
          + " at column " + (c.pos + 1) + " (truncated?)");
    }
    if (c.atEnd()) {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 3164 message ends after the"
          + " hostname '" + host + "': no TAG or content (truncated?)");
    }
    c.pos++;
    // TAG[PID]: MSG, or TAG: MSG; when no tag ends in ':' before a space, the rest is all MSG.
    String app = null;
    String pid = null;
    int start = c.pos;
    int i = start;
    while (i < m.length() && m.charAt(i) != ' ' && m.charAt(i) != ':' && m.charAt(i) != '[') {
      i++;
    }
    int bodyStart = start;
    if (i < m.length() && i > start) {
      if (m.charAt(i) == ':') {
        app = m.substring(start, i);
        bodyStart = i + 1;
      } else if (m.charAt(i) == '[') {
        int close = m.indexOf(']', i);
        if (close > i && close + 1 < m.length() && m.charAt(close + 1) == ':') {
          app = m.substring(start, i);
          pid = m.substring(i + 1, close);
          bodyStart = close + 2;
        }
      }
    }
    if (bodyStart > start && bodyStart < m.length() && m.charAt(bodyStart) == ' ') {
      bodyStart++;
    }
    String body = msgText(m.substring(Math.min(bodyStart, m.length())));
    b.attribute("syslog.protocol", "rfc3164");
    LogEvents.host(b, host);
    b.signal("service.name", app);
    pid(b, pid);
    return LogEvents.finish(b, FORMAT, origin, time, quality, observed,
        LogSeverity.part(word, body, null, null));
  }

  /** "Mmm dd hh:mm:ss" (day space-padded or not), year nearest the observed time, UTC. */
  private static Instant bsdTimestamp(Cursor c, Instant observed) throws RecordRejected {
    String m = c.s;
    int p = c.pos;
    String expect = "RFC 3164 message: expected a timestamp like 'Feb  4 11:14:27' at column "
        + (p + 1) + ", found '" + m.substring(p, Math.min(m.length(), p + 16)) + "'";
    if (p + 3 > m.length()) {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, expect);
    }
    int month = -1;
    String mon = m.substring(p, p + 3);
    for (int i = 0; i < 12; i++) {
      if (MONTHS[i].equalsIgnoreCase(mon)) {
        month = i + 1;
      }
    }
    p += 3;
    int spaces = 0;
    while (p < m.length() && m.charAt(p) == ' ') {
      p++;
      spaces++;
    }
    int day = 0;
    int digits = 0;
    while (p < m.length() && Character.isDigit(m.charAt(p)) && digits < 2) {
      day = day * 10 + (m.charAt(p++) - '0');
      digits++;
    }
    if (month < 0 || spaces == 0 || digits == 0 || p + 9 > m.length() || m.charAt(p) != ' '
        || m.charAt(p + 3) != ':' || m.charAt(p + 6) != ':') {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, expect);
    }
    int hour = twoDigits(m, p + 1);
    int minute = twoDigits(m, p + 4);
    int second = twoDigits(m, p + 7);
    if (hour < 0 || minute < 0 || second < 0) {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, expect);
    }
    c.pos = p + 9;
    Instant t = nearestYear(month, day, hour, minute, second, observed);
    if (t == null) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, "RFC 3164 timestamp '"
          + m.substring(p - digits - spaces - 3, p + 9) + "' is not a valid date and time");
    }
    return t;
  }

  /**
   * How far after the observed time a year-less timestamp may lie: the sender's clock may run a
   * little ahead of the file's or broker's, but a line cannot be written a year before it happens.
   */
  static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofHours(1);

  /**
   * The latest time with this month, day and time of day (UTC) that is not after the observed time
   * (plus {@link #CLOCK_SKEW}): a February line in a file written in November is last February,
   * never next year's. Leap days look back up to eight years (a Feb 29 needs a leap year).
   */
  static Instant nearestYear(int month, int day, int hour, int minute, int second,
      Instant observed) {
    int year = observed.atOffset(ZoneOffset.UTC).getYear();
    Instant latest = observed.plus(CLOCK_SKEW);
    Instant best = null;
    for (int y = year + 1; y >= year - 8 && best == null; y--) {
      try {
        Instant t = LocalDateTime.of(y, month, day, hour, minute, second)
            .toInstant(ZoneOffset.UTC);
        if (!t.isAfter(latest)) {
          best = t;
        }
      } catch (DateTimeException e) {
        // Feb 29 outside a leap year, hour 25: that candidate year does not exist.
      }
    }
    return best;
  }

  private static int twoDigits(String m, int p) {
    char a = m.charAt(p);
    char b = m.charAt(p + 1);
    return Character.isDigit(a) && Character.isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
  }

  private static Instant rfc3339(String ts) throws RecordRejected {
    try {
      return PlausibleTime.check(
          OffsetDateTime.parse(ts, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
          "TIMESTAMP '" + ts + "'");
    } catch (DateTimeException e) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, "timestamp '" + ts
          + "' is not an RFC 3339 date-time with offset (" + e.getMessage() + ")");
    }
  }

  private static void pid(Event.Builder b, String procid) {
    if (procid == null || procid.isEmpty()) {
      return;
    }
    boolean numeric = procid.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    if (numeric) {
      b.signal("process.pid", procid);
    } else {
      b.attribute("syslog.procid", procid);
    }
  }

  private static String nil(String token) {
    return token.equals("-") ? null : token;
  }

  /** MSG without a leading BOM and without a trailing CR/LF; every other byte is kept. */
  private static String msgText(String s) {
    int start = !s.isEmpty() && s.charAt(0) == '\uFEFF' ? 1 : 0;
    int end = s.length();
    while (end > start && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return end == start ? null : s.substring(start, end);
  }

  /** A position in one message, with the RFC 5424 token rules. */
  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    String rest(int from) {
      return s.substring(Math.min(from, s.length()));
    }

    int pri() throws RecordRejected {
      int close = s.indexOf('>', pos);
      if (close < 0 || close - pos < 2 || close - pos > 4) {
        throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "syslog PRI: expected '<' 1 to 3"
            + " digits '>' at the start, found '" + s.substring(0, Math.min(s.length(), 6)) + "'");
      }
      int v = 0;
      for (int i = pos + 1; i < close; i++) {
        char ch = s.charAt(i);
        if (ch < '0' || ch > '9') {
          throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "syslog PRI '"
              + s.substring(pos, close + 1) + "' is not a number");
        }
        v = v * 10 + (ch - '0');
      }
      if (v > 191) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "syslog PRI " + v
            + " is out of range 0..191 (facility 0..23 * 8 + severity 0..7)");
      }
      pos = close + 1;
      return v;
    }

    String upToSpace() {
      int sp = s.indexOf(' ', pos);
      int end = sp < 0 ? s.length() : sp;
      String t = s.substring(pos, end);
      pos = end;
      return t;
    }

    /**
     * A header field and the space after it. The message ending inside or right after the field
     * means it was cut short, and the reason names the field that is missing.
     */
    String field(String name, String next) throws RecordRejected {
      if (atEnd()) {
        throw truncated(name);
      }
      String t = upToSpace();
      if (t.isEmpty()) {
        throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 message: " + name
            + " is empty at column " + (pos + 1) + " (two spaces in the header?)");
      }
      if (atEnd()) {
        throw truncated(next);
      }
      pos++;
      return t;
    }

    private RecordRejected truncated(String field) {
      return new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 message ends before "
          + field + " (column " + (pos + 1) + "): the message is truncated");
    }

    /** STRUCTURED-DATA: '-' or one or more [SD-ID (SP PARAM="VALUE")*], into attributes. */
    void structuredData(Event.Builder b) throws RecordRejected {
      if (peek() == '-') {
        pos++;
        return;
      }
      if (peek() != '[') {
        throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 STRUCTURED-DATA: expected"
            + " '-' or '[' at column " + (pos + 1) + ", found '" + peek() + "'");
      }
      java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
      while (peek() == '[') {
        pos++;
        int idStart = pos;
        while (!atEnd() && peek() != ' ' && peek() != ']') {
          pos++;
        }
        String id = s.substring(idStart, pos);
        if (atEnd()) {
          throw unclosed(id);
        }
        if (id.isEmpty()) {
          throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 STRUCTURED-DATA: empty"
              + " SD-ID at column " + (pos + 1));
        }
        while (peek() == ' ') {
          pos++;
          int nameStart = pos;
          while (!atEnd() && peek() != '=' && peek() != ' ' && peek() != ']') {
            pos++;
          }
          String name = s.substring(nameStart, pos);
          if (atEnd()) {
            throw unclosed(id);
          }
          if (name.isEmpty() || peek() != '=' || pos + 1 >= s.length()
              || s.charAt(pos + 1) != '"') {
            throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 STRUCTURED-DATA"
                + " element '" + id + "': expected PARAM-NAME=\"VALUE\" at column "
                + (nameStart + 1));
          }
          pos += 2;
          StringBuilder value = new StringBuilder();
          boolean closed = false;
          while (!atEnd()) {
            char ch = s.charAt(pos++);
            if (ch == '\\' && !atEnd() && "\"\\]".indexOf(s.charAt(pos)) >= 0) {
              value.append(s.charAt(pos++));
            } else if (ch == '"') {
              closed = true;
              break;
            } else {
              value.append(ch);
            }
          }
          if (!closed) {
            throw unclosed(id);
          }
          String key = "syslog.sd." + id + "." + name;
          params.merge(key, value.toString(), (a, v) -> a + "," + v);
        }
        if (peek() != ']') {
          if (atEnd()) {
            throw unclosed(id);
          }
          throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 STRUCTURED-DATA"
              + " element '" + id + "': expected ' ' or ']' at column " + (pos + 1) + ", found '"
              + peek() + "'");
        }
        pos++;
      }
      params.forEach(b::attribute);
    }

    private RecordRejected unclosed(String id) {
      return new RecordRejected(FailureKind.MALFORMED_SYNTAX, "RFC 5424 STRUCTURED-DATA element '"
          + id + "' is not closed before the end of the message: the message is truncated");
    }
  }
}
