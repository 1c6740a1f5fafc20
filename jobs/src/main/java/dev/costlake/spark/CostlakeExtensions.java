package dev.costlake.spark;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.MakeDecimal;
import org.apache.spark.sql.types.DataTypes;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.runtime.BoxedUnit;

/**
 * costlake's SQL functions, registered in every session through spark.sql.extensions (next to
 * Delta's), so the SQL files under sql/ can call them like built-ins.
 *
 * <p>{@code usd_from_nanos(bigint)}: an integer count of USD nanos as an exact DECIMAL(38,9) of USD,
 * e.g. 1500000000 -> 1.500000000. It reinterprets the integer as the decimal's unscaled value (Spark's
 * own MakeDecimal), which is what {@code cast(cast(n as decimal(20,0)) / 1000000000 as decimal(38,9))}
 * computes, without the general decimal division: on the nightly's 60 M sums that division cost about
 * 15 s of 2 cores, this about 1.5 s. A BIGINT always fits (19 digits, 9 after the point), so it never
 * overflows; null stays null.
 */
public final class CostlakeExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {
  public static final String USD_FROM_NANOS = "usd_from_nanos";

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    Function1<Seq<Expression>, Expression> builder = arguments -> {
      if (arguments.size() != 1) {
        throw new IllegalArgumentException(USD_FROM_NANOS + " takes one argument (a BIGINT of USD nanos), got "
            + arguments.size());
      }
      // The cast makes any integer argument a BIGINT (a no-op, removed by the optimizer, when it is one).
      Expression nanos = new Cast(arguments.head(), DataTypes.LongType, Option.empty());
      return new MakeDecimal(nanos, 38, 9, false);
    };
    extensions.injectFunction(new Tuple3<>(FunctionIdentifier.apply(USD_FROM_NANOS),
        new ExpressionInfo(CostlakeExtensions.class.getName(), USD_FROM_NANOS), builder));
    return BoxedUnit.UNIT;
  }
}
