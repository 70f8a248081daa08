package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.weft.model.Event;
import dev.weft.model.FailureKind;
import dev.weft.model.LogPart;
import dev.weft.model.Origin;
import dev.weft.model.Severity;
import dev.weft.model.TimeQuality;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Structured JSON logs (format {@code json-logs}): one JSON object per line. Which keys hold the
 * time, message, severity, trace and span ids and identity signals is configured by {@link
 * JsonLogFields} (aliases tried in order; the first present non-null value wins and is consumed).
 * Everything else becomes an attribute: nested objects are flattened to dotted keys ({@code
 * {"http":{"status":500}}} is {@code http.status=500}), arrays are kept as JSON text.
 *
 * <p>Time: see {@link LogTimes} (ISO-8601 text, or epoch seconds / millis / micros / nanos by
 * magnitude); no time key means the observed time, flagged FALLBACK; a time that cannot be read
 * is an INVALID_VALUE failure, not a silent fallback. Severity: a word via {@link LogSeverity}
 * (unknown words are UNKNOWN and keep the text), a number as a pino/bunyan level or an OTel
 * SeverityNumber. Trace and span ids are kept when they are 32 and 16 hex digits (lower-cased);
 * otherwise they stay attributes under their own key. A {@code host.name} value that is an IP
 * literal becomes {@code host.ip}.
 *
 * <p>A record may hold several lines (an NDJSON chunk from Kafka, say); each non-blank line is
 * one event or one failure, its origin {@code atLine(n)}. Failures: a line that is not JSON
 * (MALFORMED_SYNTAX), not an object (WRONG_TYPE), not UTF-8 (INVALID_ENCODING), over {@code
 * maxLineBytes} (TOO_LARGE). The event id is a content hash ({@link LogEvents#finish}).
 */
public final class JsonLogsAdapter implements SourceAdapter {
  public static final String FORMAT = "json-logs";
  private static final long serialVersionUID = 1L;
  private static final ObjectReader READER =
      JsonInput.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonLogFields fields;
  private final int maxLineBytes;
  private final List<String> wholeMessages;

  public JsonLogsAdapter() {
    this(JsonLogFields.defaults());
  }

  public JsonLogsAdapter(JsonLogFields fields) {
    this(fields, LogEvents.DEFAULT_MAX_MESSAGE_BYTES);
  }

  public JsonLogsAdapter(JsonLogFields fields, int maxLineBytes) {
    this.fields = fields;
    this.maxLineBytes = maxLineBytes;
    this.wholeMessages = wholeMessages(fields);
  }

  /**
   * Message aliases whose object value is the body as JSON text. An alias that is the prefix of
   * another alias ({@code log} of ECS's {@code log.level}) is flattened instead, so ECS's {@code
   * log} object still yields its level.
   */
  private static List<String> wholeMessages(JsonLogFields f) {
    List<String> all = new java.util.ArrayList<>();
    all.addAll(f.time());
    all.addAll(f.severity());
    all.addAll(f.traceId());
    all.addAll(f.spanId());
    f.signals().values().forEach(all::addAll);
    List<String> whole = new java.util.ArrayList<>();
    for (String m : f.message()) {
      if (all.stream().noneMatch(a -> a.startsWith(m + "."))) {
        whole.add(m);
      }
    }
    return whole;
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
    return LineRecords.parse(raw, FORMAT, "JSON log", maxLineBytes,
        (b, line, at) -> parseLine(b, line, at, raw.observedTime()));
  }

  private Event parseLine(byte[] b, LogLines.Line line, Origin origin, Instant observed)
      throws RecordRejected {
    RecordRejected tooLarge = LogLines.tooLarge(line.length(), maxLineBytes, "the JSON log line");
    if (tooLarge != null) {
      throw tooLarge;
    }
    LogLines.checkUtf8(b, line.start(), line.end(), "the JSON log line");
    JsonNode root = readTree(b, line);
    if (!root.isObject()) {
      throw new RecordRejected(FailureKind.WRONG_TYPE, "the JSON log line is a "
          + root.getNodeType().name().toLowerCase(Locale.ROOT)
          + ", expected one JSON object per line");
    }
    Map<String, JsonNode> flat = new LinkedHashMap<>();
    flatten("", root, flat, wholeMessages);

    Instant time = observed;
    TimeQuality quality = TimeQuality.FALLBACK;
    String timeKey = take(flat, fields.time());
    if (timeKey == null) {
      rejectObjectTime(flat, fields.time());
    }
    if (timeKey != null) {
      LogTimes.Time t = time(flat.remove(timeKey), timeKey);
      time = PlausibleTime.check(t.instant(), "field '" + timeKey + "'");
      quality = t.quality();
    }
    String body = null;
    String messageKey = take(flat, fields.message());
    if (messageKey != null) {
      JsonNode m = flat.remove(messageKey);
      body = m.isValueNode() ? m.asText() : m.toString();
      // Docker's json-file driver keeps the line's newline in "log"; it is framing, not content.
      int end = body.length();
      while (end > 0 && (body.charAt(end - 1) == '\n' || body.charAt(end - 1) == '\r')) {
        end--;
      }
      body = body.substring(0, end);
    }
    String traceId = hexId(flat, fields.traceId(), 32);
    String spanId = hexId(flat, fields.spanId(), 16);
    LogPart log = severity(flat, body, traceId, spanId);

    Event.Builder e = Event.builder();
    for (Map.Entry<String, List<String>> s : fields.signals().entrySet()) {
      String key = take(flat, s.getValue());
      if (key != null) {
        String value = text(flat.remove(key));
        if (s.getKey().equals("host.name")) {
          LogEvents.host(e, value);
        } else {
          e.signal(s.getKey(), value);
        }
      }
    }
    flat.forEach((k, v) -> e.attribute(k, text(v)));
    return LogEvents.finish(e, FORMAT, origin, time, quality, observed, log);
  }

  private static JsonNode readTree(byte[] b, LogLines.Line line) throws RecordRejected {
    try {
      JsonNode node = READER.readTree(b, line.start(), line.length());
      if (node == null || node.isMissingNode()) {
        throw new RecordRejected(FailureKind.EMPTY_INPUT, "the JSON log line holds no value");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new RecordRejected(FailureKind.TOO_LARGE, "the JSON log line exceeds a parser limit: "
          + e.getOriginalMessage());
    } catch (JsonParseException e) {
      String where = e.getLocation() == null ? ""
          : " (column " + e.getLocation().getColumnNr() + ")";
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "the JSON log line is not"
          + " well-formed JSON: " + e.getOriginalMessage() + where);
    } catch (IOException e) {
      String msg = String.valueOf(e.getMessage());
      int nl = msg.indexOf('\n');
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "the JSON log line is not"
          + " well-formed JSON: " + (nl < 0 ? msg : msg.substring(0, nl)));
    }
  }

  /**
   * Scalars and arrays by dotted path; JSON null is absent. An object under a message alias is
   * kept whole, so a structured message becomes the body as JSON text.
   */
  private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out,
      List<String> keepWhole) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
      JsonNode v = f.getValue();
      if (v.isObject() && !keepWhole.contains(key)) {
        flatten(key, v, out, keepWhole);
      } else if (!v.isNull()) {
        out.put(key, v);
      }
    }
  }

  /**
   * A time field that holds an object was flattened into {@code time.x} keys and would leave the
   * record without a time, silently FALLBACK: it is the wrong type, and says so.
   */
  private static void rejectObjectTime(Map<String, JsonNode> flat, List<String> aliases)
      throws RecordRejected {
    for (String a : aliases) {
      String nested = a + ".";
      for (String k : flat.keySet()) {
        if (k.startsWith(nested)) {
          throw new RecordRejected(FailureKind.WRONG_TYPE, "field '" + a + "' holds an object;"
              + " a time must be ISO-8601 text or an epoch number");
        }
      }
    }
  }

  /** The first alias present, or null. */
  private static String take(Map<String, JsonNode> flat, List<String> aliases) {
    for (String a : aliases) {
      if (flat.containsKey(a)) {
        return a;
      }
    }
    return null;
  }

  private static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static LogTimes.Time time(JsonNode v, String key) throws RecordRejected {
    try {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        return LogTimes.epoch(v.longValue());
      }
      if (v.isNumber()) {
        if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()) && !v.isBigDecimal()) {
          // 1e400 overflows a double to Infinity: no instant, and no epoch number either.
          throw new RecordRejected(FailureKind.INVALID_VALUE, "epoch time " + v.asText()
              + " is out of range (not a finite number)");
        }
        return LogTimes.epoch(v.decimalValue());
      }
      if (v.isTextual()) {
        return LogTimes.text(v.asText());
      }
    } catch (RecordRejected e) {
      throw new RecordRejected(e.kind(), "field '" + key + "': " + e.getMessage());
    }
    throw new RecordRejected(FailureKind.WRONG_TYPE, "field '" + key + "' holds a "
        + v.getNodeType().name().toLowerCase(Locale.ROOT)
        + "; a time must be ISO-8601 text or an epoch number");
  }

  private LogPart severity(Map<String, JsonNode> flat, String body, String traceId,
      String spanId) {
    String key = take(flat, fields.severity());
    if (key == null) {
      return LogSeverity.part(null, body, traceId, spanId);
    }
    JsonNode v = flat.remove(key);
    if (v.isIntegralNumber()) {
      Integer n = LogSeverity.numberOfLevel(v.asLong());
      return new LogPart(n == null ? Severity.UNKNOWN : Severity.fromOtelNumber(n),
          Optional.ofNullable(n), Optional.of(v.asText()), Optional.ofNullable(body),
          Optional.ofNullable(traceId), Optional.ofNullable(spanId));
    }
    return LogSeverity.part(text(v), body, traceId, spanId);
  }

  /** A hex id of the given length, lower-cased and consumed; anything else stays an attribute. */
  private static String hexId(Map<String, JsonNode> flat, List<String> aliases, int length) {
    String key = take(flat, aliases);
    if (key == null || !flat.get(key).isTextual()) {
      return null;
    }
    String s = flat.get(key).asText();
    if (s.length() != length) {
      return null;
    }
    for (int i = 0; i < length; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return null;
      }
    }
    flat.remove(key);
    return s.toLowerCase(Locale.ROOT);
  }
}
