package dev.costlake.serve;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_json;

import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Publishes windows of the gold tables to the PostgreSQL serving tables: migrates the schema, loads
 * each table's window into its staging table with Spark's JDBC writer, then replaces the window in
 * one transaction (sql/serve/publish_window.sql) and logs it in publish_log.
 */
public final class Publisher {
  /** PostgreSQL rejects NUL in text; a NUL in a dimension becomes U+FFFD, so distinct values stay distinct. */
  static final String NUL_REPLACEMENT = "\uFFFD";
  /** Staged rows a failed publish left behind are deleted by a later publish after this long. */
  static final String STALE_STAGING = "1 day";
  /** Parallel JDBC connections per table load: enough for a day of hours, kind to the database. */
  static final int WRITE_PARTITIONS = 4;

  /** Points where a test can make a publish fail, to prove a failure leaves the previous rows. */
  enum FailPoint {
    NONE,
    AFTER_STAGING,
    AFTER_DELETE
  }

  /** What one table's publish did. */
  public record TableResult(ServingTable table, long rowsInWindow) {}

  /** What a publish did. */
  public record Result(String publishId, PublishWindow window, Instant completeThrough, List<TableResult> tables) {
    public long rows() {
      return tables.stream().mapToLong(TableResult::rowsInWindow).sum();
    }
  }

  private final Lakehouse lake;
  private final PostgresSettings settings;
  private final FailPoint failPoint;

  public Publisher(Lakehouse lake, PostgresSettings settings) {
    this(lake, settings, FailPoint.NONE);
  }

  Publisher(Lakehouse lake, PostgresSettings settings, FailPoint failPoint) {
    if (settings == null) {
      throw new IllegalArgumentException("Publishing needs postgres.url (and postgres.user, postgres.password)");
    }
    this.lake = lake;
    this.settings = settings;
    this.failPoint = failPoint;
  }

  /**
   * Migrates, then replaces the window of each table, one transaction per table.
   *
   * @param completeThrough start of the last UTC hour whose data is final, recorded in publish_log;
   *                        null when unknown
   */
  public Result publish(List<ServingTable> tables, PublishWindow window, Instant completeThrough) {
    Migrations.migrate(settings);
    String publishId = UUID.randomUUID().toString();
    List<TableResult> results = new ArrayList<>();
    try (Connection connection = Postgres.connect(settings)) {
      deleteStaleStaging(connection, tables);
      for (ServingTable table : tables) {
        describe("publish " + table.tableName() + " (" + window + ") to PostgreSQL");
        stage(table, window, publishId);
        if (failPoint == FailPoint.AFTER_STAGING) {
          throw new IllegalStateException("simulated failure after staging " + table.tableName());
        }
        results.add(new TableResult(table, apply(connection, table, window, publishId, completeThrough)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Publishing to PostgreSQL failed: " + e.getMessage(), e);
    } finally {
      describe(null);
    }
    return new Result(publishId, window, completeThrough, List.copyOf(results));
  }

  /** Loads the window's rows into the table's staging table, tagged with the publish id. */
  private void stage(ServingTable table, PublishWindow window, String publishId) {
    Dataset<Row> rows = lake.table(table.goldTable()).where(table.predicate(window, false));
    Dataset<Row> staged = servable(rows).withColumn("publish_id", lit(publishId));
    staged.coalesce(WRITE_PARTITIONS).write()
          .mode(SaveMode.Append)
          .format("jdbc")
          .option("url", settings.url())
          .option("dbtable", settings.stagingSchema() + "." + table.tableName())
          .option("user", settings.user())
          .option("password", settings.password())
          .option("driver", Postgres.DRIVER)
          .option("batchsize", "5000")
          // Lets the server type JSON text as the jsonb column it goes to.
          .option("stringtype", "unspecified")
          .save();
  }

  /**
   * The gold rows as PostgreSQL takes them: NUL characters replaced in every string, nested values
   * (gold.cost_anomalies.contributors) as JSON text for a jsonb column.
   */
  static Dataset<Row> servable(Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    for (StructField field : rows.schema().fields()) {
      Column column = col("`" + field.name() + "`");
      if (field.dataType() instanceof StructType || field.dataType() instanceof ArrayType
          || field.dataType() instanceof MapType) {
        // The JSON text escapes a NUL as \u0000, which jsonb rejects: replace the escape (not one
        // preceded by an escaped backslash, which is a literal backslash and 'u0000').
        column = regexp_replace(to_json(column), "(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000", "$1\\\\ufffd");
      } else if (field.dataType().equals(DataTypes.StringType)) {
        column = regexp_replace(column, "\u0000", NUL_REPLACEMENT);
      }
      columns.add(column.as(field.name()));
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  /** The one transaction that replaces the window; returns the rows the window holds after it. */
  private long apply(Connection connection, ServingTable table, PublishWindow window, String publishId,
      Instant completeThrough) throws SQLException {
    List<String> columns = List.of(lake.table(table.goldTable()).columns());
    Map<String, String> bindings = new LinkedHashMap<>();
    bindings.put("table", settings.schema() + "." + table.tableName());
    bindings.put("staging_table", settings.stagingSchema() + "." + table.tableName());
    bindings.put("window", table.predicate(window, true));
    bindings.put("columns", columns.stream().map(Postgres::identifier).collect(Collectors.joining(", ")));
    bindings.put("publish_id", Postgres.literal(publishId));
    bindings.put("publish_log", settings.schema() + ".publish_log");
    bindings.put("table_name", Postgres.literal(table.tableName()));
    boolean whole = window.isAll() || table.cut() == ServingTable.Cut.WHOLE;
    bindings.put("window_from", whole ? "cast(null as date)" : dateLiteral(window.from()));
    bindings.put("window_to", whole ? "cast(null as date)" : dateLiteral(window.to()));
    bindings.put("complete_through", completeThrough == null ? "cast(null as timestamptz)"
        : "timestamptz " + Postgres.literal(completeThrough.toString()));
    SqlFile file = SqlFile.load("serve/publish_window.sql");
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute(only(file.statement(0), bindings));
      statement.execute(only(file.statement(1), bindings));
      if (failPoint == FailPoint.AFTER_DELETE) {
        throw new IllegalStateException("simulated failure after deleting the window of " + table.tableName());
      }
      statement.execute(only(file.statement(2), bindings));
      statement.execute(only(file.statement(3), bindings));
      statement.execute(only(file.statement(4), bindings));
      long rows;
      try (var result = statement.executeQuery("select count(*) from " + bindings.get("table") + " where "
          + bindings.get("window"))) {
        result.next();
        rows = result.getLong(1);
      }
      connection.commit();
      return rows;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** Binds only the placeholders a statement of the file uses. */
  private static String only(SqlFile statement, Map<String, String> bindings) {
    Map<String, String> used = new LinkedHashMap<>();
    bindings.forEach((key, value) -> {
      if (statement.text().contains("${" + key + "}")) {
        used.put(key, value);
      }
    });
    return statement.bind(used);
  }

  private void deleteStaleStaging(Connection connection, List<ServingTable> tables) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (ServingTable table : tables) {
        statement.execute("delete from " + settings.stagingSchema() + "." + table.tableName()
            + " where staged_at < now() - interval '" + STALE_STAGING + "'");
      }
    }
  }

  private static String dateLiteral(LocalDate date) {
    return "date '" + date + "'";
  }

  private void describe(String what) {
    lake.spark().sparkContext().setJobDescription(what == null ? null : "costlake " + what);
  }
}
