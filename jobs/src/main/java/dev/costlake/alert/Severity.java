package dev.costlake.alert;

import java.util.Locale;

/** How bad an alert is; an alert that moves up a level notifies again (escalation). */
public enum Severity {
  INFO, WARNING, CRITICAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown severity '" + value + "': must be info, warning or critical");
    }
  }
}
