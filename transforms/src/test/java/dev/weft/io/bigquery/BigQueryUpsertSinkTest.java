package dev.weft.io.bigquery;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.weft.model.Binding;
import dev.weft.model.DeadLetter;
import dev.weft.model.Decision;
import dev.weft.model.FailureKind;
import dev.weft.model.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.gcp.bigquery.TableRowJsonCoder;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * The BigQuery tables' rows and the sink, written through Beam's fake BigQuery services (no GCP
 * here): rows land with the table's schema, and the change-sequence upsert keeps the highest
 * revision of each key.
 */
public class BigQueryUpsertSinkTest {
  private static final String PROJECT = "weft-project";
  private static final String DATASET = "weft";

  static final String NODE_V0 = "{\"upsertKey\":\"node|svc:checkout|2025-03-01T10:00:00Z\","
      + "\"id\":\"svc:checkout\",\"type\":\"service\",\"windowStart\":\"2025-03-01T10:00:00Z\","
      + "\"windowEnd\":\"2025-03-01T10:01:00Z\",\"timing\":\"EARLY\",\"paneIndex\":0,"
      + "\"final\":false,\"revision\":0,\"inferred\":false,\"events\":2,"
      + "\"firstSeen\":\"2025-03-01T10:00:01Z\",\"lastSeen\":\"2025-03-01T10:00:09Z\","
      + "\"logsBySeverity\":{\"ERROR\":1},\"attributes\":{\"service.version\":\"1.2\"}}";
  static final String NODE_V1 = NODE_V0.replace("\"timing\":\"EARLY\",\"paneIndex\":0",
      "\"timing\":\"ON_TIME\",\"paneIndex\":1").replace("\"revision\":0", "\"revision\":1")
      .replace("\"events\":2", "\"events\":3");
  static final String EDGE = "{\"upsertKey\":\"edge|calls|svc:web|svc:checkout|2025-03-01T10:00:00Z\","
      + "\"from\":\"svc:web\",\"relation\":\"calls\",\"to\":\"svc:checkout\",\"kind\":\"CALL\","
      + "\"windowStart\":\"2025-03-01T10:00:00Z\",\"windowEnd\":\"2025-03-01T10:01:00Z\","
      + "\"timing\":\"LATE\",\"paneIndex\":2,\"final\":false,\"revision\":2,\"count\":7,"
      + "\"errors\":1,\"p50Micros\":1200,\"p99Micros\":9100}";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private FakeDatasetService datasets;
  private FakeBigQueryServices services;

  @Before
  public void setUp() throws Exception {
    FakeDatasetService.setUp();
    datasets = new FakeDatasetService();
    datasets.createDataset(PROJECT, DATASET, "", "", null);
    services = new FakeBigQueryServices().withDatasetService(datasets)
        .withJobService(new FakeJobService());
  }

  @Test
  public void nodeRowKeepsKeyRevisionPaneAndMaps() {
    TableRow row = WeftTables.nodeRow(NODE_V1);
    assertThat(row.get("upsert_key"), equalTo("node|svc:checkout|2025-03-01T10:00:00Z"));
    assertThat(row.get("revision"), equalTo(1L));
    assertThat(row.get("pane_timing"), equalTo("ON_TIME"));
    assertThat(row.get("events"), equalTo(3L));
    assertThat(row.get("first_seen"), equalTo("2025-03-01T10:00:01Z"));
    assertThat(row.get("attributes").toString(),
        equalTo("[GenericData{classInfo=[f], {key=service.version, value=1.2}}]"));
    assertThat(row.get("logs_by_severity").toString(),
        equalTo("[GenericData{classInfo=[f], {key=ERROR, value=1}}]"));
  }

  @Test
  public void edgeRowOmitsAbsentPercentiles() {
    TableRow row = WeftTables.edgeRow(EDGE);
    assertThat(row.get("from_id"), equalTo("svc:web"));
    assertThat(row.get("p50_micros"), equalTo(1200L));
    assertThat(row.containsKey("p90_micros"), equalTo(false));
    assertThat(row.get("pane_timing"), equalTo("LATE"));
  }

  @Test
  public void notAGraphRecordIsRejectedWithAReason() {
    try {
      WeftTables.nodeRow("{\"id\":\"x\"}");
      throw new AssertionError("expected a rejection");
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage(), containsString("no upsertKey/revision"));
    }
  }

  @Test
  public void bindingAndDeadLetterRowsCarryTheirKeys() {
    Binding b = new Binding("e1", Instant.parse("2025-03-01T10:00:00Z"), "service", "svc:checkout",
        Decision.BOUND, Optional.of("service.name"), new TreeMap<>(Map.of("service.name",
        "checkout")), 1.0, List.of(), Optional.empty(), 2);
    TableRow binding = WeftTables.bindingRow(b);
    assertThat(binding.get("upsert_key"), equalTo("e1|service"));
    assertThat(binding.get("revision"), equalTo(2L));
    assertThat(binding.get("rule"), equalTo("service.name"));

    DeadLetter d = new DeadLetter(Origin.message("zipkin", "spans", Optional.of(1),
        Optional.of(42L)), "zipkin", FailureKind.MALFORMED_SYNTAX, "unbalanced brace at 1:9",
        "{\"a\":", "utf-8", 5, false, Instant.parse("2025-03-01T10:00:02Z"));
    TableRow dead = WeftTables.deadLetterRow(d);
    assertThat(dead.get("upsert_key"), equalTo("zipkin|spans[1]@42"));
    assertThat(dead.get("partition"), equalTo(1L));
    assertThat(dead.get("offset"), equalTo(42L));
    assertThat(dead.get("error_class"), equalTo("MALFORMED_SYNTAX"));
  }

  @Test
  public void changelogKeepsEveryRevisionInATableWithTheSchema() throws Exception {
    pipeline.apply(Create.of(NODE_V0, NODE_V1))
        .apply(MapElements.into(TypeDescriptor.of(TableRow.class)).via(WeftTables::nodeRow))
        .setCoder(TableRowJsonCoder.of())
        .apply(BigQueryUpsertSink.of(WeftTables.NODES, PROJECT + ":" + DATASET + ".nodes")
            .withMode(BigQueryUpsertSink.Mode.CHANGELOG).withServices(services));
    pipeline.run().waitUntilFinish();

    Table table = datasets.getTable(new TableReference().setProjectId(PROJECT)
        .setDatasetId(DATASET).setTableId("nodes"));
    assertThat(table.getSchema().getFields().get(0).getName(), equalTo("upsert_key"));
    List<TableRow> rows = datasets.getAllRows(PROJECT, DATASET, "nodes");
    assertThat(rows.stream().map(r -> r.get("pane_timing") + "#" + r.get("revision"))
        .collect(Collectors.toList()), containsInAnyOrder("EARLY#0", "ON_TIME#1"));
  }

  @Test
  public void upsertKeepsTheHighestRevisionOfEachKey() throws Exception {
    pipeline.apply(Create.of(NODE_V1, NODE_V0, EDGE.replace("svc:web", "svc:edge")))
        .apply(MapElements.into(TypeDescriptor.of(TableRow.class)).via(json ->
            json.contains("\"kind\"") ? WeftTables.nodeRow(NODE_V0.replace("svc:checkout",
                "svc:edge")) : WeftTables.nodeRow(json)))
        .setCoder(TableRowJsonCoder.of())
        .apply(BigQueryUpsertSink.of(WeftTables.NODES, PROJECT + ":" + DATASET + ".nodes_cdc")
            .withServices(services));
    pipeline.run().waitUntilFinish();

    List<TableRow> rows = datasets.getAllRows(PROJECT, DATASET, "nodes_cdc");
    // The fake applies the change stream as BigQuery does: one row per key, the highest revision,
    // whichever of revisions 0 and 1 was written last.
    assertThat(rows.stream().map(r -> r.get("upsert_key") + "=" + r.get("revision") + ":"
            + r.get("pane_timing")).collect(Collectors.toList()),
        containsInAnyOrder("node|svc:checkout|2025-03-01T10:00:00Z=1:ON_TIME",
            "node|svc:edge|2025-03-01T10:00:00Z=0:EARLY"));
  }

  @Test
  public void mergeStatementFoldsTheChangelogByHighestRevision() {
    String merge = WeftTables.EDGES.mergeStatement("p.weft.edges_changelog", "p.weft.edges");
    assertThat(merge, containsString("PARTITION BY upsert_key ORDER BY revision DESC"));
    assertThat(merge, containsString("WHEN MATCHED AND S.revision > T.revision THEN UPDATE SET "
        + "`revision` = S.`revision`"));
    assertThat(merge, containsString("`from_id` = S.`from_id`"));
  }
}
