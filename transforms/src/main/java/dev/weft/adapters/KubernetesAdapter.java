package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weft.model.ConfigOperation;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Format {@code k8s}: Kubernetes objects as the API server and kubectl write them, in JSON or
 * YAML. A raw record may hold:
 *
 * <ul>
 *   <li>a single object ({@code kubectl get pod p1 -o yaml}) or a list ({@code kind: List} or
 *       {@code kind: PodList}, ... with {@code items}): each object is a SNAPSHOT;
 *   <li>watch events {@code {"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR", "object": {...}}},
 *       one per line (NDJSON) or concatenated ({@code kubectl get -w -o json});
 *   <li>a YAML stream of several documents separated by {@code ---}, each any of the above.
 * </ul>
 *
 * <p>Each object becomes one CONFIG event (see {@link KubernetesObject} for signals, references,
 * event time and id) or one {@link ParseFailure} whose origin points at it: the line where its
 * document starts and a JSON pointer inside the document ({@code /items/3}, {@code /object}).
 * One bad object never costs the others of its list.
 *
 * <p>Watch events other than objects: an unknown type becomes an event with operation UNKNOWN and
 * the raw type. An ERROR event becomes a failure (UNSUPPORTED) carrying the Status code, reason and
 * message. A BOOKMARK carries no object state (only a resourceVersion marking the stream's
 * position), so it is not an event; it becomes an UNSUPPORTED failure whose reason starts with
 * {@value #BOOKMARK_REASON}, so it is counted and visible rather than dropped silently, and a
 * dead-letter reader can filter bookmarks by that prefix.
 */
public final class KubernetesAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;

  public static final String FORMAT = "k8s";

  /** Reason prefix of the failure a watch BOOKMARK becomes. */
  public static final String BOOKMARK_REASON = "watch BOOKMARK carries no object state";

  /** Longest run of non-blank bytes accepted in YAML input; see {@link #longYamlToken}. */
  public static final int MAX_YAML_TOKEN_BYTES = 2 << 20;

  // A `kubectl get pods -A -o yaml` of a large cluster is far above SnakeYAML's default 3 MB
  // document limit; objects are bounded one by one instead (KubernetesObject.MAX_OBJECT_CHARS),
  // the whole input by the reader's maximum record size.
  private static final ObjectMapper YAML_STREAM;

  static {
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(Integer.MAX_VALUE);
    YAML_STREAM = YAMLMapper.builder(YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE).build())
        .build()).build();
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Framing fileFraming() {
    // A YAML list or a pretty-printed object spans many lines; NDJSON files are framed by name.
    return Framing.DOCUMENT;
  }

  @Override
  public AdapterResult parse(RawRecord raw) {
    Origin origin = raw.origin();
    if (raw.isOversize()) {
      return AdapterResult.failure(ParseFailure.of(FailureKind.TOO_LARGE, "the input is "
          + raw.totalSize() + " bytes, more than the reader's maximum record size", origin));
    }
    byte[] bytes = raw.payload();
    if (JsonInput.isBlank(bytes)) {
      return AdapterResult.failure(ParseFailure.of(FailureKind.EMPTY_INPUT,
          "the input is empty", origin));
    }
    try {
      int first = 0;
      while (Character.isWhitespace(bytes[first])) {
        first++;
      }
      if (bytes[first] == '{' && ByteLines.looksLikeJsonLines(bytes)) {
        return parseLines(raw);
      }
      boolean json = bytes[first] == '{' || bytes[first] == '[';
      if (!json) {
        Optional<ParseFailure> tooLong = longYamlToken(bytes, origin);
        if (tooLong.isPresent()) {
          return AdapterResult.failure(tooLong.get());
        }
      }
      return parseStream(raw, json ? JsonInput.JSON : YAML_STREAM, json ? "JSON" : "YAML");
    } catch (RuntimeException e) {
      // A bug of ours must not kill the bundle; it becomes a dead letter that names it.
      return AdapterResult.failure(ParseFailure.of(FailureKind.ADAPTER_BUG,
          "k8s adapter failed: " + e, origin));
    }
  }

  /**
   * SnakeYAML scans a run of non-blank characters in time quadratic in its length (a 50 MB
   * scalar takes minutes), so such a run is refused before parsing. No real Kubernetes object
   * holds one: the API server refuses objects above ~1.5 MB.
   */
  private static Optional<ParseFailure> longYamlToken(byte[] bytes, Origin origin) {
    int run = 0;
    long line = 1;
    long runLine = 1;
    for (byte b : bytes) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        if (b == '\n') {
          line++;
        }
        run = 0;
        continue;
      }
      if (run == 0) {
        runLine = line;
      }
      if (++run > MAX_YAML_TOKEN_BYTES) {
        return Optional.of(ParseFailure.of(FailureKind.TOO_LARGE, "the YAML holds a token (a"
            + " value without blanks) of more than " + MAX_YAML_TOKEN_BYTES + " bytes starting"
            + " on line " + runLine + "; no Kubernetes object holds one, and YAML parsing of it"
            + " would take minutes, so the input is not parsed", origin.atLine(runLine)));
      }
    }
    return Optional.empty();
  }

  /** NDJSON: each line is a document on its own, so a bad line costs only itself. */
  private AdapterResult parseLines(RawRecord raw) {
    AdapterResult result = new AdapterResult();
    ByteLines lines = new ByteLines(raw.payload());
    for (long n = 1; n <= lines.count(); n++) {
      byte[] line = lines.slice(n, n);
      if (JsonInput.isBlank(line)) {
        continue;
      }
      // A line read alone carries its own line number in the file; a document counts from 1.
      Origin at = raw.origin().atLine(raw.origin().line().orElse(1L) + n - 1);
      try {
        document(JsonInput.parseJson(line), at, raw.observedTime(), result);
      } catch (RecordRejected e) {
        result.fail(new ParseFailure(e.kind(), "line " + n + ": " + e.getMessage(), at, line));
      }
    }
    return result;
  }

  /**
   * One or more root values (YAML documents, concatenated JSON values). A YAML stream is cut at
   * its document markers ({@code ---} at the start of a line) first and each document parsed
   * alone, so a broken document costs one dead letter and the documents after it are still read.
   */
  private AdapterResult parseStream(RawRecord raw, ObjectMapper mapper, String what) {
    AdapterResult result = new AdapterResult();
    byte[] bytes = raw.payload();
    int documents = 0;
    if (mapper == YAML_STREAM) {
      int[] starts = yamlDocumentStarts(bytes);
      long line = 1;
      int lineCountedTo = 0;
      for (int i = 0; i < starts.length; i++) {
        int from = starts[i];
        int to = i + 1 < starts.length ? starts[i + 1] : bytes.length;
        for (; lineCountedTo < from; lineCountedTo++) {
          if (bytes[lineCountedTo] == '\n') {
            line++;
          }
        }
        byte[] doc = java.util.Arrays.copyOfRange(bytes, from, to);
        if (i > 0 && JsonInput.isBlank(doc)) {
          continue;
        }
        documents += parseDocuments(raw, doc, line - 1, mapper, what, result);
      }
    } else {
      documents = parseDocuments(raw, bytes, 0, mapper, what, result);
    }
    if (documents == 0 && result.records() == 0) {
      result.fail(ParseFailure.of(FailureKind.EMPTY_INPUT, "the " + what
          + " holds no document, or only empty ones", raw.origin()));
    }
    return result;
  }

  /** Byte offsets where YAML documents start: 0 and each line that begins with "---". */
  static int[] yamlDocumentStarts(byte[] b) {
    int[] starts = new int[8];
    int n = 0;
    starts[n++] = 0;
    for (int i = 0; i + 3 <= b.length; i++) {
      boolean lineStart = i == 0 || b[i - 1] == '\n';
      if (lineStart && b[i] == '-' && b[i + 1] == '-' && b[i + 2] == '-'
          && (i + 3 == b.length || b[i + 3] == ' ' || b[i + 3] == '\n' || b[i + 3] == '\r'
              || b[i + 3] == '\t')) {
        if (i > 0) {
          if (n == starts.length) {
            starts = java.util.Arrays.copyOf(starts, n * 2);
          }
          starts[n++] = i;
        }
      }
    }
    return java.util.Arrays.copyOf(starts, n);
  }

  /**
   * The root values of {@code bytes} (one YAML document, or concatenated JSON values) into
   * {@code result}; lines are reported as {@code lineOffset} plus the line within {@code bytes}.
   * Returns how many non-empty documents were found.
   */
  private int parseDocuments(RawRecord raw, byte[] bytes, long lineOffset, ObjectMapper mapper,
      String what, AdapterResult result) {
    Origin origin = raw.origin();
    try {
      Utf8.decode(bytes);
    } catch (RecordRejected e) {
      result.fail(new ParseFailure(e.kind(), e.getMessage()
          + (lineOffset > 0 ? " (document from line " + (lineOffset + 1) + ")" : ""),
          lineOffset > 0 ? origin.atLine(lineOffset + 1) : origin, null));
      return 0;
    }
    int documents = 0;
    try (JsonParser p = mapper.getFactory().createParser(bytes)) {
      while (p.nextToken() != null) {
        long line = p.currentTokenLocation().getLineNr();
        JsonNode doc = mapper.readTree(p);
        if (!KubernetesObject.absent(doc)) {
          documents++; // an empty YAML document ("---" followed by nothing) holds no record
        }
        document(doc, line > 0 ? origin.atLine(lineOffset + line) : origin, raw.observedTime(),
            result);
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String msg = firstLine(e.getOriginalMessage());
      FailureKind kind = msg.contains("exceeds the limit") ? FailureKind.TOO_LARGE
          : FailureKind.MALFORMED_SYNTAX;
      long at = line > 0 ? lineOffset + line : lineOffset > 0 ? lineOffset + 1 : -1;
      result.fail(new ParseFailure(kind, "not well-formed " + what
          + (at > 0 ? " at line " + at : "") + ": " + msg
          + (result.records() > 0 ? " (the objects before it were read)" : ""),
          at > 0 ? origin.atLine(at) : origin, lineOffset > 0 ? bytes : null));
    } catch (IOException e) {
      result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed " + what + ": "
          + firstLine(String.valueOf(e.getMessage())), origin));
    }
    return documents;
  }

  private void document(JsonNode doc, Origin at, Instant observed, AdapterResult result) {
    if (KubernetesObject.absent(doc)) {
      return; // an empty YAML document ("---" followed by nothing) holds no record
    }
    if (!doc.isObject()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "expected a Kubernetes object, a"
          + " list or a watch event, found " + JsonTrees.describe(doc), at));
      return;
    }
    if (isWatchEvent(doc)) {
      watchEvent(doc, at, observed, result);
      return;
    }
    JsonNode kind = doc.get("kind");
    if (kind != null && kind.isTextual() && kind.asText().endsWith("List")
        && (doc.has("items") || kind.asText().equals("List"))) {
      JsonNode items = doc.get("items");
      if (KubernetesObject.absent(items)) {
        return; // kubectl writes "items: null" for an empty list
      }
      if (!items.isArray()) {
        result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "/items of a " + kind.asText()
            + ": expected a list of objects, found " + JsonTrees.describe(items),
            at.at("/items")));
        return;
      }
      for (int i = 0; i < items.size(); i++) {
        object(items.get(i), "/items/" + i, ConfigOperation.SNAPSHOT, Optional.empty(), at,
            observed, result);
      }
      return;
    }
    object(doc, "", ConfigOperation.SNAPSHOT, Optional.empty(), at, observed, result);
  }

  /** A watch event has type and object and is not itself an object with metadata. */
  private static boolean isWatchEvent(JsonNode doc) {
    return doc.has("type") && doc.has("object") && !doc.has("metadata") && !doc.has("kind");
  }

  private void watchEvent(JsonNode doc, Origin at, Instant observed, AdapterResult result) {
    JsonNode type = doc.get("type");
    JsonNode object = doc.get("object");
    Origin objectAt = at.at("/object");
    if (!type.isTextual() || type.asText().isBlank()) {
      result.fail(ParseFailure.of(FailureKind.WRONG_TYPE, "/type of a watch event: expected"
          + " ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, found " + JsonTrees.describe(type),
          at.at("/type")));
      return;
    }
    String t = type.asText();
    switch (t) {
      case "ADDED" -> object(object, "/object", ConfigOperation.ADDED, Optional.empty(), at,
          observed, result);
      case "MODIFIED" -> object(object, "/object", ConfigOperation.MODIFIED, Optional.empty(),
          at, observed, result);
      case "DELETED" -> object(object, "/object", ConfigOperation.DELETED, Optional.empty(), at,
          observed, result);
      case "BOOKMARK" -> {
        String rv = object.isObject() && object.path("metadata").isObject()
            ? object.path("metadata").path("resourceVersion").asText("") : "";
        result.fail(ParseFailure.of(FailureKind.UNSUPPORTED, BOOKMARK_REASON
            + (rv.isEmpty() ? "" : " (resourceVersion " + rv + ")")
            + "; it only marks the stream's position", objectAt));
      }
      case "ERROR" -> {
        StringBuilder s = new StringBuilder("watch ERROR from the API server");
        if (object.isObject()) {
          appendIfText(s, " ", object.get("code"));
          appendIfText(s, " ", object.get("reason"));
          appendIfText(s, ": ", object.get("message"));
        }
        result.fail(ParseFailure.of(FailureKind.UNSUPPORTED, s.toString(), objectAt));
      }
      default -> object(object, "/object", ConfigOperation.UNKNOWN, Optional.of(t), at,
          observed, result);
    }
  }

  private static void appendIfText(StringBuilder s, String sep, JsonNode v) {
    if (v != null && v.isValueNode() && !v.asText().isEmpty()) {
      s.append(sep).append(v.asText());
    }
  }

  private void object(JsonNode obj, String pointer, ConfigOperation op, Optional<String> rawOp,
      Origin docAt, Instant observed, AdapterResult result) {
    Origin at = pointer.isEmpty() ? docAt : docAt.at(pointer);
    try {
      result.add(KubernetesObject.toEvent(obj, pointer, op, rawOp, at, observed));
    } catch (RecordRejected e) {
      byte[] fragment = e.kind() == FailureKind.TOO_LARGE ? null
          : JsonTrees.canonical(obj).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      result.fail(new ParseFailure(e.kind(), e.getMessage(), at, fragment));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
