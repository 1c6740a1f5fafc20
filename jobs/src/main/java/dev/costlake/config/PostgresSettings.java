package dev.costlake.config;

/**
 * Where the serving tables live: a PostgreSQL JDBC URL, the role that owns and publishes them, and
 * their schema (staging tables go to {@code <schema>_staging}).
 */
public record PostgresSettings(String url, String user, String password, String schema) {
  public String stagingSchema() {
    return schema + "_staging";
  }

  /** The group role of every BI reader (row-level security decides which rows). */
  public String readerRole() {
    return schema + "_reader";
  }

  /** The group role whose members see every tenant and the company-wide tables. */
  public String readerAllRole() {
    return schema + "_reader_all";
  }

  @Override
  public String toString() {
    return "PostgresSettings[url=" + url + ", user=" + user + ", schema=" + schema + "]";
  }
}
