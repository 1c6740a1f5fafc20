package dev.costlake.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The raw files of one micro-batch, sorted by the format their name says they hold. */
public record RawFiles(List<String> json, List<String> parquet, List<String> unsupported) {

  /** Splits paths by extension: .jsonl/.json (optionally .gz) are JSON lines, .parquet is Parquet. */
  public static RawFiles classify(List<String> paths) {
    List<String> json = new ArrayList<>();
    List<String> parquet = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (String path : paths) {
      String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
      if (name.endsWith(".jsonl") || name.endsWith(".json")
          || name.endsWith(".jsonl.gz") || name.endsWith(".json.gz")) {
        json.add(path);
      } else if (name.endsWith(".parquet")) {
        parquet.add(path);
      } else {
        unsupported.add(path);
      }
    }
    return new RawFiles(List.copyOf(json), List.copyOf(parquet), List.copyOf(unsupported));
  }

  public int count() {
    return json.size() + parquet.size() + unsupported.size();
  }
}
