package dev.weft.io.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.api.services.bigquery.model.TableRow;
import java.util.List;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.Method;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.RowMutationInformation;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes rows of one of {@link WeftTables} to a BigQuery table ({@code project:dataset.table} or
 * {@code project.dataset.table}), created with the table's schema when absent.
 *
 * <p>Two ways to upsert:
 *
 * <ul>
 *   <li>{@link Mode#UPSERT} (default): BigQuery change data capture through the Storage Write API.
 *       {@code upsert_key} is the primary key and {@code revision} the change sequence number, so
 *       BigQuery itself keeps the highest revision of each key whatever the arrival order, and a
 *       duplicate write of the same revision is a no-op. The table needs a primary key and {@code
 *       max_staleness} (see the README for its DDL); BigQueryIO creates it with the key.
 *   <li>{@link Mode#CHANGELOG}: every revision is appended; {@link
 *       WeftTables#mergeStatement(String, String)} folds the changelog into a current table. For
 *       datasets where CDC tables are not wanted, or to keep the full history of revisions.
 * </ul>
 *
 * <p>Both write at least once: a retried bundle may append a row twice; its key and revision are
 * equal, so the upsert (or the MERGE) absorbs it.
 */
public final class BigQueryUpsertSink extends PTransform<PCollection<TableRow>, WriteResult> {
  private static final long serialVersionUID = 1L;

  /** How revisions become the current table. */
  public enum Mode {
    UPSERT,
    CHANGELOG
  }

  private final WeftTables table;
  private final String tableSpec;
  private final Mode mode;
  private final BigQueryServices services;

  private BigQueryUpsertSink(WeftTables table, String tableSpec, Mode mode,
      BigQueryServices services) {
    super("WriteBigQuery[" + table.tableName() + "]");
    this.table = table;
    this.tableSpec = tableSpec;
    this.mode = mode;
    this.services = services;
  }

  public static BigQueryUpsertSink of(WeftTables table, String tableSpec) {
    return new BigQueryUpsertSink(requireNonNull(table, "table"),
        requireNonNull(tableSpec, "tableSpec"), Mode.UPSERT, null);
  }

  public BigQueryUpsertSink withMode(Mode newMode) {
    return new BigQueryUpsertSink(table, tableSpec, newMode, services);
  }

  /** Beam's fake BigQuery services, for tests. */
  public BigQueryUpsertSink withServices(BigQueryServices testServices) {
    return new BigQueryUpsertSink(table, tableSpec, mode, testServices);
  }

  @Override
  public WriteResult expand(PCollection<TableRow> rows) {
    BigQueryIO.Write<TableRow> write = BigQueryIO.writeTableRows()
        .to(tableSpec)
        .withSchema(table.schema())
        .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
        .withWriteDisposition(WriteDisposition.WRITE_APPEND)
        .withMethod(Method.STORAGE_API_AT_LEAST_ONCE);
    if (mode == Mode.UPSERT) {
      write = write.withPrimaryKey(new java.util.ArrayList<>(List.of("upsert_key")))
          .withRowMutationInformationFn(new UpsertByRevision());
    }
    if (services != null) {
      write = write.withTestServices(services).withoutValidation();
    }
    return rows.apply("WriteRows", write);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("table", tableSpec)).add(DisplayData.item("mode", mode.name()));
  }

  /** UPSERT with the row's revision as BigQuery's change sequence number. */
  static final class UpsertByRevision
      implements SerializableFunction<TableRow, RowMutationInformation> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowMutationInformation apply(TableRow row) {
      long revision = Long.parseLong(String.valueOf(row.get("revision")));
      return RowMutationInformation.of(RowMutationInformation.MutationType.UPSERT, revision);
    }
  }
}
