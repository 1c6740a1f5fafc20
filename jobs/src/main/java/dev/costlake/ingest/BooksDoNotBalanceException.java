package dev.costlake.ingest;

/** A batch read more or fewer records than it accounted for; nothing of it is written. */
public final class BooksDoNotBalanceException extends RuntimeException {
  public BooksDoNotBalanceException(String message) {
    super(message);
  }
}
