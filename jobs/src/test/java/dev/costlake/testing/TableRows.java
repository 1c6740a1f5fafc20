package dev.costlake.testing;

import dev.costlake.lake.Lakehouse;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

/**
 * Rows written straight into a lakehouse table for a test that reads only some of its columns: the
 * columns a test names, null for the other nullable ones, and for the other required ones a neutral
 * value ("", 0, false, the epoch) that no test asserts on.
 */
public final class TableRows {
  private TableRows() {}

  /** Appends rows (column name -> value); LocalDate, Instant and decimal strings are converted. */
  public static void append(Lakehouse lake, String table, List<Map<String, Object>> rows) {
    var schema = lake.table(table).schema();
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object[] values = new Object[schema.fields().length];
      for (int i = 0; i < values.length; i++) {
        StructField field = schema.fields()[i];
        Object value = row.containsKey(field.name()) ? row.get(field.name())
            : field.nullable() ? null : neutral(field);
        values[i] = value instanceof LocalDate date ? java.sql.Date.valueOf(date)
            : value instanceof String s && field.dataType() instanceof DecimalType ? new BigDecimal(s)
            : value instanceof Instant instant ? java.sql.Timestamp.from(instant) : value;
      }
      out.add(RowFactory.create(values));
    }
    lake.spark().createDataFrame(out, schema).write().format("delta").mode("append").save(lake.path(table));
  }

  private static Object neutral(StructField field) {
    DataType type = field.dataType();
    if (type.equals(DataTypes.StringType)) {
      return "";
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
    // A required array or struct column: the test must give it.
    throw new IllegalArgumentException("required column " + field.name() + " (" + type.simpleString()
        + ") of the table must be given by the test");
  }
}
