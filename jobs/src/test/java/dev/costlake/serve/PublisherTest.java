package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestPostgres;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishing gold windows to PostgreSQL: exact, idempotent, atomic for readers, and a failure changes nothing. */
class PublisherTest {
  static final Instant COMPLETE_THROUGH = Instant.parse("2026-11-20T23:00:00Z");

  static Lakehouse lake;
  static PostgresSettings settings;

  @BeforeAll
  static void publishFixture() {
    lake = ServeFixtures.lake();
    settings = TestPostgres.freshSchema("costlake_publish_test");
    new Publisher(lake, settings).publish(List.of(ServingTable.values()), PublishWindow.ALL, COMPLETE_THROUGH);
  }

  @Test
  void publishesEveryGoldRowExactlyAndLogsIt() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      for (ServingTable table : ServingTable.values()) {
        long gold = lake.table(table.goldTable()).count();
        assertTrue(gold > 0, table + " fixture is empty");
        assertEquals(String.valueOf(gold), count(connection, table.tableName()), table.tableName());
        assertEquals(String.valueOf(gold), TestPostgres.value(connection, "select rows_published from "
            + settings.schema() + ".publish_log where table_name = '" + table.tableName() + "' order by published_at limit 1"),
            table.tableName());
      }
      assertEquals(ServeFixtures.TOTAL_COST, TestPostgres.value(connection, "select sum(cost_usd) from "
          + settings.schema() + ".cost_daily"));
      assertEquals(ServeFixtures.TOTAL_COST, TestPostgres.value(connection, "select sum(cost_usd) from "
          + settings.schema() + ".cost_hourly"));
      assertEquals("2026-11-20 23:00:00+00", TestPostgres.value(connection, "select distinct complete_through"
          + " at time zone 'utc' || '+00' from " + settings.schema() + ".publish_log"));
      // Staging is emptied by every publish that committed (a failed one's rows wait for the daily cleanup).
      assertEquals("0", stagedRowsOfCommittedPublishes(connection));
    }
  }

  @Test
  void aNulCharacterInADimensionIsReplacedNotACrash() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      assertEquals(List.of("acme|u1", "acme|u2", "globex|g1", "globex|" + ServeFixtures.NUL_USER_SERVED),
          TestPostgres.rows(connection, "select distinct tenant_id, user_id from " + settings.schema()
              + ".cost_daily_by_user order by 1, 2"));
      // Nested too: the anomaly's contributors (jsonb) name the user with the replacement character.
      assertEquals(ServeFixtures.NUL_USER_SERVED, TestPostgres.value(connection, "select distinct"
          + " contributors -> 0 ->> 'value' from " + settings.schema() + ".cost_anomalies"));
    }
  }

  @Test
  void publishingTwiceGivesIdenticalRows() throws Exception {
    Map<String, List<String>> first = snapshot();
    new Publisher(lake, settings).publish(List.of(ServingTable.values()), PublishWindow.ALL, COMPLETE_THROUGH);
    assertEquals(first, snapshot());
    new Publisher(lake, settings).publish(ServingTable.ROLLUPS,
        PublishWindow.of(ServeFixtures.TODAY, ServeFixtures.TODAY), COMPLETE_THROUGH);
    assertEquals(first, snapshot());
  }

  @Test
  void aWindowPublishReplacesThatWindowOnly() throws Exception {
    long version = goldVersion();
    try {
      lake.spark().sql("update " + Lakehouse.COST_DAILY + " set cost_usd = cost_usd * 2");
      new Publisher(lake, settings).publish(List.of(ServingTable.COST_DAILY),
          PublishWindow.of(ServeFixtures.TODAY, ServeFixtures.TODAY), COMPLETE_THROUGH);
      try (Connection connection = Postgres.connect(settings)) {
        // Yesterday as it was published; today doubled (0.4 + 3.3 -> 7.4).
        assertEquals(List.of(ServeFixtures.YESTERDAY + "|4.200000001", ServeFixtures.TODAY + "|7.400000000"),
            TestPostgres.rows(connection, "select event_date, sum(cost_usd) from " + settings.schema()
                + ".cost_daily group by event_date order by 1"));
      }
    } finally {
      restoreGold(version);
      republish();
    }
  }

  @Test
  void aReaderDuringAPublishSeesTheOldRowsOrTheNewNeverNoneOrHalf() throws Exception {
    long version = goldVersion();
    String oldTotal = "5|" + ServeFixtures.TOTAL_COST;
    lake.spark().sql("update " + Lakehouse.COST_DAILY + " set cost_usd = cost_usd * 2");
    String newTotal = "5|" + doubledTotal();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    List<Throwable> readerErrors = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (Connection connection = Postgres.connect(settings)) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (publishing.get() && System.nanoTime() < deadline) {
          seen.add(TestPostgres.value(connection, "select count(*) || '|' || sum(cost_usd) from "
              + settings.schema() + ".cost_daily"));
          // A dashboard's pace, not a busy loop: the machine's cores are the publish's too.
          Thread.sleep(5);
        }
        // One read after the publish has committed.
        seen.add(TestPostgres.value(connection, "select count(*) || '|' || sum(cost_usd) from "
            + settings.schema() + ".cost_daily"));
      } catch (Throwable e) {
        readerErrors.add(e);
      }
    }, "dashboard-reader");
    try {
      reader.start();
      new Publisher(lake, settings).publish(List.of(ServingTable.COST_DAILY), PublishWindow.ALL, COMPLETE_THROUGH);
    } finally {
      publishing.set(false);
      reader.join();
      restoreGold(version);
      republish();
      republish();
    }
    assertEquals(List.of(), readerErrors);
    assertTrue(seen.size() > 1, "the reader ran " + seen.size() + " queries");
    assertEquals(Set.of(), Set.copyOf(seen.stream().filter(s -> !s.equals(oldTotal) && !s.equals(newTotal)).toList()),
        "reads that were neither the old rows nor the new");
    assertEquals(newTotal, List.copyOf(seen).get(seen.size() - 1));
  }

  @Test
  void aFailedPublishLeavesThePreviousRowsAndTheNextOneRedoesIt() throws Exception {
    Map<String, List<String>> before = snapshot();
    long version = goldVersion();
    try {
      lake.spark().sql("update " + Lakehouse.COST_DAILY + " set cost_usd = cost_usd * 2");
      for (Publisher.FailPoint point : List.of(Publisher.FailPoint.AFTER_STAGING, Publisher.FailPoint.AFTER_DELETE)) {
        Publisher failing = new Publisher(lake, settings, point);
        assertThrows(IllegalStateException.class, () -> failing.publish(List.of(ServingTable.COST_DAILY),
            PublishWindow.ALL, COMPLETE_THROUGH));
        assertEquals(before, snapshot(), "after a failure " + point);
      }
      new Publisher(lake, settings).publish(List.of(ServingTable.COST_DAILY), PublishWindow.ALL, COMPLETE_THROUGH);
      try (Connection connection = Postgres.connect(settings)) {
        assertEquals(doubledTotal(), TestPostgres.value(connection, "select sum(cost_usd) from "
            + settings.schema() + ".cost_daily"));
      }
    } finally {
      restoreGold(version);
      republish();
    }
  }

  /** Every serving table's rows, as text, in a stable order. */
  private Map<String, List<String>> snapshot() throws Exception {
    Map<String, List<String>> all = new LinkedHashMap<>();
    try (Connection connection = Postgres.connect(settings)) {
      for (ServingTable table : ServingTable.values()) {
        all.put(table.tableName(), TestPostgres.rows(connection, "select t::text from " + settings.schema() + "."
            + table.tableName() + " t order by 1"));
      }
    }
    return all;
  }

  private String count(Connection connection, String table) throws Exception {
    return TestPostgres.value(connection, "select count(*) from " + settings.schema() + "." + table);
  }

  private String stagedRowsOfCommittedPublishes(Connection connection) throws Exception {
    long total = 0;
    for (ServingTable table : ServingTable.values()) {
      total += Long.parseLong(TestPostgres.value(connection, "select count(*) from " + settings.stagingSchema() + "."
          + table.tableName() + " where publish_id in (select publish_id from " + settings.schema() + ".publish_log)"));
    }
    return String.valueOf(total);
  }

  /** Gold's total after a test doubled it (Spark's decimal arithmetic decides its scale). */
  private static String doubledTotal() {
    return lake.spark().sql("select cast(sum(cost_usd) as decimal(38, 9)) from " + Lakehouse.COST_DAILY).first()
        .getDecimal(0).toPlainString();
  }

  /** Puts cost_daily back as the fixture publishes it. */
  private static void republish() {
    new Publisher(lake, settings).publish(List.of(ServingTable.COST_DAILY), PublishWindow.ALL, COMPLETE_THROUGH);
  }

  private long goldVersion() {
    return lake.spark().sql("describe history " + Lakehouse.COST_DAILY + " limit 1").first().getLong(0);
  }

  private void restoreGold(long version) {
    lake.spark().sql("restore table " + Lakehouse.COST_DAILY + " to version as of " + version);
  }
}
