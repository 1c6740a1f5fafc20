package dev.costlake.alert;

import java.util.Comparator;
import java.util.List;

/** Replaces every configured secret (channel URLs, SMTP passwords) in a text by ***. */
public final class Secrets {
  public static final String MASK = "***";

  private final List<String> secrets;

  public Secrets(List<String> secrets) {
    // Longest first: a URL that contains a shorter secret is masked whole.
    this.secrets = secrets.stream().filter(s -> s != null && !s.isBlank())
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }

  /** An exception as one line: its class and message, and its causes', redacted. */
  public String describe(Throwable error) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = error; t != null && out.length() < 400; t = t.getCause()) {
      if (out.length() > 0) {
        out.append(" <- ");
      }
      out.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        out.append(": ").append(t.getMessage());
      }
    }
    return redact(out.toString());
  }
}
