package dev.costlake.alert;

import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TableRows;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alert tests' rows: silver events and rows written straight into gold tables (TableRows). */
final class AlertFixtures {
  private AlertFixtures() {}

  static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }

  /** Appends rows with {@link TableRows#append}. */
  static void append(Lakehouse lake, String table, List<Map<String, Object>> rows) {
    TableRows.append(lake, table, rows);
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
