package dev.costlake.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One anomaly {@link EventGenerator} injected on purpose, as written to the labels file (one JSON
 * object per line), so that a detector's findings can be scored against the truth.
 *
 * @param labelId        {@code a01}, {@code a02}, ... in the order the anomalies were planned
 * @param kind           one of {@link #KINDS}
 * @param scopeType      {@code feature} or {@code tenant}: what the anomaly targets
 * @param scopeValue     the feature name or tenant id
 * @param start          first hour of the window (UTC, whole hour)
 * @param end            end of the window, exclusive
 * @param factor         intended multiplier of the scope's traffic (spike, drop, ramp, runaway loop)
 *                       or expected cost (model switch, cache collapse); 0.0 for a drop
 * @param driver         what moved: {@code factor:volume}, {@code factor:cache_hit_rate},
 *                       {@code user:<user_id>} or {@code model:<model>}
 * @param affectedScopes every scope with an event added, removed or changed, sorted by type then value
 */
public record AnomalyLabel(String labelId, String kind, String scopeType, String scopeValue,
                           Instant start, Instant end, double factor, String driver,
                           List<Scope> affectedScopes) {

  /** The kinds of anomaly, in the order the generator cycles through them. */
  public static final List<String> KINDS = Arrays.stream(AnomalyPlan.Kind.values())
      .map(AnomalyPlan.Kind::label).toList();

  public static final String TOTAL = "total";
  /** The total's scope value, as in gold.cost_anomalies and gold.spend_forecast. */
  public static final String TOTAL_VALUE = "all";
  public static final String TENANT = "tenant";
  public static final String FEATURE = "feature";
  public static final String MODEL = "model";
  public static final String USER = "user";
  /** Value {@code "<tenant_id>/<feature>"}; neither part contains a '/'. */
  public static final String TENANT_FEATURE = "tenant_feature";

  private static final ObjectMapper JSON = new ObjectMapper();

  public AnomalyLabel {
    Objects.requireNonNull(labelId, "labelId must not be null");
    Objects.requireNonNull(start, "start must not be null");
    Objects.requireNonNull(end, "end must not be null");
    if (TOTAL.equals(scopeType)) {
      scopeValue = TOTAL_VALUE;
    }
    // Sorted and without repeats whoever builds the label, so files compare line by line.
    affectedScopes = List.copyOf(new TreeSet<>(affectedScopes));
  }

  /** One slice of the cost tables, e.g. {@code (tenant_feature, "acme/chat_assistant")}. */
  public record Scope(String scopeType, String scopeValue) implements Comparable<Scope> {
    private static final Comparator<Scope> ORDER =
        Comparator.comparing(Scope::scopeType).thenComparing(Scope::scopeValue);

    public Scope {
      Objects.requireNonNull(scopeType, "scopeType must not be null");
      Objects.requireNonNull(scopeValue, "scopeValue must not be null");
      // Labels files written before the total's value became 'all' said 'total'; both mean the total.
      if (scopeType.equals(TOTAL)) {
        scopeValue = TOTAL_VALUE;
      }
    }

    @Override
    public int compareTo(Scope other) {
      return ORDER.compare(this, other);
    }
  }

  /** Reads a labels file written by {@link #writeAll}; blank lines are skipped. */
  public static List<AnomalyLabel> readAll(Path file) throws IOException {
    List<AnomalyLabel> labels = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        labels.add(fromJson(JSON.readTree(lines.get(i))));
      } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
        throw new IOException(file + " line " + (i + 1) + " is not an anomaly label: "
            + e.getMessage(), e);
      }
    }
    return labels;
  }

  /** Writes one JSON line per label, replacing {@code file} whole so readers never see half of it. */
  public static void writeAll(Path file, List<AnomalyLabel> labels) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path inProgress = absolute.resolveSibling("." + absolute.getFileName() + ".inprogress");
    try (BufferedWriter out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8)) {
      for (AnomalyLabel label : labels) {
        out.write(label.toJson());
        out.write('\n');
      }
    }
    Files.move(inProgress, absolute, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** This label as one line of JSON, fields in the documented order. */
  public String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("label_id", labelId);
    node.put("kind", kind);
    node.put("scope_type", scopeType);
    node.put("scope_value", scopeValue);
    node.put("start", start.toString());
    node.put("end", end.toString());
    node.put("factor", factor);
    node.put("driver", driver);
    ArrayNode scopes = node.putArray("affected_scopes");
    for (Scope scope : affectedScopes) {
      scopes.addObject().put("scope_type", scope.scopeType()).put("scope_value", scope.scopeValue());
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      // A tree of strings and numbers always serialises.
      throw new IllegalStateException(e);
    }
  }

  private static AnomalyLabel fromJson(JsonNode node) {
    List<Scope> scopes = new ArrayList<>();
    for (JsonNode scope : node.required("affected_scopes")) {
      scopes.add(new Scope(scope.required("scope_type").asText(),
          scope.required("scope_value").asText()));
    }
    return new AnomalyLabel(
        node.required("label_id").asText(),
        node.required("kind").asText(),
        node.required("scope_type").asText(),
        node.required("scope_value").asText(),
        Instant.parse(node.required("start").asText()),
        Instant.parse(node.required("end").asText()),
        node.required("factor").asDouble(),
        node.required("driver").asText(),
        scopes);
  }
}
