package dev.costlake.cli;

/** Short, readable descriptions of failures for people and for ops.pipeline_runs.error. */
public final class Errors {
  private Errors() {}

  /** The innermost meaningful message, prefixed by its exception type when that adds information. */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    String type = root.getClass().getSimpleName();
    // Our own and Spark's errors say what they are ([UNRESOLVED_COLUMN] ...); others need their type.
    boolean selfDescribing = root instanceof IllegalArgumentException || root instanceof IllegalStateException
        || root instanceof org.apache.spark.SparkThrowable || type.endsWith("BalanceException");
    String text = selfDescribing ? message : type + ": " + message;
    return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
  }
}
