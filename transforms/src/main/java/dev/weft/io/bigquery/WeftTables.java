package dev.weft.io.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import dev.weft.model.Binding;
import dev.weft.model.DeadLetter;
import dev.weft.model.Origin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Weft's four BigQuery tables — nodes, edges, bindings, dead letters — their schemas and the
 * conversion of Weft's records to rows.
 *
 * <p>Every table has {@code upsert_key STRING NOT NULL} and {@code revision INT64 NOT NULL}: the
 * primary key and the change sequence a consumer upserts by. Graph tables add the pane ({@code
 * window_start}, {@code window_end}, {@code pane_timing}, {@code pane_index}, {@code is_final}).
 * Maps (attributes, signals, log counts) are repeated {@code key}/{@code value} records, so rows
 * of one schema hold any attribute set. Graph rows are made from the graph's JSON lines (the same
 * bytes the file sink writes), which keeps the table schema and the file format in step.
 *
 * <p>See {@link BigQueryUpsertSink} for how rows reach the tables and the MERGE statement that
 * keeps a current table from an append-only changelog.
 */
public enum WeftTables {
  NODES(graphColumns(
      field("id", "STRING", "REQUIRED"),
      field("type", "STRING", "REQUIRED"),
      field("inferred", "BOOL", "NULLABLE"),
      field("events", "INT64", "NULLABLE"),
      field("first_seen", "TIMESTAMP", "NULLABLE"),
      field("last_seen", "TIMESTAMP", "NULLABLE"),
      field("last_write", "TIMESTAMP", "NULLABLE"),
      field("valid_to", "TIMESTAMP", "NULLABLE"),
      keyValues("logs_by_severity", "INT64"),
      keyValues("attributes", "STRING"))),
  EDGES(graphColumns(
      field("from_id", "STRING", "REQUIRED"),
      field("relation", "STRING", "REQUIRED"),
      field("to_id", "STRING", "REQUIRED"),
      field("kind", "STRING", "REQUIRED"),
      field("count", "INT64", "NULLABLE"),
      field("errors", "INT64", "NULLABLE"),
      field("p50_micros", "INT64", "NULLABLE"),
      field("p90_micros", "INT64", "NULLABLE"),
      field("p99_micros", "INT64", "NULLABLE"),
      field("valid_from", "TIMESTAMP", "NULLABLE"),
      field("last_observed", "TIMESTAMP", "NULLABLE"),
      field("valid_to", "TIMESTAMP", "NULLABLE"))),
  BINDINGS(columns(
      field("upsert_key", "STRING", "REQUIRED"),
      field("revision", "INT64", "REQUIRED"),
      field("event_id", "STRING", "REQUIRED"),
      field("event_time", "TIMESTAMP", "REQUIRED"),
      field("entity_type", "STRING", "REQUIRED"),
      field("entity_id", "STRING", "REQUIRED"),
      field("decision", "STRING", "REQUIRED"),
      field("rule", "STRING", "NULLABLE"),
      keyValues("signals", "STRING"),
      field("confidence", "FLOAT64", "REQUIRED"),
      field("candidates", "STRING", "REPEATED"),
      field("reason", "STRING", "NULLABLE"))),
  DEAD_LETTERS(columns(
      field("upsert_key", "STRING", "REQUIRED"),
      field("revision", "INT64", "REQUIRED"),
      field("format", "STRING", "REQUIRED"),
      field("resource", "STRING", "REQUIRED"),
      field("partition", "INT64", "NULLABLE"),
      field("offset", "INT64", "NULLABLE"),
      field("line", "INT64", "NULLABLE"),
      field("byte_offset", "INT64", "NULLABLE"),
      field("pointer", "STRING", "NULLABLE"),
      field("adapter", "STRING", "REQUIRED"),
      field("error_class", "STRING", "REQUIRED"),
      field("reason", "STRING", "REQUIRED"),
      field("payload", "STRING", "REQUIRED"),
      field("payload_encoding", "STRING", "REQUIRED"),
      field("raw_size", "INT64", "REQUIRED"),
      field("truncated", "BOOL", "REQUIRED"),
      field("observed_time", "TIMESTAMP", "REQUIRED")));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<TableFieldSchema> fields;

  WeftTables(List<TableFieldSchema> fields) {
    this.fields = fields;
  }

  /** A fresh copy of the table's schema (BigQuery's model objects are mutable). */
  public TableSchema schema() {
    List<TableFieldSchema> copy = new ArrayList<>();
    for (TableFieldSchema f : fields) {
      copy.add(f.clone());
    }
    return new TableSchema().setFields(copy);
  }

  /** The table's default name: {@code nodes}, {@code edges}, {@code bindings}, {@code dead_letters}. */
  public String tableName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A node row from one line of the graph's node output ({@code GraphNode.toJson()}).
   *
   * @throws IllegalArgumentException when the line is not a node record
   */
  public static TableRow nodeRow(String nodeJson) {
    JsonNode n = parse(nodeJson, "node");
    TableRow row = pane(n);
    row.set("id", text(n, "id")).set("type", text(n, "type"));
    copy(n, "inferred", row, "inferred");
    copy(n, "events", row, "events");
    copy(n, "firstSeen", row, "first_seen");
    copy(n, "lastSeen", row, "last_seen");
    copy(n, "lastWrite", row, "last_write");
    copy(n, "validTo", row, "valid_to");
    row.set("logs_by_severity", entries(n.get("logsBySeverity"), true));
    row.set("attributes", entries(n.get("attributes"), false));
    return row;
  }

  /** An edge row from one line of the graph's edge output ({@code GraphEdge.toJson()}). */
  public static TableRow edgeRow(String edgeJson) {
    JsonNode e = parse(edgeJson, "edge");
    TableRow row = pane(e);
    row.set("from_id", text(e, "from")).set("relation", text(e, "relation"))
        .set("to_id", text(e, "to")).set("kind", text(e, "kind"));
    copy(e, "count", row, "count");
    copy(e, "errors", row, "errors");
    copy(e, "p50Micros", row, "p50_micros");
    copy(e, "p90Micros", row, "p90_micros");
    copy(e, "p99Micros", row, "p99_micros");
    copy(e, "validFrom", row, "valid_from");
    copy(e, "lastObserved", row, "last_observed");
    copy(e, "validTo", row, "valid_to");
    return row;
  }

  /** A binding row: one identity decision, keyed by event and entity type. */
  public static TableRow bindingRow(Binding b) {
    TableRow row = new TableRow()
        .set("upsert_key", b.upsertKey())
        .set("revision", (long) b.revision())
        .set("event_id", b.eventId())
        .set("event_time", b.eventTime().toString())
        .set("entity_type", b.entityType())
        .set("entity_id", b.entityId())
        .set("decision", b.decision().name())
        .set("signals", entries(b.signals()))
        .set("confidence", b.confidence())
        .set("candidates", new ArrayList<>(b.candidates()));
    b.rule().ifPresent(r -> row.set("rule", r));
    b.reason().ifPresent(r -> row.set("reason", r));
    return row;
  }

  /**
   * A dead-letter row. Dead letters are append-only facts; the key is the record's origin, so a
   * replayed input dead-letters into the same row instead of a second one.
   */
  public static TableRow deadLetterRow(DeadLetter d) {
    Origin o = d.origin();
    TableRow row = new TableRow()
        .set("upsert_key", o.format() + "|" + o.describe())
        .set("revision", 0L)
        .set("format", o.format())
        .set("resource", o.resource())
        .set("adapter", d.adapter())
        .set("error_class", d.errorClass().name())
        .set("reason", d.reason())
        .set("payload", d.payload())
        .set("payload_encoding", d.payloadEncoding())
        .set("raw_size", d.rawSize())
        .set("truncated", d.truncated())
        .set("observed_time", d.observedTime().toString());
    o.partition().ifPresent(p -> row.set("partition", (long) p));
    o.offset().ifPresent(v -> row.set("offset", v));
    o.line().ifPresent(v -> row.set("line", v));
    o.byteOffset().ifPresent(v -> row.set("byte_offset", v));
    o.pointer().ifPresent(v -> row.set("pointer", v));
    return row;
  }

  private static TableRow pane(JsonNode n) {
    TableRow row = new TableRow()
        .set("upsert_key", text(n, "upsertKey"))
        .set("revision", n.path("revision").asLong())
        .set("window_start", text(n, "windowStart"))
        .set("window_end", text(n, "windowEnd"))
        .set("pane_timing", text(n, "timing"))
        .set("pane_index", n.path("paneIndex").asLong());
    copy(n, "final", row, "is_final");
    return row;
  }

  private static JsonNode parse(String json, String what) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a " + what + " record: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject() || !n.has("upsertKey") || !n.has("revision")) {
      throw new IllegalArgumentException("not a " + what + " record (no upsertKey/revision)");
    }
    return n;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("graph record without '" + field + "'");
    }
    return v.asText();
  }

  private static void copy(JsonNode n, String field, TableRow row, String column) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return;
    }
    if (v.isBoolean()) {
      row.set(column, v.asBoolean());
    } else if (v.isIntegralNumber()) {
      row.set(column, v.asLong());
    } else if (v.isNumber()) {
      row.set(column, v.asDouble());
    } else {
      row.set(column, v.asText());
    }
  }

  private static List<TableRow> entries(JsonNode object, boolean numeric) {
    List<TableRow> out = new ArrayList<>();
    if (object != null && object.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = object.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.add(new TableRow().set("key", e.getKey())
            .set("value", numeric ? (Object) e.getValue().asLong() : e.getValue().asText()));
      }
    }
    return out;
  }

  private static List<TableRow> entries(Map<String, String> map) {
    List<TableRow> out = new ArrayList<>();
    map.forEach((k, v) -> out.add(new TableRow().set("key", k).set("value", v)));
    return out;
  }

  private static List<TableFieldSchema> graphColumns(TableFieldSchema... own) {
    List<TableFieldSchema> all = new ArrayList<>(List.of(
        field("upsert_key", "STRING", "REQUIRED"),
        field("revision", "INT64", "REQUIRED"),
        field("window_start", "TIMESTAMP", "REQUIRED"),
        field("window_end", "TIMESTAMP", "REQUIRED"),
        field("pane_timing", "STRING", "REQUIRED"),
        field("pane_index", "INT64", "REQUIRED"),
        field("is_final", "BOOL", "NULLABLE")));
    all.addAll(List.of(own));
    return List.copyOf(all);
  }

  private static List<TableFieldSchema> columns(TableFieldSchema... fields) {
    return List.of(fields);
  }

  private static TableFieldSchema field(String name, String type, String mode) {
    return new TableFieldSchema().setName(name).setType(type).setMode(mode);
  }

  private static TableFieldSchema keyValues(String name, String valueType) {
    return new TableFieldSchema().setName(name).setType("RECORD").setMode("REPEATED")
        // Mutable lists: BigQuery's model objects deep-clone their fields reflectively.
        .setFields(new ArrayList<>(List.of(field("key", "STRING", "REQUIRED"),
            field("value", valueType, "NULLABLE"))));
  }

  /**
   * The statement that folds an append-only changelog table (what {@link
   * BigQueryUpsertSink.Mode#CHANGELOG} writes) into a current table holding the highest revision
   * of each key; run it on a schedule. Re-running it changes nothing (idempotent), and revisions
   * arriving in any order end in the same current table.
   *
   * @param changelog {@code project.dataset.table} written by the pipeline
   * @param current {@code project.dataset.table} with the same schema
   */
  public String mergeStatement(String changelog, String current) {
    List<String> names = new ArrayList<>();
    fields.forEach(f -> names.add("`" + f.getName() + "`"));
    StringBuilder set = new StringBuilder();
    for (String n : names) {
      if (!n.equals("`upsert_key`")) {
        set.append(set.length() == 0 ? "" : ", ").append(n).append(" = S.").append(n);
      }
    }
    String cols = String.join(", ", names);
    return "MERGE `" + current + "` T\n"
        + "USING (\n"
        + "  SELECT * EXCEPT(_rank) FROM (\n"
        + "    SELECT *, ROW_NUMBER() OVER (PARTITION BY upsert_key ORDER BY revision DESC) AS _rank\n"
        + "    FROM `" + changelog + "`)\n"
        + "  WHERE _rank = 1) S\n"
        + "ON T.upsert_key = S.upsert_key\n"
        + "WHEN MATCHED AND S.revision > T.revision THEN UPDATE SET " + set + "\n"
        + "WHEN NOT MATCHED THEN INSERT (" + cols + ") VALUES (" + cols.replace("`", "") + ")";
  }
}
