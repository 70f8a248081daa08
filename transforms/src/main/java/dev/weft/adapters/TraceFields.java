package dev.weft.adapters;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.model.FailureKind;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Field readers shared by the trace adapters: hex ids, unsigned nanosecond times, OTLP AnyValues,
 * with the size limits that keep one huge value from becoming one huge event. Every reader either
 * returns a normalised value or throws {@link RecordRejected} with a reason naming the field.
 */
final class TraceFields {
  private TraceFields() {}

  /**
   * The longest value (attribute, tag, body) kept in an event, in chars. A longer one rejects its
   * span or log record as TOO_LARGE instead of dragging megabytes through the shuffle.
   */
  static final int MAX_VALUE_CHARS = 1 << 20;

  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";
  /** Span events (OTLP events, Zipkin annotations, Jaeger logs): their count and their names. */
  static final String EVENTS_COUNT = "span.events.count";
  static final String EVENT_NAMES = "span.events";
  /** Span links (OTLP links, Jaeger references beyond the parent). */
  static final String LINKS_COUNT = "span.links.count";

  /**
   * Span and log attributes that name the other side of a call. They stay attributes and are also
   * copied to signals, so identity and graph can infer the peer without knowing the source.
   */
  static final Set<String> PEER_KEYS = Set.of("peer.service", "server.address", "server.port",
      "net.peer.name", "net.peer.ip", "network.peer.address", "db.system", "db.system.name",
      "messaging.system", "messaging.destination.name");

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final JsonStringEncoder QUOTER = JsonStringEncoder.getInstance();

  /** A field by its lowerCamelCase or snake_case name; JSON null counts as absent. */
  static JsonNode field(JsonNode obj, String camel, String snake) {
    JsonNode v = obj.get(camel);
    if (v == null && snake != null) {
      v = obj.get(snake);
    }
    return v == null || v.isNull() ? null : v;
  }

  static JsonNode field(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    return v == null || v.isNull() ? null : v;
  }

  /** An optional string field; absent, null and "" are all {@code null}. */
  static String optText(JsonNode v, String label) throws RecordRejected {
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw wrongType(label, v, "a string");
    }
    String s = v.textValue();
    checkSize(label, s);
    return s.isEmpty() ? null : s;
  }

  /** A scalar rendered as text (lenient for tag maps that should hold strings only). */
  static String scalarText(JsonNode v, String label) throws RecordRejected {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      checkSize(label, v.textValue());
      return v.textValue();
    }
    if (v.isBoolean() || v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return Double.toString(v.doubleValue());
    }
    throw wrongType(label, v, "a string");
  }

  static void checkSize(String label, CharSequence s) throws RecordRejected {
    if (s.length() > MAX_VALUE_CHARS) {
      throw new RecordRejected(FailureKind.TOO_LARGE, label + " is " + s.length()
          + " chars long, over the limit of " + MAX_VALUE_CHARS + " chars for one value");
    }
  }

  /** "a string", "an object", ... for reasons. */
  static String typeOf(JsonNode v) {
    switch (v.getNodeType()) {
      case ARRAY: return "an array";
      case OBJECT: case POJO: return "an object";
      case STRING: return "a string";
      case NUMBER: return "a number";
      case BOOLEAN: return "a boolean";
      case NULL: return "null";
      case BINARY: return "binary";
      default: return "missing";
    }
  }

  static RecordRejected wrongType(String label, JsonNode v, String expected) {
    return new RecordRejected(FailureKind.WRONG_TYPE, label + " is " + typeOf(v) + ", expected "
        + expected);
  }

  /** A short, printable excerpt of a bad value for a reason. */
  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "... (" + s.length() + " chars)";
  }

  // ---- ids ---------------------------------------------------------------------------------

  /**
   * An OTLP id: exactly {@code hexLength} hex digits (either case; returned lower case), or the
   * base64 form that protobuf's own JSON mapping writes. Absent or "" returns null, or rejects
   * when {@code required}. All zeros is invalid in OTLP; {@code zeroIsAbsent} reads it as "not
   * set" instead (parent ids, the trace context of a log).
   */
  static String otlpId(JsonNode v, int hexLength, String label, boolean required,
      boolean zeroIsAbsent) throws RecordRejected {
    String s = v == null ? null : optText(v, label);
    if (s == null) {
      if (required) {
        throw new RecordRejected(FailureKind.MISSING_FIELD, label + " is missing");
      }
      return null;
    }
    String hex = s.length() == hexLength ? lowerHex(s) : null;
    if (hex == null) {
      hex = base64Id(s, hexLength / 2);
    }
    if (hex == null) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \"" + clip(s)
          + "\" is not " + hexLength + " hex digits");
    }
    return zeroCheck(hex, label, zeroIsAbsent);
  }

  /**
   * A Zipkin or Jaeger id: 1..{@code maxHex} hex digits, left-padded with zeros to 16 (or to 32
   * when longer than 16), as Zipkin itself normalises them, lower case.
   */
  static String paddedId(JsonNode v, int maxHex, String label, boolean required,
      boolean zeroIsAbsent) throws RecordRejected {
    String s = v == null ? null : optText(v, label);
    if (s == null) {
      if (required) {
        throw new RecordRejected(FailureKind.MISSING_FIELD, label + " is missing");
      }
      return null;
    }
    String hex = s.length() <= maxHex ? lowerHex(s) : null;
    if (hex == null) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \"" + clip(s)
          + "\" is not 1 to " + maxHex + " hex digits");
    }
    int width = hex.length() <= 16 ? 16 : 32;
    if (hex.length() < width) {
      hex = "0".repeat(width - hex.length()) + hex;
    }
    return zeroCheck(hex, label, zeroIsAbsent);
  }

  private static String zeroCheck(String hex, String label, boolean zeroIsAbsent)
      throws RecordRejected {
    for (int i = 0; i < hex.length(); i++) {
      if (hex.charAt(i) != '0') {
        return hex;
      }
    }
    if (zeroIsAbsent) {
      return null;
    }
    throw new RecordRejected(FailureKind.INVALID_VALUE, label + " is all zeros, which is not a "
        + "valid id");
  }

  /** The string in lower case if it is all hex digits, else null; no copy when already lower. */
  private static String lowerHex(String s) {
    boolean upper = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
    }
    return s.isEmpty() ? null : upper ? s.toLowerCase(java.util.Locale.ROOT) : s;
  }

  private static String base64Id(String s, int bytes) {
    if (s.length() != ((bytes + 2) / 3) * 4) {
      return null;
    }
    try {
      byte[] b = Base64.getDecoder().decode(s);
      return b.length == bytes ? java.util.HexFormat.of().formatHex(b) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---- times -------------------------------------------------------------------------------

  /** uint64 nanoseconds as a JSON string or integer; absent is 0 (OTLP's "not set"). */
  static long unsignedNanos(JsonNode v, String label) throws RecordRejected {
    if (v == null) {
      return 0;
    }
    if (v.isIntegralNumber()) {
      if (v.canConvertToLong()) {
        long n = v.longValue();
        if (n < 0) {
          throw new RecordRejected(FailureKind.INVALID_VALUE, label + " is negative (" + n + ")");
        }
        return n;
      }
      BigInteger b = v.bigIntegerValue();
      if (b.signum() < 0 || b.bitLength() > 64) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " " + b
            + " does not fit an unsigned 64-bit integer");
      }
      return b.longValue();
    }
    if (v.isTextual()) {
      String t = v.textValue();
      if (t.isEmpty()) {
        return 0;
      }
      if (t.charAt(0) >= '0' && t.charAt(0) <= '9') {
        try {
          return Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
          // falls through to the reason below
        }
      }
      throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \"" + clip(t)
          + "\" is not an unsigned 64-bit integer of nanoseconds");
    }
    throw wrongType(label, v, "nanoseconds since the epoch as a string or an integer");
  }

  static Instant instantOfNanos(long unsignedNanos) {
    return Instant.ofEpochSecond(Long.divideUnsigned(unsignedNanos, NANOS_PER_SECOND),
        Long.remainderUnsigned(unsignedNanos, NANOS_PER_SECOND));
  }

  /** Non-negative integer microseconds (Zipkin, Jaeger); absent is -1. */
  static long micros(JsonNode v, String label) throws RecordRejected {
    if (v == null) {
      return -1;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      long n = v.longValue();
      if (n < 0) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " is negative (" + n + ")");
      }
      return n;
    }
    if (v.isTextual() && !v.textValue().isEmpty() && v.textValue().charAt(0) != '-'
        && v.textValue().charAt(0) != '+') {
      try {
        return Long.parseLong(v.textValue());
      } catch (NumberFormatException e) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \""
            + clip(v.textValue()) + "\" is not an integer of microseconds");
      }
    }
    if (v.isNumber()) {
      throw new RecordRejected(FailureKind.INVALID_VALUE, label + " " + v.asText()
          + " is not a non-negative 64-bit integer of microseconds");
    }
    throw wrongType(label, v, "an integer of microseconds");
  }

  static Instant instantOfMicros(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000L);
  }

  // ---- OTLP AnyValue -----------------------------------------------------------------------

  /**
   * Renders an OTLP AnyValue as text: strings as they are, scalars in their canonical form
   * (booleans "true"/"false", ints in decimal, doubles as {@link Double#toString}, bytes as their
   * base64), arrays and kvlists as compact JSON. An empty AnyValue is absent (null).
   */
  static String anyValue(JsonNode v, String label) throws RecordRejected {
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw wrongType(label, v, "an AnyValue object such as {\"stringValue\": \"...\"}");
    }
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    if (!it.hasNext()) {
      return null;
    }
    Map.Entry<String, JsonNode> e = it.next();
    JsonNode x = e.getValue();
    switch (e.getKey()) {
      case "stringValue":
      case "string_value":
        if (!x.isTextual()) {
          throw wrongType(label + ".stringValue", x, "a string");
        }
        checkSize(label, x.textValue());
        return x.textValue();
      case "arrayValue":
      case "array_value":
      case "kvlistValue":
      case "kvlist_value": {
        StringBuilder sb = new StringBuilder();
        appendJson(sb, v, label);
        return sb.toString();
      }
      default:
        return scalar(e.getKey(), x, label);
    }
  }

  /** A non-string scalar AnyValue in canonical text; null when the AnyValue has no value. */
  private static String scalar(String type, JsonNode x, String label) throws RecordRejected {
    if (x == null || x.isNull()) {
      return null;
    }
    switch (type) {
      case "boolValue":
      case "bool_value":
        if (x.isBoolean()) {
          return x.booleanValue() ? "true" : "false";
        }
        if (x.isTextual() && ("true".equals(x.textValue()) || "false".equals(x.textValue()))) {
          return x.textValue();
        }
        throw wrongType(label + ".boolValue", x, "a boolean");
      case "intValue":
      case "int_value":
        return Long.toString(int64(x, label + ".intValue"));
      case "doubleValue":
      case "double_value":
        return Double.toString(float64(x, label + ".doubleValue"));
      case "bytesValue":
      case "bytes_value":
        if (!x.isTextual()) {
          throw wrongType(label + ".bytesValue", x, "a base64 string");
        }
        checkSize(label, x.textValue());
        try {
          Base64.getDecoder().decode(x.textValue());
        } catch (IllegalArgumentException bad) {
          throw new RecordRejected(FailureKind.INVALID_VALUE, label + ".bytesValue is not base64: "
              + bad.getMessage());
        }
        return x.textValue();
      default:
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " has no AnyValue field "
            + "(stringValue, boolValue, intValue, doubleValue, bytesValue, arrayValue, "
            + "kvlistValue); found \"" + clip(type) + "\"");
    }
  }

  static long int64(JsonNode x, String label) throws RecordRejected {
    if (x.isIntegralNumber()) {
      if (!x.canConvertToLong()) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " " + x.asText()
            + " does not fit a 64-bit integer");
      }
      return x.longValue();
    }
    if (x.isTextual()) {
      try {
        return Long.parseLong(x.textValue());
      } catch (NumberFormatException e) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \"" + clip(x.textValue())
            + "\" is not a 64-bit integer");
      }
    }
    throw wrongType(label, x, "an integer (as a number or a string)");
  }

  static double float64(JsonNode x, String label) throws RecordRejected {
    if (x.isNumber()) {
      return x.doubleValue();
    }
    if (x.isTextual()) {
      switch (x.textValue()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(x.textValue());
          } catch (NumberFormatException e) {
            throw new RecordRejected(FailureKind.INVALID_VALUE, label + " \""
                + clip(x.textValue()) + "\" is not a number");
          }
      }
    }
    throw wrongType(label, x, "a number");
  }

  /** Appends an AnyValue as compact JSON, failing as soon as the text passes the size limit. */
  private static void appendJson(StringBuilder sb, JsonNode v, String label)
      throws RecordRejected {
    if (v == null || !v.isObject()) {
      if (v != null) {
        throw wrongType(label, v, "an AnyValue object");
      }
      sb.append("null");
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    if (!it.hasNext()) {
      sb.append("null");
      return;
    }
    Map.Entry<String, JsonNode> e = it.next();
    JsonNode x = e.getValue();
    switch (e.getKey()) {
      case "stringValue":
      case "string_value":
      case "bytesValue":
      case "bytes_value":
        if (!x.isTextual()) {
          throw wrongType(label + "." + e.getKey(), x, "a string");
        }
        quote(sb, x.textValue());
        break;
      case "arrayValue":
      case "array_value": {
        JsonNode values = list(x, label + ".arrayValue");
        sb.append('[');
        if (values != null) {
          for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            appendJson(sb, values.get(i), label + "[" + i + "]");
            checkSize(label, sb);
          }
        }
        sb.append(']');
        break;
      }
      case "kvlistValue":
      case "kvlist_value": {
        JsonNode values = list(x, label + ".kvlistValue");
        sb.append('{');
        if (values != null) {
          for (int i = 0; i < values.size(); i++) {
            JsonNode kv = values.get(i);
            if (!kv.isObject()) {
              throw wrongType(label + ".kvlistValue.values[" + i + "]", kv,
                  "a {\"key\", \"value\"} object");
            }
            String key = optText(field(kv, "key"), label + ".kvlistValue.values[" + i + "].key");
            if (i > 0) {
              sb.append(',');
            }
            quote(sb, key == null ? "" : key);
            sb.append(':');
            appendJson(sb, field(kv, "value"), label + "." + key);
            checkSize(label, sb);
          }
        }
        sb.append('}');
        break;
      }
      case "doubleValue":
      case "double_value": {
        double d = float64(x, label + ".doubleValue");
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          quote(sb, Double.toString(d));
        } else {
          sb.append(d);
        }
        break;
      }
      default: {
        String s = scalar(e.getKey(), x, label);
        sb.append(s == null ? "null" : s);
      }
    }
    checkSize(label, sb);
  }

  /** The "values" array of an ArrayValue / KeyValueList; absent is null. */
  private static JsonNode list(JsonNode holder, String label) throws RecordRejected {
    if (holder == null || holder.isNull()) {
      return null;
    }
    if (!holder.isObject()) {
      throw wrongType(label, holder, "an object with \"values\"");
    }
    JsonNode values = field(holder, "values");
    if (values != null && !values.isArray()) {
      throw wrongType(label + ".values", values, "an array");
    }
    return values;
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    QUOTER.quoteAsString(s, sb);
    sb.append('"');
  }

  // ---- OTLP attribute lists ----------------------------------------------------------------

  /** Receives one key/value pair. */
  interface Sink {
    void put(String key, String value);
  }

  /** Reads an OTLP {@code [{"key", "value": AnyValue}]} list; absent is no pairs. */
  static void keyValues(JsonNode list, String label, Sink sink) throws RecordRejected {
    if (list == null) {
      return;
    }
    if (!list.isArray()) {
      throw wrongType(label, list, "an array of {\"key\", \"value\"}");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode kv = list.get(i);
      if (!kv.isObject()) {
        throw wrongType(label + "[" + i + "]", kv, "a {\"key\", \"value\"} object");
      }
      // One pass over the pair's fields rather than a lookup per name: this loop is the hot one.
      JsonNode keyNode = null;
      JsonNode valueNode = null;
      Iterator<Map.Entry<String, JsonNode>> fields = kv.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if ("key".equals(f.getKey())) {
          keyNode = f.getValue();
        } else if ("value".equals(f.getKey())) {
          valueNode = f.getValue();
        }
      }
      String key = keyNode == null || keyNode.isNull() ? null
          : optText(keyNode, label + "[" + i + "].key");
      if (key == null) {
        throw new RecordRejected(FailureKind.MISSING_FIELD, label + "[" + i + "] has no key");
      }
      String value = valueNode == null || valueNode.isNull() ? null
          : anyValue(valueNode, label + " \"" + clip(key) + "\"");
      if (value != null) {
        sink.put(key, value);
      }
    }
  }
}
