package dev.costlake.cli;

import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.PriceList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The lakehouse tables (and the price_list view) one statement names, read from Spark's own parse of
 * it, so `costlake sql "..."` registers only those instead of every table.
 */
final class QueryTables {
  private static final Set<String> SCHEMAS = Set.of("silver", "gold", "ops");

  private QueryTables() {}

  /**
   * The names, lower case as in {@link Lakehouse#TABLES} and {@link PriceList#VIEW}, of what a query
   * reads, in its CTEs and subqueries too; empty when the statement is not a query (SHOW TABLES,
   * DESCRIBE, INSERT, ...), which then needs the whole catalog. A syntax error is Spark's, unchanged.
   *
   * @throws IllegalArgumentException for a silver., gold. or ops. name that is not a lakehouse table
   */
  static Optional<Set<String>> named(SparkSession spark, String statement) throws ParseException {
    LogicalPlan plan = spark.sessionState().sqlParser().parsePlan(statement);
    if (plan instanceof Command || plan instanceof ParsedStatement) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    collect(plan, names);
    Set<String> known = new LinkedHashSet<>();
    for (String name : names) {
      if (Lakehouse.TABLES.contains(name) || name.equals(PriceList.VIEW)) {
        known.add(name);
      } else if (name.contains(".") && SCHEMAS.contains(name.substring(0, name.indexOf('.')))) {
        throw new IllegalArgumentException("Unknown table " + name + " in the query: the lakehouse has "
            + String.join(", ", Lakehouse.TABLES) + ", and the view " + PriceList.VIEW);
      }
    }
    return Optional.of(known);
  }

  /** Every relation name in the plan: its children, its subquery expressions and its CTE definitions. */
  private static void collect(QueryPlan<?> plan, Set<String> names) {
    if (plan instanceof UnresolvedRelation relation) {
      names.add(name(CollectionConverters.asJava(relation.multipartIdentifier())));
    }
    for (Object child : CollectionConverters.asJava(plan.children())) {
      collect((QueryPlan<?>) child, names);
    }
    // Subqueries in expressions (where x in (select ...)); a WITH's definitions are its inner children.
    for (Object subquery : CollectionConverters.asJava(plan.subqueries())) {
      collect((QueryPlan<?>) subquery, names);
    }
    for (QueryPlan<?> inner : CollectionConverters.asJava(plan.innerChildren())) {
      collect(inner, names);
    }
  }

  /** gold.cost_daily for gold.cost_daily, `GOLD`.`Cost_Daily` and spark_catalog.gold.cost_daily. */
  private static String name(List<String> parts) {
    List<String> named = parts.size() == 3 && parts.get(0).equalsIgnoreCase("spark_catalog")
        ? parts.subList(1, 3) : parts;
    return String.join(".", named).toLowerCase(Locale.ROOT);
  }
}
