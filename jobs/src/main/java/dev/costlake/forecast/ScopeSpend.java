package dev.costlake.forecast;

import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * Reads every forecast scope's daily spend for a window of days in the reporting time zone, and
 * collects it to the driver: at most a few hundred scopes x a few hundred days.
 */
final class ScopeSpend {
  private ScopeSpend() {}

  /** The UTC zone, spelled any way (UTC, Z, Etc/UTC, GMT, +00:00): the daily rollups already have its days. */
  static boolean isUtc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  /** The daily series of every scope with spend from..to (dates in zone), total first, then by type and value. */
  static List<ScopeSeries> read(Lakehouse lake, ZoneId zone, LocalDate from, LocalDate to) {
    Map<String, String> bindings = new LinkedHashMap<>();
    bindings.put("from_date", SqlFile.dateLiteral(from));
    bindings.put("to_date", SqlFile.dateLiteral(to));
    String file;
    if (isUtc(zone)) {
      file = "intermediate/int_scope_spend_unioned.sql";
    } else {
      file = "intermediate/int_scope_spend_localised.sql";
      bindings.put("time_zone", SqlFile.literal(zone.getId()));
    }
    List<Row> rows = lake.spark().sql(SqlFile.load(file).bind(bindings))
        .selectExpr("scope_type", "scope_value", "cast(spend_date as string)", "cost_usd")
        .collectAsList();
    Map<List<String>, TreeMap<LocalDate, BigDecimal>> byScope = new TreeMap<>(ScopeSpend::compareScopes);
    for (Row row : rows) {
      byScope.computeIfAbsent(List.of(row.getString(0), row.getString(1)), k -> new TreeMap<>())
          .put(LocalDate.parse(row.getString(2)), row.getDecimal(3));
    }
    List<ScopeSeries> series = new ArrayList<>();
    byScope.forEach((scope, costs) -> series.add(new ScopeSeries(scope.get(0), scope.get(1), costs)));
    return series;
  }

  private static final List<String> TYPE_ORDER =
      List.of(ScopeSeries.TOTAL, ScopeSeries.TENANT, ScopeSeries.FEATURE, ScopeSeries.MODEL);

  private static int compareScopes(List<String> a, List<String> b) {
    int byType = Integer.compare(TYPE_ORDER.indexOf(a.get(0)), TYPE_ORDER.indexOf(b.get(0)));
    return byType != 0 ? byType : a.get(1).compareTo(b.get(1));
  }
}
