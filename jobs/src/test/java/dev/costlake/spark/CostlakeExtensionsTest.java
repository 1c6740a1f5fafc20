package dev.costlake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.testing.TestSpark;
import java.math.BigDecimal;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class CostlakeExtensionsTest {
  @Test
  void usdFromNanosShiftsNinePlacesExactlyForEveryBigint() {
    Row row = TestSpark.session().sql("select usd_from_nanos(1500000000), usd_from_nanos(1),"
        + " usd_from_nanos(-250), usd_from_nanos(9223372036854775807), usd_from_nanos(cast(null as bigint)),"
        + " usd_from_nanos(7)").first();
    assertEquals(new BigDecimal("1.500000000"), row.getDecimal(0));
    assertEquals(new BigDecimal("0.000000001"), row.getDecimal(1));
    assertEquals(new BigDecimal("-0.000000250"), row.getDecimal(2));
    assertEquals(new BigDecimal("9223372036.854775807"), row.getDecimal(3));
    assertTrue(row.isNullAt(4));
    // An INT argument is widened to BIGINT first.
    assertEquals(new BigDecimal("0.000000007"), row.getDecimal(5));
    assertEquals(DataTypes.createDecimalType(38, 9), row.schema().fields()[0].dataType());
  }

  @Test
  void usdFromNanosAgreesWithTheDecimalDivisionItReplaces() {
    // Sums of the kind the rollups take, with code generation on as in production.
    TestSpark.withCodegen(() -> {
      long off = TestSpark.session().sql("select count(*) from (select id * 7919 - 40000000 as nanos"
          + " from range(0, 20000)) where usd_from_nanos(nanos)"
          + " <> cast(cast(nanos as decimal(20, 0)) / 1000000000 as decimal(38, 9))").first().getLong(0);
      assertEquals(0L, off);
    });
  }
}
