package dev.weft.adapters;

import dev.weft.model.Framing;
import dev.weft.model.RawRecord;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.weft.model.ConfigOperation;
import dev.weft.model.ConfigPart;
import dev.weft.model.Event;
import dev.weft.model.EventIds;
import dev.weft.model.EventKind;
import dev.weft.model.FailureKind;
import dev.weft.model.IdKind;
import dev.weft.model.Origin;
import dev.weft.model.Reference;
import dev.weft.model.TimeQuality;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Format {@code inventory}: an inventory / CMDB export (CSV with a header row, a JSON array of
 * objects, or one JSON object per line) read through an {@link InventoryMapping}.
 *
 * <p>Each CSV row or JSON object is one record and becomes one {@link EventKind#INVENTORY} event
 * or one {@link ParseFailure}; a failure's origin has {@code atLine(n)} = the line of the input on
 * which the record starts (the CSV header is line 1), plus a pointer {@code /n} for elements of a
 * JSON array. Events carry:
 *
 * <ul>
 *   <li>id: {@code EventIds.sourceId("inventory", mapping name, id)} when the id column has a value
 *       (SOURCE_ID), else a content hash over the mapping name, entity type and every non-empty
 *       cell (identical rows are the same event);
 *   <li>event time from the time column (SOURCE); when there is no time column or the cell is
 *       empty, the record's observedTime, flagged {@link TimeQuality#FALLBACK}; a time cell that
 *       does not match the layout fails the record (INVALID_VALUE);
 *   <li>signals and attributes per the mapping, {@code weft.entity.type} = the entity type, every
 *       unmapped and not ignored column as an attribute under its own name.
 * </ul>
 *
 * <p>Empty cells (after trimming, when the mapping trims) are absent values, never empty strings.
 * A row whose number of cells differs from the header, a row holding bytes that are not UTF-8, and
 * a cell longer than {@link #MAX_CELL_CHARS} each fail that row only. An unterminated quote makes
 * the rest of the input unsplittable: the rows before it are events, the rest is one failure.
 *
 * <p>Several mappings can share one reading of an export (one per model of a NetBox {@code
 * dumpdata} array): each record goes to the first mapping, in the order given, whose {@code where}
 * it matches; a record no mapping takes is {@linkplain AdapterResult#filter filtered} (counted).
 * A mapping with {@code relations} gives its events a {@link ConfigPart} of operation SNAPSHOT
 * whose {@link Reference}s name the related entities, so the graph draws the structural edges as
 * it does for Kubernetes objects.
 */
public final class InventoryAdapter implements SourceAdapter {
  private static final long serialVersionUID = 1L;

  public static final String FORMAT = "inventory";

  /** Longest cell accepted; a longer one fails its row as TOO_LARGE (an export, not a blob store). */
  public static final int MAX_CELL_CHARS = 1 << 20;

  // Our own per-cell limit applies instead, so that one huge cell fails one row, not the file.
  private static final CsvFactory CSV = CsvFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build())
      .build();

  /** The first mapping: how the input is read (format, trimming, CSV dialect). */
  private final InventoryMapping mapping;
  private final List<InventoryMapping> mappings;

  public InventoryAdapter(InventoryMapping mapping) {
    this(List.of(mapping));
  }

  /**
   * One reading of an export shared by several mappings, tried in order.
   *
   * @throws IllegalArgumentException when there is none, or two read the input differently
   */
  public InventoryAdapter(List<InventoryMapping> mappings) {
    if (mappings.isEmpty()) {
      throw new IllegalArgumentException("an inventory source needs at least one mapping");
    }
    for (InventoryMapping m : mappings) {
      if (!m.readsLike(mappings.get(0))) {
        throw new IllegalArgumentException("mappings '" + mappings.get(0).name() + "' and '"
            + m.name() + "' read an input differently (input, trim or csv settings); one reading"
            + " of a file can only serve mappings that read it alike");
      }
    }
    this.mapping = mappings.get(0);
    this.mappings = List.copyOf(mappings);
  }

  public InventoryMapping mapping() {
    return mapping;
  }

  public List<InventoryMapping> mappings() {
    return mappings;
  }

  @Override
  public String format() {
    return FORMAT;
  }

  @Override
  public Framing fileFraming() {
    // A CSV row means nothing without its header, so a file is one document.
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
    boolean json = switch (mapping.input()) {
      case JSON -> true;
      case CSV -> false;
      case AUTO -> startsLikeJson(bytes);
    };
    try {
      return json ? parseJson(raw) : parseCsv(raw);
    } catch (RuntimeException e) {
      // A bug of ours must not kill the bundle; it becomes a dead letter that names it.
      return AdapterResult.failure(ParseFailure.of(FailureKind.ADAPTER_BUG,
          "inventory adapter failed: " + e, origin));
    }
  }

  // ---------------------------------------------------------------- CSV

  private AdapterResult parseCsv(RawRecord raw) {
    AdapterResult result = new AdapterResult();
    ByteLines lines = new ByteLines(raw.payload());
    CsvRows rows = new CsvRows(raw, lines, result);
    // A row whose quote never closes swallows the rest of the file; it costs its own first line
    // (one dead letter) and reading starts again on the next line.
    long from = 1;
    while (from > 0) {
      from = rows.readFrom(from);
    }
    if (rows.header == null && result.records() == 0) {
      result.fail(ParseFailure.of(FailureKind.EMPTY_INPUT, "the CSV has no header row",
          raw.origin()));
    }
    return result;
  }

  /** The rows of one CSV input, read from a given line on; the header is kept across restarts. */
  private final class CsvRows {
    private final RawRecord raw;
    private final ByteLines lines;
    private final AdapterResult result;
    List<String> header = mapping.columns().isEmpty() ? null : mapping.columns();
    private long headerLine;
    /** The last line of the last row read whole (or of the header). */
    private long lastEnd;
    private boolean stopped;

    CsvRows(RawRecord raw, ByteLines lines, AdapterResult result) {
      this.raw = raw;
      this.lines = lines;
      this.result = result;
    }

    /** Reads rows from line {@code from}; returns the line to restart from, or 0 when done. */
    long readFrom(long from) {
      Origin origin = raw.origin();
      long offset = from - 1;
      lastEnd = offset;
      String text = decodeLenient(from == 1 ? raw.payload() : lines.slice(from, lines.count()));
      if (from == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
        // A byte-order mark (Excel exports) is not part of the first column's name.
        text = text.substring(1);
      }
      CsvSchema schema = CsvSchema.emptySchema().withoutHeader()
          .withColumnSeparator(mapping.separator()).withQuoteChar(mapping.quote());
      try (CsvParser p = (CsvParser) CSV.createParser(text)) {
        p.setSchema(schema);
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          if (t != JsonToken.START_ARRAY) {
            continue;
          }
          long startLine = offset + p.currentLocation().getLineNr();
          List<String> cells = new ArrayList<>();
          while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            cells.add(p.getText());
          }
          long endLine = Math.max(startLine, offset + p.currentLocation().getLineNr() - 1);
          if (cells.size() == 1 && cells.get(0).isBlank()) {
            lastEnd = endLine;
            continue; // a blank line is not a record
          }
          if (header != null && endLine > startLine && cells.size() != header.size()) {
            // A row over several lines with the wrong cell count: a stray quote ran into the
            // rows below it. Its first line is the bad row; the rest are read again.
            brokenQuote(startLine, "a quoted value opened on line " + startLine
                + " runs over " + (endLine - startLine + 1) + " lines into a row of "
                + cells.size() + " cells (the header has " + header.size() + "): a stray quote");
            return startLine + 1;
          }
          lastEnd = endLine;
          row(cells, startLine, endLine);
          if (stopped) {
            return 0;
          }
        }
      } catch (JsonParseException e) {
        String msg = e.getOriginalMessage();
        if (msg != null && msg.contains("closing quote")) {
          long bad = firstNonBlankAfter(lastEnd);
          brokenQuote(bad, "a quoted value opened on line " + bad + " is never closed (the"
              + " input ends inside it)");
          return bad + 1 <= lines.count() ? bad + 1 : 0;
        }
        long line = e.getLocation() == null ? -1 : offset + e.getLocation().getLineNr();
        result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed CSV near line "
            + line + ": " + msg, line > 0 ? origin.atLine(line) : origin));
      } catch (IOException e) {
        result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed CSV: "
            + e.getMessage(), origin));
      }
      return 0;
    }

    private long firstNonBlankAfter(long line) {
      long n = line + 1;
      while (n < lines.count() && JsonInput.isBlank(lines.slice(n, n))) {
        n++;
      }
      return n;
    }

    private void brokenQuote(long line, String reason) {
      result.fail(new ParseFailure(FailureKind.MALFORMED_SYNTAX, reason + "; the rows after it"
          + " are read on their own", raw.origin().atLine(line), lines.slice(line, line)));
    }

    /** One complete row: the header, an event, or a failure. */
    private void row(List<String> cells, long startLine, long endLine) {
      Origin at = raw.origin().atLine(startLine);
      Optional<String> badBytes = lines.firstInvalidUtf8(startLine, endLine);
      if (header == null) {
        if (badBytes.isPresent()) {
          result.fail(ParseFailure.of(FailureKind.INVALID_ENCODING,
              "the CSV header on line " + startLine + " is not valid UTF-8: "
                  + badBytes.get(), at));
          stopped = true;
          return;
        }
        try {
          header = headerOf(cells);
        } catch (RecordRejected e) {
          result.fail(ParseFailure.of(e.kind(), e.getMessage(), at));
          stopped = true;
          return;
        }
        headerLine = startLine;
        Optional<String> missing = missingColumns(header);
        if (missing.isPresent()) {
          result.fail(ParseFailure.of(FailureKind.MISSING_FIELD, missing.get(), at));
          stopped = true;
        }
        return;
      }
      byte[] fragment = lines.slice(startLine, endLine);
      if (badBytes.isPresent()) {
        result.fail(new ParseFailure(FailureKind.INVALID_ENCODING, "the row on line "
            + startLine + " is not valid UTF-8: " + badBytes.get(), at, fragment));
        return;
      }
      if (cells.size() != header.size()) {
        result.fail(new ParseFailure(FailureKind.MALFORMED_SYNTAX, "the row on line "
            + startLine + " has " + cells.size() + " cells but the header"
            + (headerLine > 0 ? " on line " + headerLine : " (csv/columns of the mapping)")
            + " has " + header.size() + " columns", at, fragment));
        return;
      }
      SortedMap<String, String> record = new TreeMap<>();
      try {
        for (int i = 0; i < cells.size(); i++) {
          putCell(record, header.get(i), cells.get(i));
        }
        take(record, at, raw.observedTime(), result);
      } catch (RecordRejected e) {
        result.fail(new ParseFailure(e.kind(), "the row on line " + startLine + ": "
            + e.getMessage(), at, fragment));
      }
    }
  }

  private List<String> headerOf(List<String> cells) throws RecordRejected {
    List<String> header = new ArrayList<>(cells.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      // Column names are always trimmed: Febrl writes "rec_id, given_name, ...".
      String name = cells.get(i).strip();
      if (name.isEmpty()) {
        name = "column_" + (i + 1);
      }
      Integer before = seen.put(name, i + 1);
      if (before != null) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "the CSV header names column '"
            + name + "' twice (columns " + before + " and " + (i + 1) + ")");
      }
      header.add(name);
    }
    return header;
  }

  /** A header lacking a column the mapping names means the mapping does not fit this export. */
  private Optional<String> missingColumns(List<String> header) {
    for (InventoryMapping m : mappings) {
      TreeSet<String> missing = new TreeSet<>(m.namedColumns());
      missing.removeAll(header);
      if (!missing.isEmpty()) {
        return Optional.of("the CSV header lacks column(s) " + missing + " named by mapping '"
            + m.name() + "'; the header has " + header);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- JSON

  private AdapterResult parseJson(RawRecord raw) {
    byte[] bytes = raw.payload();
    int first = firstNonBlank(bytes);
    if (bytes[first] == '{' && ByteLines.looksLikeJsonLines(bytes)) {
      return parseJsonLines(raw);
    }
    Origin origin = raw.origin();
    try {
      Utf8.decode(bytes);
    } catch (RecordRejected e) {
      return AdapterResult.failure(ParseFailure.of(e.kind(), e.getMessage(), origin));
    }
    AdapterResult result = new AdapterResult();
    try (JsonParser p = JsonInput.JSON.getFactory().createParser(bytes)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        long line = p.currentTokenLocation().getLineNr();
        JsonNode node = p.readValueAsTree();
        jsonRecord(node, origin.atLine(line), raw.observedTime(), result, null);
        if (p.nextToken() != null) {
          result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "unexpected content after"
              + " the JSON object, line " + p.currentTokenLocation().getLineNr(), origin));
        }
        return result;
      }
      if (t != JsonToken.START_ARRAY) {
        return AdapterResult.failure(ParseFailure.of(FailureKind.WRONG_TYPE,
            "expected a JSON array of records or JSON objects, found " + t, origin));
      }
      int index = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) {
          throw new JsonParseException(p, "the array is never closed");
        }
        long line = p.currentTokenLocation().getLineNr();
        JsonNode node = p.readValueAsTree();
        Origin at = origin.atLine(line).at("/" + index);
        jsonRecord(node, at, raw.observedTime(), result, null);
        index++;
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed JSON near line "
          + line + ": " + e.getOriginalMessage() + "; the records from there on are lost",
          line > 0 ? origin.atLine(line) : origin));
    } catch (IOException e) {
      result.fail(ParseFailure.of(FailureKind.MALFORMED_SYNTAX, "not well-formed JSON: "
          + e.getMessage(), origin));
    }
    return result;
  }

  private AdapterResult parseJsonLines(RawRecord raw) {
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
        jsonRecord(JsonInput.parseJson(line), at, raw.observedTime(), result, line);
      } catch (RecordRejected e) {
        result.fail(new ParseFailure(e.kind(), "line " + n + ": " + e.getMessage(), at, line));
      }
    }
    return result;
  }

  private void jsonRecord(JsonNode node, Origin at, Instant observed, AdapterResult result,
      byte[] fragment) {
    try {
      if (!node.isObject()) {
        throw new RecordRejected(FailureKind.WRONG_TYPE, "a record must be a JSON object, found "
            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      SortedMap<String, String> record = new TreeMap<>();
      flatten("", node, record);
      take(record, at, observed, result);
    } catch (RecordRejected e) {
      result.fail(new ParseFailure(e.kind(), e.getMessage(), at, fragment));
    }
  }

  private void flatten(String prefix, JsonNode node, SortedMap<String, String> out)
      throws RecordRejected {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(key + ".", v, out);
      } else if (v.isArray()) {
        putCell(out, key, v.isEmpty() ? "" : v.toString());
      } else if (!v.isNull()) {
        if (out.containsKey(key)) {
          throw new RecordRejected(FailureKind.INVALID_VALUE, "field '" + key
              + "' appears both as a dotted name and as a nested object");
        }
        putCell(out, key, v.asText());
      }
    }
  }

  // ---------------------------------------------------------------- record -> event

  private void putCell(SortedMap<String, String> record, String column, String value)
      throws RecordRejected {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_CELL_CHARS) {
      throw new RecordRejected(FailureKind.TOO_LARGE, "column '" + column + "' holds "
          + value.length() + " characters, more than the limit of " + MAX_CELL_CHARS);
    }
    String v = mapping.trim() ? value.strip() : value;
    if (!v.isEmpty()) {
      record.put(column, v);
    }
  }

  /** The record as an event of the first mapping that takes it, or a filtered record. */
  private void take(SortedMap<String, String> record, Origin at, Instant observed,
      AdapterResult result) throws RecordRejected {
    for (InventoryMapping m : mappings) {
      if (m.where().matches(record)) {
        result.add(toEvent(m, record, at, observed));
        return;
      }
    }
    result.filter(at + ": no mapping's where holds for " + conditionValues(record));
  }

  /** The record's values of the fields the mappings' conditions name, to say why none took it. */
  private String conditionValues(SortedMap<String, String> record) {
    SortedMap<String, String> named = new TreeMap<>();
    for (InventoryMapping m : mappings) {
      for (String field : m.where().equal().keySet()) {
        named.put(field, abbreviate(String.valueOf(record.get(field))));
      }
    }
    return named.toString();
  }

  private static Event toEvent(InventoryMapping mapping, SortedMap<String, String> record,
      Origin at, Instant observed) throws RecordRejected {
    Event.Builder b = Event.builder().origin(at).kind(EventKind.INVENTORY).observedTime(observed);
    Optional<String> id = mapping.idColumn().map(record::get);
    if (id.isPresent()) {
      b.eventId(EventIds.sourceId(FORMAT, idParts(mapping, record, id.get())), IdKind.SOURCE_ID);
    } else {
      b.eventId(EventIds.contentHash(FORMAT, record, mapping.name(), mapping.entityType()),
          IdKind.CONTENT_HASH);
    }
    Optional<String> timeCell = mapping.time().map(t -> record.get(t.column()));
    if (timeCell.isPresent()) {
      InventoryMapping.TimeColumn tc = mapping.time().get();
      try {
        b.eventTime(PlausibleTime.check(tc.parse(timeCell.get()), "time column '"
            + tc.column() + "'"), TimeQuality.SOURCE);
      } catch (DateTimeException e) {
        throw new RecordRejected(FailureKind.INVALID_VALUE, "time column '" + tc.column()
            + "' holds '" + abbreviate(timeCell.get()) + "', which does not match layout '"
            + tc.layout() + "'");
      }
    } else {
      b.eventTime(observed, TimeQuality.FALLBACK);
    }
    SortedMap<String, String> attributes = new TreeMap<>();
    attributes.put(InventoryMapping.ENTITY_TYPE_ATTRIBUTE, mapping.entityType());
    for (Map.Entry<String, String> cell : record.entrySet()) {
      String column = cell.getKey();
      String signal = mapping.signals().get(column);
      String attribute = mapping.attributes().get(column);
      if (signal != null) {
        b.signal(signal, cell.getValue());
      }
      if (attribute == null && signal == null && !mapping.ignore().contains(column)) {
        attribute = column; // unmapped: kept under its own name, never dropped
      }
      if (attribute != null) {
        String before = attributes.put(attribute, cell.getValue());
        if (before != null) {
          throw new RecordRejected(FailureKind.INVALID_VALUE, "two columns give attribute '"
              + attribute + "' (an unmapped column has the name of a mapped attribute); rename"
              + " one in mapping '" + mapping.name() + "'");
        }
      }
    }
    List<Reference> references = references(mapping, record);
    if (!references.isEmpty()) {
      // The carrier of the references, as a Kubernetes object's; a record is a snapshot.
      b.config(new ConfigPart(mapping.entityType(), Optional.empty(), ConfigOperation.SNAPSHOT,
          Optional.empty(), Optional.empty(), id.orElse(mapping.name()), Optional.empty(),
          Optional.empty(), new TreeMap<>(), new TreeMap<>(), references))
          .kind(EventKind.INVENTORY); // config() makes an event CONFIG; this one stays inventory
    }
    return b.attributes(attributes).build();
  }

  /**
   * The parts of a source id: the mapping name, the id scope's values (the model of a dumpdata
   * record: pk 12 of dcim.device is not pk 12 of dcim.interface), the id.
   */
  private static String[] idParts(InventoryMapping mapping, SortedMap<String, String> record,
      String id) throws RecordRejected {
    List<String> parts = new ArrayList<>();
    parts.add(mapping.name());
    for (String field : mapping.idScope()) {
      String v = record.get(field);
      if (v == null) {
        throw new RecordRejected(FailureKind.MISSING_FIELD, "id scope field '" + field
            + "' of mapping '" + mapping.name() + "' has no value, so the id '"
            + abbreviate(id) + "' names no record unambiguously");
      }
      parts.add(v);
    }
    parts.add(id);
    return parts.toArray(new String[0]);
  }

  /** The references of the mapping's relations that this record states. */
  private static List<Reference> references(InventoryMapping mapping,
      SortedMap<String, String> record) {
    List<Reference> out = new ArrayList<>();
    for (InventoryMapping.Relation r : mapping.relations()) {
      String target = record.get(r.field());
      if (target != null && r.where().matches(record)) {
        out.add(new Reference(r.edge(), r.to(), target, Optional.empty(), Optional.empty()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- bytes and lines

  private static boolean startsLikeJson(byte[] bytes) {
    int i = firstNonBlank(bytes);
    // Skip a UTF-8 byte-order mark.
    if (i + 2 < bytes.length && (bytes[i] & 0xff) == 0xef && (bytes[i + 1] & 0xff) == 0xbb
        && (bytes[i + 2] & 0xff) == 0xbf) {
      i += 3;
    }
    return i < bytes.length && (bytes[i] == '{' || bytes[i] == '[');
  }

  private static int firstNonBlank(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && Character.isWhitespace(bytes[i])) {
      i++;
    }
    return Math.min(i, bytes.length - 1);
  }

  private static String decodeLenient(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never reports", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
