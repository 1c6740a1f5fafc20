package dev.costlake.alert;

import dev.costlake.lake.Lakehouse;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/** Rows written straight into a lakehouse's tables: the given columns, a placeholder for the other required ones. */
final class AlertFixtures {
  private AlertFixtures() {}

  static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }

  /**
   * Appends rows: LocalDate, Instant and decimal strings are converted; a missing required column
   * gets "x", 0 or the epoch; a missing optional one null.
   */
  static void append(Lakehouse lake, String table, List<Map<String, Object>> rows) {
    var schema = lake.table(table).schema();
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object[] values = new Object[schema.fields().length];
      for (int i = 0; i < values.length; i++) {
        StructField field = schema.fields()[i];
        Object value = row.containsKey(field.name()) ? row.get(field.name())
            : field.nullable() ? null : placeholder(field);
        values[i] = value instanceof LocalDate date ? java.sql.Date.valueOf(date)
            : value instanceof String s && field.dataType() instanceof DecimalType ? new BigDecimal(s)
            : value instanceof Instant instant ? java.sql.Timestamp.from(instant) : value;
      }
      out.add(RowFactory.create(values));
    }
    lake.spark().createDataFrame(out, schema).write().format("delta").mode("append").save(lake.path(table));
  }

  private static Object placeholder(StructField field) {
    var type = field.dataType();
    if (type.equals(DataTypes.StringType)) {
      return "x";
    } else if (type.equals(DataTypes.LongType)) {
      return 0L;
    } else if (type.equals(DataTypes.IntegerType)) {
      return 0;
    } else if (type.equals(DataTypes.BooleanType)) {
      return false;
    } else if (type.equals(DataTypes.TimestampType)) {
      return java.sql.Timestamp.from(Instant.EPOCH);
    } else if (type.equals(DataTypes.DateType)) {
      return java.sql.Date.valueOf(LocalDate.EPOCH);
    } else if (type instanceof DecimalType) {
      return BigDecimal.ZERO;
    }
    throw new IllegalArgumentException("no placeholder for " + field);
  }

  /** A priced event of silver.cost_events at time, costing usd. */
  static Map<String, Object> event(String id, String time, String tenant, String feature, String usd) {
    Instant t = Instant.parse(time);
    Map<String, Object> row = row("event_id", id, "event_time", t, "event_date",
        LocalDate.ofInstant(t, java.time.ZoneOffset.UTC), "event_hour", t.truncatedTo(java.time.temporal.ChronoUnit.HOURS),
        "tenant_id", tenant, "feature", feature, "user_id", "u_1", "model", "gpt-4o", "pricing_status",
        usd == null ? "unpriced" : "priced", "cost_usd_nanos",
        usd == null ? null : new BigDecimal(usd).movePointRight(9).longValueExact());
    return row;
  }
}
