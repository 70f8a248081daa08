package dev.weft.adapters;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weft.model.FailureKind;
import java.io.IOException;

/**
 * Parses JSON and YAML documents into Jackson trees with failures typed for dead letters. UTF-8 is
 * checked first so a bad byte is reported as an encoding problem, not as a syntax error.
 */
public final class JsonInput {
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build();
  public static final ObjectMapper JSON = JsonMapper.builder().build();
  public static final ObjectMapper YAML = YAMLMapper.builder(
      YAMLFactory.builder().streamReadConstraints(LIMITS).build()).build();

  static {
    JSON.getFactory().setStreamReadConstraints(LIMITS);
  }

  private JsonInput() {}

  public static JsonNode parseJson(byte[] bytes) throws RecordRejected {
    return parse(JSON, bytes, "JSON");
  }

  public static JsonNode parseYaml(byte[] bytes) throws RecordRejected {
    return parse(YAML, bytes, "YAML");
  }

  /** JSON when the first non-blank byte opens an object or array, YAML otherwise. */
  public static JsonNode parseJsonOrYaml(byte[] bytes) throws RecordRejected {
    for (byte b : bytes) {
      if (b == '{' || b == '[') {
        return parseJson(bytes);
      }
      if (!Character.isWhitespace(b)) {
        break;
      }
    }
    return parseYaml(bytes);
  }

  private static JsonNode parse(ObjectMapper mapper, byte[] bytes, String what)
      throws RecordRejected {
    if (isBlank(bytes)) {
      throw new RecordRejected(FailureKind.EMPTY_INPUT, "the input is empty");
    }
    Utf8.decode(bytes);
    try {
      // A second value after the first ({"a":1} {"b":2}, or garbage) is not silently ignored.
      JsonNode node = mapper.reader()
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new RecordRejected(FailureKind.EMPTY_INPUT, "the input holds no " + what + " value");
      }
      return node;
    } catch (StreamConstraintsException e) {
      throw new RecordRejected(FailureKind.TOO_LARGE, what + " exceeds a parser limit: "
          + e.getOriginalMessage());
    } catch (JsonParseException e) {
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "not well-formed " + what + ": "
          + e.getOriginalMessage() + locationOf(e));
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new RecordRejected(FailureKind.MALFORMED_SYNTAX, "not well-formed " + what + ": "
          + firstLine(msg));
    }
  }

  private static String locationOf(JsonParseException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
            + ")";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
