package dev.costlake.pricing;

/** Something wrong with a price catalog, located at a file and line. */
public record CatalogProblem(Severity severity, String origin, String message) {
  public enum Severity {
    ERROR,
    WARNING
  }

  static CatalogProblem error(String origin, String message) {
    return new CatalogProblem(Severity.ERROR, origin, message);
  }

  static CatalogProblem warning(String origin, String message) {
    return new CatalogProblem(Severity.WARNING, origin, message);
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase() + ": " + origin + ": " + message;
  }
}
