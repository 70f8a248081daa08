package dev.weft.adapters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How the columns of one inventory / CMDB export become an {@link dev.weft.model.Event}: a YAML
 * file the user writes once per export, so no code knows the export's column names.
 *
 * <pre>{@code
 * name: cmdb-hosts            # required, [A-Za-z0-9._-]+; part of every source event id
 * entityType: host            # required; stored as attribute weft.entity.type
 * input: auto                 # csv | json | auto (JSON when the data starts with '{' or '[')
 * id: asset_id                # optional: column with the record id (else a content hash)
 * time:                       # optional: else the event time is observedTime, flagged FALLBACK
 *   column: last_seen
 *   layout: "yyyy-MM-dd HH:mm:ss"  # iso | epoch-seconds | epoch-millis | a java.time pattern
 *   zone: Europe/Paris        # for values without an offset; default UTC
 * trim: true                  # strip blanks around values (default true); blank = absent
 * csv:                        # optional
 *   separator: ","            # one character (default ',')
 *   quote: "\""               # one character (default '"')
 *   columns: [a, b, c]        # only for CSV without a header row
 * signals:                    # column -> identity signal (names as the user chooses)
 *   hostname: host.name
 * attributes:                 # column -> attribute name
 *   owner_team: team
 * ignore: [internal_notes]    # columns deliberately left out
 * where: {model: dcim.device} # optional record filter: every field equals its value
 * idScope: [model]            # optional: fields whose values qualify the id (pk 12 of two models)
 * relations:                  # optional: structural edges from this record's entity
 *   - {field: fields.device, to: netbox.device, edge: part-of}
 * }</pre>
 *
 * <p>{@code where}: a record is this mapping's only when each named field (a CSV column or a
 * flattened JSON path such as {@code fields.status}) holds the given value; a list value is
 * compared with the field's compact JSON text (arrays are kept so). Records no mapping of a
 * source takes are counted as {@code filtered}, not dead-lettered: they are well-formed records
 * of kinds the user chose not to map (the other models of a NetBox dump).
 *
 * <p>{@code relations}: each gives an edge {@code <this record's entity> -edge-> <to>:<value of
 * field>}; {@code to} is an entity type of the identity policy that names its entities by that
 * value alone (one strong rule over one signal, the target mapping's id), so the edge meets the
 * target's node without looking the target up. A relation with its own {@code where} applies only
 * to records that match it (a NetBox IP assigned to an interface, not to a VM interface).
 *
 * <p>Every column that is neither mapped nor ignored becomes an attribute under its own name, so
 * nothing is dropped silently. The id and time columns are also ordinary columns: list them under
 * {@code signals}/{@code attributes} to rename them, else they are kept under their own name too.
 * JSON records are flattened first: nested objects by dotted keys ({@code address.city}), arrays as
 * compact JSON text.
 */
public final class InventoryMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The attribute that names the kind of entity the records describe. */
  public static final String ENTITY_TYPE_ATTRIBUTE = "weft.entity.type";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Set<String> TOP_KEYS = Set.of("name", "entityType", "input", "id", "time",
      "trim", "csv", "signals", "attributes", "ignore", "where", "idScope", "relations");
  private static final Pattern EDGE = Pattern.compile("[a-z][a-z0-9-]*");

  /** What the export is written in. */
  public enum Input {
    CSV,
    JSON,
    /** JSON when the first non-blank byte is '{' or '[', CSV otherwise. */
    AUTO
  }

  private final String name;
  private final String entityType;
  private final Input input;
  // Nullable rather than Optional: the mapping travels inside a serialized adapter.
  private final String idColumn;
  private final TimeColumn time;
  private final boolean trim;
  private final char separator;
  private final char quote;
  private final List<String> columns;
  private final SortedMap<String, String> signals;
  private final SortedMap<String, String> attributes;
  private final SortedSet<String> ignore;
  private final RecordFilter where;
  private final List<String> idScope;
  private final List<Relation> relations;

  private InventoryMapping(String name, String entityType, Input input, Optional<String> idColumn,
      Optional<TimeColumn> time, boolean trim, char separator, char quote, List<String> columns,
      SortedMap<String, String> signals, SortedMap<String, String> attributes,
      SortedSet<String> ignore, RecordFilter where, List<String> idScope,
      List<Relation> relations) {
    this.name = name;
    this.entityType = entityType;
    this.input = input;
    this.idColumn = idColumn.orElse(null);
    this.time = time.orElse(null);
    this.trim = trim;
    this.separator = separator;
    this.quote = quote;
    this.columns = List.copyOf(columns);
    this.signals = Collections.unmodifiableSortedMap(new TreeMap<>(signals));
    this.attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    this.ignore = Collections.unmodifiableSortedSet(new TreeSet<>(ignore));
    this.where = where;
    this.idScope = List.copyOf(idScope);
    this.relations = List.copyOf(relations);
  }

  /** Reads and validates a mapping file; the exception names the file, the place and the problem. */
  public static InventoryMapping load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    }
  }

  /**
   * Reads and validates a mapping; {@code sourceName} names the input in error messages (a file
   * name, a resource path).
   */
  public static InventoryMapping load(InputStream in, String sourceName) throws IOException {
    JsonNode root;
    String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      root = JsonInput.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "/"
          : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new InventoryMappingException(sourceName, where,
          "not well-formed YAML: " + e.getOriginalMessage());
    }
    return new Reader(sourceName, dev.weft.config.YamlLines.of(text)).read(root);
  }

  /** The same mapping under another name (one mapping used for several exports of one kind). */
  public InventoryMapping withName(String newName) throws InventoryMappingException {
    if (newName == null || !NAME.matcher(newName).matches()) {
      throw new InventoryMappingException("(withName)", "/name",
          "'" + newName + "' is not a name of letters, digits, '.', '_' or '-'");
    }
    return new InventoryMapping(newName, entityType, input, idColumn(), time(), trim, separator, quote,
        columns, signals, attributes, ignore, where, idScope, relations);
  }

  public String name() {
    return name;
  }

  public String entityType() {
    return entityType;
  }

  public Input input() {
    return input;
  }

  public Optional<String> idColumn() {
    return Optional.ofNullable(idColumn);
  }

  public Optional<TimeColumn> time() {
    return Optional.ofNullable(time);
  }

  public boolean trim() {
    return trim;
  }

  public char separator() {
    return separator;
  }

  public char quote() {
    return quote;
  }

  /** Column names of a header-less CSV; empty when the CSV has a header row. */
  public List<String> columns() {
    return columns;
  }

  /** Column -> signal name. */
  public SortedMap<String, String> signals() {
    return signals;
  }

  /** Column -> attribute name. */
  public SortedMap<String, String> attributes() {
    return attributes;
  }

  public SortedSet<String> ignore() {
    return ignore;
  }

  /** Which records are this mapping's; {@link RecordFilter#all()} when it has no {@code where}. */
  public RecordFilter where() {
    return where;
  }

  /** Fields whose values qualify the id column's value in the event id (empty: none). */
  public List<String> idScope() {
    return idScope;
  }

  public List<Relation> relations() {
    return relations;
  }

  /**
   * Whether two mappings read an input alike (format, trimming, CSV dialect and columns), so one
   * reading of a file can serve both.
   */
  public boolean readsLike(InventoryMapping other) {
    return input == other.input && trim == other.trim && separator == other.separator
        && quote == other.quote && columns.equals(other.columns);
  }

  /**
   * One relation: the value of {@code field} names an entity of type {@code to}; the record's own
   * entity has edge {@code edge} to it, for records that match {@code where}.
   */
  public record Relation(String field, String to, String edge, RecordFilter where)
      implements Serializable {}

  /** Columns the mapping names (id, time, signals, attributes, ignore), for header checks. */
  public SortedSet<String> namedColumns() {
    SortedSet<String> all = new TreeSet<>();
    idColumn().ifPresent(all::add);
    time().ifPresent(t -> all.add(t.column()));
    all.addAll(signals.keySet());
    all.addAll(attributes.keySet());
    all.addAll(ignore);
    all.addAll(where.equal().keySet());
    all.addAll(idScope);
    relations.forEach(r -> {
      all.add(r.field());
      all.addAll(r.where().equal().keySet());
    });
    return all;
  }

  /** The time column: its name, layout and the zone for values without an offset. */
  public static final class TimeColumn implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String layout;
    private final ZoneId zone;
    // DateTimeFormatter is not Serializable; rebuilt on first use after deserialization.
    private transient DateTimeFormatter formatter;

    TimeColumn(String column, String layout, ZoneId zone) {
      this.column = column;
      this.layout = layout;
      this.zone = zone;
      this.formatter = formatterFor(layout);
    }

    public String column() {
      return column;
    }

    public String layout() {
      return layout;
    }

    public ZoneId zone() {
      return zone;
    }

    /** The instant a cell denotes; a date alone is the start of that day in the zone. */
    public Instant parse(String value) throws DateTimeException {
      switch (layout) {
        case "epoch-seconds":
          return epoch(value, 1000);
        case "epoch-millis":
          return epoch(value, 1);
        default:
          break;
      }
      if (formatter == null) {
        formatter = formatterFor(layout);
      }
      TemporalAccessor t = formatter.parseBest(value, ZonedDateTime::from,
          OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
      if (t instanceof ZonedDateTime z) {
        return z.toInstant();
      }
      if (t instanceof OffsetDateTime o) {
        return o.toInstant();
      }
      if (t instanceof LocalDateTime l) {
        return l.atZone(zone).toInstant();
      }
      return ((LocalDate) t).atStartOfDay(zone).toInstant();
    }

    private static Instant epoch(String value, long millisPerUnit) {
      try {
        return Instant.ofEpochMilli(Math.multiplyExact(Long.parseLong(value), millisPerUnit));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new DateTimeParseException("not a whole number in range", value, 0);
      }
    }

    private static DateTimeFormatter formatterFor(String layout) {
      if (layout.equals("epoch-seconds") || layout.equals("epoch-millis")) {
        return null;
      }
      if (layout.equals("iso")) {
        // ISO date-time with an optional offset or zone, or a date alone.
        return new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId()
            .appendLiteral(']').optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.ERA, 1)
            .toFormatter();
      }
      return DateTimeFormatter.ofPattern(layout);
    }
  }

  /** Reads the YAML tree, collecting the place of each problem. */
  private static final class Reader {
    private final String file;
    private final dev.weft.config.YamlLines lines;

    Reader(String file, dev.weft.config.YamlLines lines) {
      this.file = file;
      this.lines = lines;
    }

    InventoryMapping read(JsonNode root) throws InventoryMappingException {
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw fail("/", "the mapping is empty");
      }
      if (!root.isObject()) {
        throw fail("/", "expected a mapping of keys (name, entityType, signals, ...), found "
            + describe(root));
      }
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!TOP_KEYS.contains(key)) {
          throw fail("/" + key, dev.weft.config.NearestName.unknownKey(key, key, TOP_KEYS));
        }
      }
      String name = requiredText(root, "name");
      if (!NAME.matcher(name).matches()) {
        throw fail("/name", "'" + name + "' is not a name of letters, digits, '.', '_' or '-'"
            + " (it becomes part of event ids)");
      }
      String entityType = requiredText(root, "entityType");
      Input input = Input.AUTO;
      Optional<String> inputText = optionalText(root, "input");
      if (inputText.isPresent()) {
        try {
          input = Input.valueOf(inputText.get().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw fail("/input", "'" + inputText.get() + "' is not one of csv, json, auto");
        }
      }
      Optional<String> id = optionalText(root, "id");
      Optional<TimeColumn> time = readTime(root.get("time"));
      boolean trim = true;
      JsonNode trimNode = root.get("trim");
      if (trimNode != null && !trimNode.isNull()) {
        if (!trimNode.isBoolean()) {
          throw fail("/trim", "expected true or false, found " + describe(trimNode));
        }
        trim = trimNode.booleanValue();
      }
      char separator = ',';
      char quote = '"';
      List<String> columns = new ArrayList<>();
      JsonNode csv = root.get("csv");
      if (csv != null && !csv.isNull()) {
        if (!csv.isObject()) {
          throw fail("/csv", "expected a mapping (separator, quote, columns), found "
              + describe(csv));
        }
        for (Iterator<String> it = csv.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!Set.of("separator", "quote", "columns").contains(key)) {
            throw fail("/csv/" + key, dev.weft.config.NearestName.unknownKey(key, key,
                Set.of("separator", "quote", "columns")));
          }
        }
        separator = oneChar(csv, "separator", ',');
        quote = oneChar(csv, "quote", '"');
        columns = stringList(csv.get("columns"), "/csv/columns");
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < columns.size(); i++) {
          if (!seen.add(columns.get(i))) {
            throw fail("/csv/columns/" + i, "column '" + columns.get(i) + "' is listed twice");
          }
        }
      }
      SortedMap<String, String> signals = stringMap(root.get("signals"), "/signals");
      SortedMap<String, String> attributes = stringMap(root.get("attributes"), "/attributes");
      List<String> ignoreList = stringList(root.get("ignore"), "/ignore");
      SortedSet<String> ignore = new TreeSet<>(ignoreList);

      uniqueTargets(signals, "/signals", "signal");
      uniqueTargets(attributes, "/attributes", "attribute");
      for (Map.Entry<String, String> e : attributes.entrySet()) {
        if (e.getValue().equals(ENTITY_TYPE_ATTRIBUTE)) {
          throw fail("/attributes/" + e.getKey(), "attribute name " + ENTITY_TYPE_ATTRIBUTE
              + " is reserved for entityType");
        }
      }
      for (int i = 0; i < ignoreList.size(); i++) {
        String c = ignoreList.get(i);
        String clash = signals.containsKey(c) ? "signals" : attributes.containsKey(c)
            ? "attributes" : id.filter(c::equals).isPresent() ? "id"
            : time.filter(t -> t.column().equals(c)).isPresent() ? "time/column" : null;
        if (clash != null) {
          throw fail("/ignore/" + i, "column '" + c + "' is ignored but also used as " + clash);
        }
      }
      if (!columns.isEmpty()) {
        Set<String> known = new TreeSet<>(columns);
        checkKnown(id.stream().toList(), known, "/id");
        checkKnown(time.stream().map(TimeColumn::column).toList(), known, "/time/column");
        checkKnown(List.copyOf(signals.keySet()), known, "/signals");
        checkKnown(List.copyOf(attributes.keySet()), known, "/attributes");
        checkKnown(ignoreList, known, "/ignore");
      }
      RecordFilter where = readFilter(root.get("where"), "/where");
      List<String> idScope = stringList(root.get("idScope"), "/idScope");
      if (!idScope.isEmpty() && id.isEmpty()) {
        throw fail("/idScope", "idScope qualifies the id column; name one with 'id'");
      }
      List<Relation> relations = readRelations(root.get("relations"));
      return new InventoryMapping(name, entityType, input, id, time, trim, separator, quote,
          columns, signals, attributes, ignore, where, idScope, relations);
    }

    private RecordFilter readFilter(JsonNode node, String place) throws InventoryMappingException {
      if (node == null || node.isNull()) {
        return RecordFilter.all();
      }
      if (!node.isObject() || node.isEmpty()) {
        throw fail(place, "expected a mapping of field: value (all must hold), found "
            + describe(node));
      }
      SortedMap<String, String> equal = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (e.getKey().isBlank()) {
          throw fail(place, "a field name is blank");
        }
        if (v.isNull() || v.isObject() || (v.isValueNode() && v.asText().isBlank())) {
          throw fail(place + "/" + e.getKey(), "expected a value to compare the field with"
              + " (text, number, true/false or a list), found " + describe(v));
        }
        equal.put(e.getKey(), RecordFilter.text(v));
      }
      return new RecordFilter(equal);
    }

    private List<Relation> readRelations(JsonNode node) throws InventoryMappingException {
      List<Relation> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        throw fail("/relations", "expected a list of {field, to, edge}, found " + describe(node));
      }
      Set<String> keys = Set.of("field", "to", "edge", "where");
      for (int i = 0; i < node.size(); i++) {
        String at = "/relations/" + i;
        JsonNode r = node.get(i);
        if (!r.isObject()) {
          throw fail(at, "expected a mapping {field, to, edge}, found " + describe(r));
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!keys.contains(key)) {
            throw fail(at + "/" + key, dev.weft.config.NearestName.unknownKey(key, key, keys));
          }
        }
        String field = requiredText(r, "field", at + "/field");
        String to = requiredText(r, "to", at + "/to");
        if (to.contains(":") || to.contains("~") || to.contains("/")) {
          throw fail(at + "/to", "'" + to + "' is not an entity type (no ':', '~' or '/')");
        }
        String edge = requiredText(r, "edge", at + "/edge");
        if (!EDGE.matcher(edge).matches()) {
          throw fail(at + "/edge", "'" + edge + "' is not an edge name of lower-case letters,"
              + " digits and '-' (part-of, assigned-to)");
        }
        out.add(new Relation(field, to, edge, readFilter(r.get("where"), at + "/where")));
      }
      return out;
    }

    private Optional<TimeColumn> readTime(JsonNode node) throws InventoryMappingException {
      if (node == null || node.isNull()) {
        return Optional.empty();
      }
      if (!node.isObject()) {
        throw fail("/time", "expected a mapping (column, layout, zone), found " + describe(node));
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!Set.of("column", "layout", "zone").contains(key)) {
          throw fail("/time/" + key, dev.weft.config.NearestName.unknownKey(key, key,
              Set.of("column", "layout", "zone")));
        }
      }
      String column = requiredText(node, "column", "/time/column");
      String layout = requiredText(node, "layout", "/time/layout");
      ZoneId zone = ZoneId.of("UTC");
      Optional<String> zoneText = optionalText(node, "zone", "/time/zone");
      if (zoneText.isPresent()) {
        try {
          zone = ZoneId.of(zoneText.get());
        } catch (DateTimeException e) {
          throw fail("/time/zone", "unknown time zone '" + zoneText.get() + "' (use an id such as"
              + " UTC, Europe/Paris or +02:00)");
        }
      }
      try {
        return Optional.of(new TimeColumn(column, layout, zone));
      } catch (IllegalArgumentException e) {
        throw fail("/time/layout", "'" + layout + "' is not iso, epoch-seconds, epoch-millis or a"
            + " valid java.time pattern: " + e.getMessage());
      }
    }

    private void checkKnown(List<String> named, Set<String> known, String place)
        throws InventoryMappingException {
      for (String c : named) {
        if (!known.contains(c)) {
          throw fail(place, "column '" + c + "' is not among csv/columns " + known);
        }
      }
    }

    private void uniqueTargets(SortedMap<String, String> map, String place, String what)
        throws InventoryMappingException {
      Map<String, String> byTarget = new TreeMap<>();
      for (Map.Entry<String, String> e : map.entrySet()) {
        String before = byTarget.put(e.getValue(), e.getKey());
        if (before != null) {
          throw fail(place + "/" + e.getKey(), "columns '" + before + "' and '" + e.getKey()
              + "' both map to " + what + " '" + e.getValue() + "'");
        }
      }
    }

    private char oneChar(JsonNode parent, String key, char dflt)
        throws InventoryMappingException {
      Optional<String> s = optionalText(parent, key, "/csv/" + key);
      if (s.isEmpty()) {
        return dflt;
      }
      if (s.get().length() != 1) {
        throw fail("/csv/" + key, "expected exactly one character, found '" + s.get() + "'");
      }
      return s.get().charAt(0);
    }

    private SortedMap<String, String> stringMap(JsonNode node, String place)
        throws InventoryMappingException {
      SortedMap<String, String> out = new TreeMap<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isObject()) {
        throw fail(place, "expected a mapping of column: name, found " + describe(node));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().isBlank()) {
          throw fail(place, "a column name is blank");
        }
        JsonNode v = e.getValue();
        if (!v.isTextual() || v.asText().isBlank()) {
          throw fail(place + "/" + e.getKey(), "expected a non-blank name, found " + describe(v));
        }
        out.put(e.getKey(), v.asText().strip());
      }
      return out;
    }

    private List<String> stringList(JsonNode node, String place) throws InventoryMappingException {
      List<String> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        throw fail(place, "expected a list of column names, found " + describe(node));
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode v = node.get(i);
        if (!v.isTextual() || v.asText().isBlank()) {
          throw fail(place + "/" + i, "expected a non-blank column name, found " + describe(v));
        }
        out.add(v.asText());
      }
      return out;
    }

    private String requiredText(JsonNode parent, String key) throws InventoryMappingException {
      return requiredText(parent, key, "/" + key);
    }

    private String requiredText(JsonNode parent, String key, String place)
        throws InventoryMappingException {
      return optionalText(parent, key, place)
          .orElseThrow(() -> fail(place, "required key '" + key + "' is missing"));
    }

    private Optional<String> optionalText(JsonNode parent, String key)
        throws InventoryMappingException {
      return optionalText(parent, key, "/" + key);
    }

    private Optional<String> optionalText(JsonNode parent, String key, String place)
        throws InventoryMappingException {
      JsonNode v = parent.get(key);
      if (v == null || v.isNull()) {
        return Optional.empty();
      }
      if (!v.isTextual()) {
        throw fail(place, "expected text, found " + describe(v));
      }
      if (v.asText().isBlank()) {
        throw fail(place, "is blank; leave the key out instead");
      }
      return Optional.of(v.asText());
    }

    private InventoryMappingException fail(String place, String problem) {
      return new InventoryMappingException(file, place, lines.lineOf(place), problem);
    }

    private static String describe(JsonNode n) {
      if (n.isObject()) {
        return "a mapping";
      }
      if (n.isArray()) {
        return "a list";
      }
      if (n.isNull()) {
        return "nothing";
      }
      return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " '" + n.asText() + "'";
    }
  }
}
