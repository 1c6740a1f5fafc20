package dev.costlake.alert;

import dev.costlake.lake.Lakehouse;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Reads gold.alerts, and replaces it whole (one row per dedupe key: it stays small) in one Delta commit. */
public final class AlertStore {
  private AlertStore() {}

  public static List<Alert> read(Lakehouse lake) {
    List<Alert> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.ALERTS).orderBy("dedupe_key").collectAsList()) {
      List<Alert.Delivery> deliveries = new ArrayList<>();
      for (Row d : r.<Row>getList(r.fieldIndex("deliveries"))) {
        deliveries.add(new Alert.Delivery(d.getString(0), d.getInt(1), d.getInt(2), d.getString(3), instant(d, 4),
            d.getString(5)));
      }
      out.add(new Alert(r.getAs("dedupe_key"), r.getAs("rule"), r.getAs("scope_type"), r.getAs("scope_value"),
          Severity.parse(r.getAs("severity")), r.getAs("status"), r.getAs("title"), r.getAs("message"),
          r.getAs("period"), r.<BigDecimal>getAs("measured_value"), r.<BigDecimal>getAs("threshold_value"),
          r.getAs("unit"), instant(r, r.fieldIndex("first_seen_at")), instant(r, r.fieldIndex("last_seen_at")),
          instant(r, r.fieldIndex("resolved_at")), instant(r, r.fieldIndex("last_notified_at")),
          r.<Integer>getAs("notification_seq"), r.getAs("notification_event"), List.copyOf(deliveries)));
    }
    return out;
  }

  private static Instant instant(Row r, int i) {
    return r.isNullAt(i) ? null : r.getTimestamp(i).toInstant();
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  public static void write(Lakehouse lake, List<Alert> alerts) {
    StructType schema = lake.table(Lakehouse.ALERTS).schema();
    List<Row> rows = new ArrayList<>();
    for (Alert a : alerts) {
      List<Row> deliveries = new ArrayList<>();
      for (Alert.Delivery d : a.deliveries()) {
        deliveries.add(RowFactory.create(d.channel(), d.deliveredSeq(), d.attempts(), d.outcome(),
            ts(d.lastAttemptAt()), d.lastError()));
      }
      rows.add(RowFactory.create(a.dedupeKey(), a.rule(), a.scopeType(), a.scopeValue(), a.severity().label(),
          a.status(), a.title(), a.message(), a.period(), scaled(a.measured()), scaled(a.threshold()), a.unit(),
          ts(a.firstSeenAt()), ts(a.lastSeenAt()), ts(a.resolvedAt()), ts(a.lastNotifiedAt()), a.notificationSeq(),
          a.notificationEvent(), deliveries));
    }
    lake.spark().createDataFrame(rows, schema).coalesce(1).write().format("delta").mode("overwrite")
        .save(lake.path(Lakehouse.ALERTS));
  }

  private static BigDecimal scaled(BigDecimal v) {
    return v == null ? null : v.setScale(9, java.math.RoundingMode.HALF_UP);
  }
}
