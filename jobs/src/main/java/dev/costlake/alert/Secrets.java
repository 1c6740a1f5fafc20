package dev.costlake.alert;

import java.util.Comparator;
import java.util.List;

/** Replaces every configured secret (channel URLs, SMTP passwords) in a text by ***. */
public final class Secrets {
  public static final String MASK = "***";

  private final List<String> secrets;

  public Secrets(List<String> secrets) {
    java.util.Set<String> all = new java.util.HashSet<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isBlank()) {
        all.add(secret);
        all.addAll(parts(secret));
      }
    }
    // Longest first: a URL that contains a shorter secret is masked whole.
    this.secrets = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** Shortest part of a URL that is masked on its own: shorter ones (api, v1, hooks) say nothing. */
  static final int MIN_PART_LENGTH = 8;

  /**
   * The parts of a secret URL that leak it on their own (a server's error page quotes the path, not
   * the URL): its path and query, and every long path segment, query value and user info.
   */
  static List<String> parts(String secret) {
    List<String> parts = new java.util.ArrayList<>();
    java.net.URI uri;
    try {
      uri = new java.net.URI(secret);
    } catch (java.net.URISyntaxException e) {
      return parts;
    }
    if (uri.getScheme() == null) {
      return parts;
    }
    java.util.List<String> pieces = new java.util.ArrayList<>();
    if (uri.getRawPath() != null) {
      pieces.add(uri.getRawPath());
      pieces.addAll(java.util.Arrays.asList(uri.getRawPath().split("/")));
    }
    if (uri.getRawQuery() != null) {
      pieces.add(uri.getRawQuery());
      for (String pair : uri.getRawQuery().split("&")) {
        pieces.add(pair.substring(pair.indexOf('=') + 1));
      }
    }
    if (uri.getRawUserInfo() != null) {
      pieces.add(uri.getRawUserInfo());
    }
    for (String piece : pieces) {
      if (piece.length() >= MIN_PART_LENGTH) {
        parts.add(piece);
      }
    }
    return parts;
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
