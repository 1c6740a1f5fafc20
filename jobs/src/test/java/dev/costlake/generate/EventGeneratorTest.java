package dev.costlake.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Checks the sample-data generator's layout, event contents, determinism, faults and volume. */
class EventGeneratorTest {

  /** A Monday, so a 7-day run covers every weekday once. */
  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

  private static final List<String> FIELD_ORDER = List.of(
      "event_id", "event_time", "tenant_id", "feature", "user_id", "project", "region",
      "environment", "provider", "model", "operation", "service_tier", "input_tokens",
      "output_tokens", "cached_input_tokens", "cache_write_tokens", "reasoning_tokens", "tags",
      "cost_usd");
  private static final List<String> REQUIRED_STRINGS = List.of(
      "event_id", "event_time", "tenant_id", "feature", "user_id", "project", "region",
      "environment", "provider", "model", "operation", "service_tier");
  private static final List<String> TOKEN_COUNTS = List.of(
      "input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens",
      "reasoning_tokens");
  private static final Map<String, String> PROVIDER_BY_MODEL = Map.ofEntries(
      Map.entry("gpt-4o", "openai"), Map.entry("gpt-4o-mini", "openai"),
      Map.entry("gpt-4.1", "openai"), Map.entry("gpt-4.1-mini", "openai"),
      Map.entry("o3-mini", "openai"), Map.entry("text-embedding-3-small", "openai"),
      Map.entry("text-embedding-3-large", "openai"),
      Map.entry("claude-3-5-sonnet-20241022", "anthropic"),
      Map.entry("claude-3-5-haiku-20241022", "anthropic"),
      Map.entry("claude-sonnet-4-20250514", "anthropic"),
      Map.entry("gemini-2.0-flash", "google"), Map.entry("mistral-large-latest", "mistral"),
      Map.entry(SampleCatalog.FINE_TUNED_MODEL, "openai"));
  private static final Set<String> EMBEDDING_MODELS =
      Set.of("text-embedding-3-small", "text-embedding-3-large");
  private static final Set<String> REGIONS =
      Set.of("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1");
  private static final Set<String> ENVIRONMENTS = Set.of("production", "staging", "development");
  private static final Set<String> SERVICE_TIERS = Set.of("standard", "batch", "flex");
  private static final Set<String> OPERATIONS = Set.of("chat", "completion", "embedding");
  private static final Pattern EVENT_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern USER_ID = Pattern.compile("u_\\d{6}");
  /** See {@link #outputWithTheNewOptionsOffIsUnchanged()}. */
  private static final String PRE_TREND_DIGEST =
      "885154c1a2f601ffbfd84308c54107075decc4c36876eb1139570fdad78487a9";
  private static final Pattern PARTITION =
      Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/hr=(\\d{2})/part-00000\\.jsonl\\.gz");

  @TempDir
  Path tempDir;

  @Test
  void writesOneFileOfValidEventsPerHour() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result =
        EventGenerator.generate(out, new GeneratorOptions(MONDAY, 2, 10_000, 7, 0, 0, 2));

    Map<Path, List<String>> files = readAll(out);
    assertEquals(48, files.size());
    assertEquals(48, result.filesWritten());
    assertEquals(20_000, result.eventsWritten());
    assertEquals(0, result.malformedLines());
    assertEquals(0, result.duplicateLines());
    assertEquals(20_000, result.linesWritten());
    long bytesOnDisk = 0;
    for (Path file : files.keySet()) {
      bytesOnDisk += Files.size(out.resolve(file));
    }
    assertEquals(bytesOnDisk, result.bytesWritten());

    Set<String> eventIds = new HashSet<>();
    Set<String> tenants = new HashSet<>();
    Set<String> features = new HashSet<>();
    Set<String> users = new HashSet<>();
    long lines = 0;
    for (Map.Entry<Path, List<String>> file : files.entrySet()) {
      Instant hourStart = hourStart(file.getKey());
      for (String line : file.getValue()) {
        lines++;
        Map<String, Object> event = Json.parseObject(line);
        String issue = problem(event, hourStart);
        assertNull(issue, () -> issue + " in " + line);
        assertTrue(eventIds.add((String) event.get("event_id")), () -> "repeated id in " + line);
        tenants.add((String) event.get("tenant_id"));
        features.add((String) event.get("feature"));
        users.add((String) event.get("user_id"));
      }
    }
    assertEquals(20_000, lines);
    assertEquals(20_000, eventIds.size());
    assertEquals(7, tenants.size());
    assertEquals(40, features.size());
    assertTrue(users.size() > 500 && users.size() <= 5_000, "distinct users: " + users.size());
    try (Stream<Path> all = Files.walk(out)) {
      assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".inprogress")),
          "no in-progress files may be left behind");
    }
  }

  @Test
  void skewsTenantsAndUsersAndKeepsFieldsConsistent() throws IOException {
    Path out = tempDir.resolve("events");
    EventGenerator.generate(out, new GeneratorOptions(MONDAY, 1, 20_000, 11, 0, 0, 2));

    Map<String, Integer> byTenant = new HashMap<>();
    Map<String, Integer> byUser = new HashMap<>();
    int costed = 0;
    int tagged = 0;
    for (List<String> lines : readAll(out).values()) {
      for (String line : lines) {
        Map<String, Object> event = Json.parseObject(line);
        byTenant.merge((String) event.get("tenant_id"), 1, Integer::sum);
        byUser.merge((String) event.get("user_id"), 1, Integer::sum);
        costed += event.containsKey("cost_usd") ? 1 : 0;
        tagged += event.containsKey("tags") ? 1 : 0;
      }
    }
    double acmeShare = byTenant.get("acme") / 20_000.0;
    double wayneShare = byTenant.get("wayne") / 20_000.0;
    assertTrue(acmeShare > 0.30 && acmeShare < 0.40, "acme share " + acmeShare);
    assertTrue(wayneShare > 0.015 && wayneShare < 0.05, "wayne share " + wayneShare);
    assertEquals(byTenant.get("globex").intValue(), costed, "only and all globex events carry cost");
    assertTrue(tagged > 9_000 && tagged < 11_000, "tagged events: " + tagged);
    // Heavy tail: the busiest 1% of the users seen make far more than 1% of the requests.
    List<Integer> perUser = byUser.values().stream().sorted((a, b) -> b - a).toList();
    int top = Math.max(1, perUser.size() / 100);
    int topRequests = perUser.subList(0, top).stream().mapToInt(Integer::intValue).sum();
    assertTrue(topRequests > 20_000 * 0.15, "top 1% of users made " + topRequests + " requests");
  }

  @Test
  void sameBytesForAnyThreadCount() throws IOException {
    Path oneThread = tempDir.resolve("one");
    Path twoThreads = tempDir.resolve("two");
    Path otherSeed = tempDir.resolve("other-seed");
    GeneratorResult first =
        EventGenerator.generate(oneThread, new GeneratorOptions(MONDAY, 2, 5_000, 7, 0.01, 0.02, 1));
    GeneratorResult second =
        EventGenerator.generate(twoThreads, new GeneratorOptions(MONDAY, 2, 5_000, 7, 0.01, 0.02, 2));
    EventGenerator.generate(otherSeed, new GeneratorOptions(MONDAY, 2, 5_000, 8, 0.01, 0.02, 2));

    assertEquals(first, second);
    List<Path> files = relativeFiles(oneThread);
    assertEquals(files, relativeFiles(twoThreads));
    for (Path file : files) {
      assertArrayEquals(Files.readAllBytes(oneThread.resolve(file)),
          Files.readAllBytes(twoThreads.resolve(file)), () -> file + " differs");
    }
    Path someFile = files.get(15);
    assertFalse(Arrays.equals(Files.readAllBytes(oneThread.resolve(someFile)),
        Files.readAllBytes(otherSeed.resolve(someFile))), "another seed must give other events");
  }

  @Test
  void faultsDoNotChangeTheValidEvents() throws IOException {
    Path clean = tempDir.resolve("clean");
    Path faulty = tempDir.resolve("faulty");
    EventGenerator.generate(clean, new GeneratorOptions(MONDAY, 1, 3_000, 7, 0, 0, 2));
    EventGenerator.generate(faulty, new GeneratorOptions(MONDAY, 1, 3_000, 7, 0.05, 0.05, 2));

    Map<Path, List<String>> faultyFiles = readAll(faulty);
    for (Map.Entry<Path, List<String>> file : readAll(clean).entrySet()) {
      Instant hourStart = hourStart(file.getKey());
      Set<String> seen = new HashSet<>();
      List<String> validInFaulty = new ArrayList<>();
      for (String line : faultyFiles.get(file.getKey())) {
        if (seen.add(line) && problem(line, hourStart) == null) {
          validInFaulty.add(line);
        }
      }
      assertEquals(file.getValue(), validInFaulty, () -> file.getKey() + " differs");
    }
  }

  @Test
  void resultCountsMatchTheFaultsInTheFiles() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result =
        EventGenerator.generate(out, new GeneratorOptions(MONDAY, 2, 5_000, 7, 0.01, 0.02, 2));

    long lines = 0;
    long valid = 0;
    long malformed = 0;
    long duplicates = 0;
    Set<String> eventIds = new HashSet<>();
    Set<String> malformedKinds = new HashSet<>();
    for (Map.Entry<Path, List<String>> file : readAll(out).entrySet()) {
      Instant hourStart = hourStart(file.getKey());
      Set<String> seen = new HashSet<>();
      for (String line : file.getValue()) {
        lines++;
        if (!seen.add(line)) {
          duplicates++;
          assertNull(problem(line, hourStart), () -> "a re-send must be valid: " + line);
          continue;
        }
        String issue = problem(line, hourStart);
        if (issue == null) {
          valid++;
          assertTrue(eventIds.add((String) Json.parseObject(line).get("event_id")));
        } else {
          malformed++;
          malformedKinds.add(issue);
        }
      }
    }
    assertEquals(result.linesWritten(), lines);
    assertEquals(result.eventsWritten(), valid);
    assertEquals(result.malformedLines(), malformed);
    assertEquals(result.duplicateLines(), duplicates);
    assertEquals(10_000, result.eventsWritten());
    assertTrue(malformed >= 80 && malformed <= 120, "malformed lines: " + malformed);
    assertTrue(duplicates >= 180 && duplicates <= 220, "duplicate lines: " + duplicates);
    assertEquals(Set.of("not json", "not json at all", "missing event_id",
        "negative input_tokens", "bad event_time", "non-numeric cost_usd"), malformedKinds);
  }

  @Test
  void weekendsAreQuieterAndTheRunTotalIsExact() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result =
        EventGenerator.generate(out, new GeneratorOptions(MONDAY, 7, 3_001, 7, 0, 0, 2));

    Map<LocalDate, Long> perDay = new TreeMap<>();
    long[] perHour = new long[24];
    for (Map.Entry<Path, List<String>> file : readAll(out).entrySet()) {
      Instant hourStart = hourStart(file.getKey());
      LocalDate day = LocalDate.ofInstant(hourStart, ZoneOffset.UTC);
      perDay.merge(day, (long) file.getValue().size(), Long::sum);
      perHour[hourStart.atOffset(ZoneOffset.UTC).getHour()] += file.getValue().size();
    }
    assertEquals(7 * 3_001, perDay.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(7 * 3_001, result.eventsWritten());
    LocalDate wednesday = MONDAY.plusDays(2);
    LocalDate saturday = MONDAY.plusDays(5);
    assertEquals(DayOfWeek.WEDNESDAY, wednesday.getDayOfWeek());
    assertEquals(DayOfWeek.SATURDAY, saturday.getDayOfWeek());
    assertTrue(perDay.get(saturday) < 0.7 * perDay.get(wednesday),
        "saturday " + perDay.get(saturday) + " vs wednesday " + perDay.get(wednesday));
    assertTrue(perHour[15] > 3 * perHour[3],
        "15:00 UTC " + perHour[15] + " vs 03:00 UTC " + perHour[3]);
  }

  /**
   * The SHA-256 of a small run's decompressed lines (each file's path, then its text), taken
   * with the generator as it was before trend, noise and anomalies existed: with those off, the
   * output must not move by a byte. Decompressed, because gzip bytes depend on the zlib build.
   */
  @Test
  void outputWithTheNewOptionsOffIsUnchanged() throws IOException {
    Path out = tempDir.resolve("events");
    EventGenerator.generate(out, new GeneratorOptions(MONDAY, 2, 2_000, 7, 0.01, 0.02, 2));

    assertEquals(PRE_TREND_DIGEST, contentDigest(out));
  }

  @Test
  void explicitlyZeroTrendNoiseAndAnomaliesChangeNothing() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result = EventGenerator.generate(out,
        new GeneratorOptions(MONDAY, 2, 2_000, 7, 0.01, 0.02, 2, 0.0, 0.0, 0));

    assertEquals(PRE_TREND_DIGEST, contentDigest(out));
    assertEquals(0, result.injectedEvents());
    assertEquals(0, result.droppedEvents());
    assertEquals(List.of(), result.anomalyLabels());
    assertNull(result.labelsFile());
    assertFalse(Files.exists(tempDir.resolve("anomaly_labels.jsonl")));
  }

  /**
   * Monday to Wednesday at growth 0.1: day weights 1, 1.1 and 1.21 (sum 3.31), so 3 x 3,310 =
   * 9,930 events split 9,930 / 3.31 = 3,000 per unit of weight.
   */
  @Test
  void dailyGrowthMultipliesEachDaysTrafficAndKeepsTheTotal() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result = EventGenerator.generate(out,
        new GeneratorOptions(MONDAY, 3, 3_310, 7, 0, 0, 2).withDailyGrowth(0.1));

    assertEquals(List.of(3_000L, 3_300L, 3_630L), new ArrayList<>(eventsPerDay(out).values()));
    assertEquals(9_930, result.eventsWritten());
  }

  @Test
  void dailyNoiseScalesEachDayByASeededLogNormalAndKeepsTheTotal() throws IOException {
    Path out = tempDir.resolve("events");
    double sigma = 0.3;
    GeneratorResult result = EventGenerator.generate(out,
        new GeneratorOptions(MONDAY, 5, 2_000, 7, 0, 0, 2).withDailyNoise(sigma));

    List<Long> perDay = new ArrayList<>(eventsPerDay(out).values());
    assertEquals(List.of(1_200L, 1_547L, 1_216L, 1_730L, 4_307L), perDay);
    assertEquals(10_000, result.eventsWritten());
    // Every hour holds its share of dayFactor x hourWeight with dayFactor = exp(sigma z -
    // sigma^2 / 2); the five days are weekdays, so there is no weekend factor.
    double[] weights = new double[5 * 24];
    for (int day = 0; day < 5; day++) {
      double z = EventGenerator.dailyNoiseZ(7, MONDAY.plusDays(day).toEpochDay());
      double dayFactor = StrictMath.exp(sigma * z - sigma * sigma / 2);
      for (int hour = 0; hour < 24; hour++) {
        weights[day * 24 + hour] = dayFactor * EventGenerator.hourWeight(hour);
      }
    }
    assertArrayEquals(EventGenerator.apportion(10_000, weights), eventsPerHour(out));
  }

  @Test
  void dailyNoiseIsAStandardNormalFixedBySeedAndDay() {
    assertEquals(-1.2217402437142098, EventGenerator.dailyNoiseZ(7, MONDAY.toEpochDay()));
    assertEquals(3.038929075807401, EventGenerator.dailyNoiseZ(7, MONDAY.plusDays(4).toEpochDay()));
    int days = 20_000;
    double sum = 0;
    double sumOfSquares = 0;
    for (int day = 0; day < days; day++) {
      double z = EventGenerator.dailyNoiseZ(42, day);
      sum += z;
      sumOfSquares += z * z;
    }
    double mean = sum / days;
    double variance = sumOfSquares / days - mean * mean;
    assertTrue(Math.abs(mean) < 0.03, "mean " + mean);
    assertTrue(Math.abs(variance - 1) < 0.05, "variance " + variance);
  }

  /**
   * A run with six anomalies, one of each kind, next to the same run without them; faults are on
   * so that they are shown to keep working around the anomalies.
   */
  private static final class AnomalyRuns {
    static final LocalDate START = LocalDate.of(2026, 10, 1);
    static final Instant START_AT = START.atStartOfDay(ZoneOffset.UTC).toInstant();

    final Path plainDir;
    final Path anomalousDir;
    final GeneratorResult plain;
    final GeneratorResult anomalous;
    final Map<Path, List<String>> plainFiles;
    final Map<Path, List<String>> anomalousFiles;
    /** By label id: what the anomalous run removed, added and changed against the plain run. */
    final Map<String, Diff> diffs = new TreeMap<>();

    AnomalyRuns(Path dir) throws IOException {
      GeneratorOptions options = new GeneratorOptions(START, 30, 3_000, 7, 0.01, 0.02, 2);
      plainDir = dir.resolve("plain").resolve("raw");
      anomalousDir = dir.resolve("anomalous").resolve("raw");
      plain = EventGenerator.generate(plainDir, options);
      anomalous = EventGenerator.generate(anomalousDir, options.withAnomalies(6));
      plainFiles = readAll(plainDir);
      anomalousFiles = readAll(anomalousDir);
      for (AnomalyLabel label : anomalous.anomalyLabels()) {
        diffs.put(label.labelId(), new Diff());
      }
      for (Path file : plainFiles.keySet()) {
        AnomalyLabel label = labelAt(hourStart(file));
        if (label == null) {
          continue;
        }
        Diff diff = diffs.get(label.labelId());
        Map<String, String> before = validById(plainFiles.get(file), hourStart(file));
        Map<String, String> after = validById(anomalousFiles.get(file), hourStart(file));
        for (Map.Entry<String, String> event : before.entrySet()) {
          String now = after.get(event.getKey());
          if (now == null) {
            diff.removed.add(Json.parseObject(event.getValue()));
          } else if (!now.equals(event.getValue())) {
            diff.changed.add(List.of(Json.parseObject(event.getValue()), Json.parseObject(now)));
          }
        }
        for (Map.Entry<String, String> event : after.entrySet()) {
          if (!before.containsKey(event.getKey())) {
            diff.added.add(Json.parseObject(event.getValue()));
          }
        }
        diff.windowEvents.addAll(after.values().stream().map(Json::parseObject).toList());
      }
    }

    AnomalyLabel label(String kind) {
      return anomalous.anomalyLabels().stream().filter(l -> l.kind().equals(kind)).findFirst()
          .orElseThrow();
    }

    AnomalyLabel labelAt(Instant hourStart) {
      return anomalous.anomalyLabels().stream()
          .filter(l -> !hourStart.isBefore(l.start()) && hourStart.isBefore(l.end()))
          .findFirst().orElse(null);
    }

    Diff diff(String kind) {
      return diffs.get(label(kind).labelId());
    }

    /** Distinct valid lines of a file by event_id: re-sends and malformed lines left out. */
    private static Map<String, String> validById(List<String> lines, Instant hourStart) {
      Map<String, String> byId = new LinkedHashMap<>();
      for (String line : lines) {
        if (problem(line, hourStart) == null) {
          byId.putIfAbsent((String) Json.parseObject(line).get("event_id"), line);
        }
      }
      return byId;
    }
  }

  /** Valid events an anomaly removed, added or changed (before, after), and all in its window. */
  private static final class Diff {
    final List<Map<String, Object>> removed = new ArrayList<>();
    final List<Map<String, Object>> added = new ArrayList<>();
    final List<List<Map<String, Object>>> changed = new ArrayList<>();
    final List<Map<String, Object>> windowEvents = new ArrayList<>();
  }

  private static AnomalyRuns anomalyRuns;

  @TempDir
  static Path sharedDir;

  private static synchronized AnomalyRuns anomalyRuns() throws IOException {
    if (anomalyRuns == null) {
      anomalyRuns = new AnomalyRuns(sharedDir);
    }
    return anomalyRuns;
  }

  @Test
  void labelsOfAFixedRun() throws IOException {
    AnomalyRuns runs = anomalyRuns();
    List<AnomalyLabel> labels = runs.anomalous.anomalyLabels();

    assertEquals(runs.anomalousDir.getParent().resolve("anomaly_labels.jsonl"),
        runs.anomalous.labelsFile());
    assertEquals(labels, AnomalyLabel.readAll(runs.anomalous.labelsFile()));
    assertEquals(List.of(
            "a01 spike feature code_review 2026-10-25T14:00:00Z 2026-10-25T17:00:00Z 4.4"
                + " factor:volume",
            "a02 drop feature meeting_notes 2026-10-22T12:00:00Z 2026-10-22T17:00:00Z 0.0"
                + " factor:volume",
            "a03 ramp feature contract_review 2026-10-18T10:00:00Z 2026-10-20T10:00:00Z 5.0"
                + " factor:volume",
            "a04 runaway_loop feature doc_summarizer 2026-10-28T11:00:00Z 2026-10-28T13:00:00Z 6.2"
                + " user:u_004453",
            "a05 model_switch feature support_triage 2026-10-16T10:00:00Z 2026-10-16T16:00:00Z 9.18"
                + " model:claude-3-5-sonnet-20241022",
            "a06 cache_collapse feature chat_assistant 2026-10-30T10:00:00Z 2026-10-30T16:00:00Z 1.04"
                + " factor:cache_hit_rate"),
        labels.stream().map(l -> String.join(" ", l.labelId(), l.kind(), l.scopeType(),
            l.scopeValue(), l.start().toString(), l.end().toString(), Double.toString(l.factor()),
            l.driver())).toList());
    Instant historyEnd = AnomalyRuns.START_AT.plus(Duration.ofDays(15));
    Instant runEnd = AnomalyRuns.START_AT.plus(Duration.ofDays(30));
    List<AnomalyLabel> byStart = labels.stream()
        .sorted(Comparator.comparing(AnomalyLabel::start)).toList();
    for (int i = 0; i < byStart.size(); i++) {
      AnomalyLabel label = byStart.get(i);
      assertFalse(label.start().isBefore(historyEnd), label::toString);
      assertFalse(label.end().isAfter(runEnd), label::toString);
      if (i > 0) {
        assertTrue(Duration.between(byStart.get(i - 1).end(), label.start()).toHours() >= 24,
            label::toString);
      }
      assertTrue(label.affectedScopes().contains(
          new AnomalyLabel.Scope(label.scopeType(), label.scopeValue())), label::toString);
      assertTrue(label.affectedScopes().contains(new AnomalyLabel.Scope("total", "all")),
          label::toString);
    }
    AnomalyLabel runaway = runs.label("runaway_loop");
    assertEquals(List.of(
            new AnomalyLabel.Scope("feature", "doc_summarizer"),
            new AnomalyLabel.Scope("model", "claude-3-5-sonnet-20241022"),
            new AnomalyLabel.Scope("model", "gemini-2.0-flash"),
            new AnomalyLabel.Scope("model", "gpt-4.1"),
            new AnomalyLabel.Scope("model", "gpt-4.1-mini"),
            new AnomalyLabel.Scope("tenant", "hooli"),
            new AnomalyLabel.Scope("tenant_feature", "hooli/doc_summarizer"),
            new AnomalyLabel.Scope("total", "all"),
            new AnomalyLabel.Scope("user", "u_004453")),
        runaway.affectedScopes());
  }

  /** The labels' affected scopes are exactly the scopes of the events each anomaly touched. */
  @Test
  void affectedScopesAreTheScopesOfTheTouchedEvents() throws IOException {
    AnomalyRuns runs = anomalyRuns();

    for (AnomalyLabel label : runs.anomalous.anomalyLabels()) {
      Diff diff = runs.diffs.get(label.labelId());
      Set<AnomalyLabel.Scope> expected = new TreeSet<>();
      List<Map<String, Object>> touched = new ArrayList<>(diff.removed);
      touched.addAll(diff.added);
      for (List<Map<String, Object>> change : diff.changed) {
        touched.addAll(change);
      }
      for (Map<String, Object> event : touched) {
        expected.add(new AnomalyLabel.Scope("total", "all"));
        expected.add(new AnomalyLabel.Scope("tenant", (String) event.get("tenant_id")));
        expected.add(new AnomalyLabel.Scope("feature", (String) event.get("feature")));
        expected.add(new AnomalyLabel.Scope("model", (String) event.get("model")));
        expected.add(new AnomalyLabel.Scope("user", (String) event.get("user_id")));
        expected.add(new AnomalyLabel.Scope("tenant_feature",
            event.get("tenant_id") + "/" + event.get("feature")));
      }
      assertFalse(touched.isEmpty(), () -> label.labelId() + " touched no event");
      assertEquals(List.copyOf(expected), label.affectedScopes(), label::labelId);
    }
  }

  @Test
  void eventsOutsideTheWindowsAreByteIdenticalAndTheCountsAddUp() throws IOException {
    AnomalyRuns runs = anomalyRuns();

    long windowFiles = 0;
    for (Path file : runs.plainFiles.keySet()) {
      if (runs.labelAt(hourStart(file)) == null) {
        assertEquals(runs.plainFiles.get(file), runs.anomalousFiles.get(file), file::toString);
      } else {
        windowFiles++;
      }
    }
    assertEquals(3 + 5 + 48 + 2 + 6 + 6, windowFiles);
    long removed = runs.diffs.values().stream().mapToLong(d -> d.removed.size()).sum();
    long added = runs.diffs.values().stream().mapToLong(d -> d.added.size()).sum();
    assertEquals(runs.anomalous.droppedEvents(), removed);
    assertEquals(runs.anomalous.injectedEvents(), added);
    assertEquals(90_000, runs.plain.eventsWritten());
    assertEquals(90_000 - removed + added, runs.anomalous.eventsWritten());
    assertEquals(runs.plain.malformedLines(), runs.anomalous.malformedLines());
    assertEquals(runs.plain.duplicateLines(), runs.anomalous.duplicateLines());
    assertEquals(runs.anomalous.linesWritten(),
        runs.anomalousFiles.values().stream().mapToLong(List::size).sum());
    Set<String> eventIds = new HashSet<>();
    long valid = 0;
    for (Map.Entry<Path, List<String>> file : runs.anomalousFiles.entrySet()) {
      Set<String> seen = new HashSet<>();
      for (String line : file.getValue()) {
        if (seen.add(line) && problem(line, hourStart(file.getKey())) == null) {
          valid++;
          assertTrue(eventIds.add((String) Json.parseObject(line).get("event_id")), line);
        }
      }
    }
    assertEquals(runs.anomalous.eventsWritten(), valid);
  }

  @Test
  void aDropRemovesExactlyItsFeaturesEventsInTheWindow() throws IOException {
    AnomalyRuns runs = anomalyRuns();
    Diff drop = runs.diff("drop");
    String feature = runs.label("drop").scopeValue();

    assertEquals("meeting_notes", feature);
    assertTrue(drop.removed.size() > 0);
    assertTrue(drop.removed.stream().allMatch(e -> e.get("feature").equals(feature)));
    assertTrue(drop.windowEvents.stream().noneMatch(e -> e.get("feature").equals(feature)));
    assertEquals(List.of(), drop.added);
    assertEquals(List.of(), drop.changed);
    assertEquals(drop.removed.size(), runs.anomalous.droppedEvents());
  }

  @Test
  void aModelSwitchWritesOnlyTheNewModelForItsFeatureInTheWindow() throws IOException {
    AnomalyRuns runs = anomalyRuns();
    Diff modelSwitch = runs.diff("model_switch");

    List<Map<String, Object>> featureEvents = modelSwitch.windowEvents.stream()
        .filter(e -> e.get("feature").equals("support_triage")).toList();
    assertTrue(featureEvents.size() > 0);
    for (Map<String, Object> event : featureEvents) {
      assertEquals("claude-3-5-sonnet-20241022", event.get("model"));
      assertEquals("anthropic", event.get("provider"));
    }
    assertEquals(featureEvents.size(), modelSwitch.changed.size(),
        "support_triage never calls the new model on its own");
    for (List<Map<String, Object>> change : modelSwitch.changed) {
      // Only globex logs its own cost_usd, which follows the model; the provider changes only
      // for events that called another provider's model before.
      Set<String> expected = new TreeSet<>(Set.of("model"));
      if (!"anthropic".equals(change.get(0).get("provider"))) {
        expected.add("provider");
      }
      if (change.get(0).containsKey("cost_usd")) {
        expected.add("cost_usd");
      }
      assertEquals(expected, changedFields(change), change::toString);
    }
    assertEquals(List.of(), modelSwitch.added);
    assertEquals(List.of(), modelSwitch.removed);
    assertTrue(listCostUsd(featureEvents) >= 4 * listCostUsd(modelSwitch.changed.stream()
        .map(change -> change.get(0)).toList()), "the switch must at least quadruple the cost");
  }

  @Test
  void aCacheCollapseZeroesCachedInputForItsFeatureInTheWindow() throws IOException {
    AnomalyRuns runs = anomalyRuns();
    Diff collapse = runs.diff("cache_collapse");

    List<Map<String, Object>> featureEvents = collapse.windowEvents.stream()
        .filter(e -> e.get("feature").equals("chat_assistant")).toList();
    assertTrue(featureEvents.size() > 0);
    assertTrue(featureEvents.stream().allMatch(e -> (Long) e.get("cached_input_tokens") == 0L));
    assertTrue(collapse.changed.size() > 0);
    for (List<Map<String, Object>> change : collapse.changed) {
      assertTrue((Long) change.get(0).get("cached_input_tokens") > 0);
      Set<String> fields = changedFields(change);
      assertTrue(Set.of("cached_input_tokens", "cost_usd").containsAll(fields), fields::toString);
      assertTrue(fields.contains("cached_input_tokens"));
    }
    assertEquals(List.of(), collapse.added);
    assertEquals(List.of(), collapse.removed);
  }

  @Test
  void aRunawayLoopAddsEventsOfItsUserOnlyAndAtLeastQuadruplesTheFeaturesCost() throws IOException {
    AnomalyRuns runs = anomalyRuns();
    Diff runaway = runs.diff("runaway_loop");

    assertTrue(runaway.added.size() > 0);
    for (Map<String, Object> event : runaway.added) {
      assertEquals("u_004453", event.get("user_id"));
      assertEquals("hooli", event.get("tenant_id"));
      assertEquals("doc_summarizer", event.get("feature"));
    }
    assertEquals(List.of(), runaway.removed);
    assertEquals(List.of(), runaway.changed);
    List<Map<String, Object>> featureEvents = runaway.windowEvents.stream()
        .filter(e -> e.get("feature").equals("doc_summarizer")).toList();
    List<Map<String, Object>> usual = featureEvents.stream()
        .filter(e -> !runaway.added.contains(e)).toList();
    assertTrue(listCostUsd(featureEvents) >= 4 * listCostUsd(usual),
        listCostUsd(featureEvents) + " vs usual " + listCostUsd(usual));
  }

  @Test
  void spikesAndRampsAddEventsOfTheirScopeOnly() throws IOException {
    AnomalyRuns runs = anomalyRuns();

    for (String kind : List.of("spike", "ramp")) {
      AnomalyLabel label = runs.label(kind);
      Diff diff = runs.diffs.get(label.labelId());
      assertTrue(diff.added.size() > 0, kind);
      assertTrue(diff.added.stream().allMatch(e -> e.get("feature").equals(label.scopeValue())),
          kind);
      assertEquals(List.of(), diff.removed);
      assertEquals(List.of(), diff.changed);
    }
  }

  @Test
  void sameSeedSameBytesWithAnomalies() throws IOException {
    Path first = tempDir.resolve("first").resolve("raw");
    Path second = tempDir.resolve("second").resolve("raw");
    GeneratorOptions options =
        new GeneratorOptions(AnomalyRuns.START, 22, 500, 3, 0.01, 0.02, 1).withAnomalies(3);
    GeneratorResult one = EventGenerator.generate(first, options);
    GeneratorResult two = EventGenerator.generate(second,
        new GeneratorOptions(AnomalyRuns.START, 22, 500, 3, 0.01, 0.02, 2).withAnomalies(3));

    assertEquals(one.anomalyLabels(), two.anomalyLabels());
    assertEquals(one.injectedEvents(), two.injectedEvents());
    assertEquals(one.droppedEvents(), two.droppedEvents());
    assertArrayEquals(Files.readAllBytes(one.labelsFile()), Files.readAllBytes(two.labelsFile()));
    List<Path> files = relativeFiles(first);
    assertEquals(files, relativeFiles(second));
    for (Path file : files) {
      assertArrayEquals(Files.readAllBytes(first.resolve(file)),
          Files.readAllBytes(second.resolve(file)), () -> file + " differs");
    }
  }

  @Test
  void labelsGoWhereTheCallerSays() throws IOException {
    Path labels = tempDir.resolve("elsewhere").resolve("truth.jsonl");
    GeneratorResult result = EventGenerator.generate(tempDir.resolve("raw"),
        new GeneratorOptions(AnomalyRuns.START, 22, 200, 3, 0, 0, 2).withAnomalies(1), labels);

    assertEquals(labels.toAbsolutePath().normalize(), result.labelsFile());
    assertEquals(result.anomalyLabels(), AnomalyLabel.readAll(labels));
    assertFalse(Files.exists(tempDir.resolve("anomaly_labels.jsonl")));
  }

  @Test
  void writesEveryHourEvenWithFewEvents() throws IOException {
    Path out = tempDir.resolve("events");
    GeneratorResult result =
        EventGenerator.generate(out, new GeneratorOptions(MONDAY, 1, 1, 7, 0.5, 0.5, 4));

    Map<Path, List<String>> files = readAll(out);
    assertEquals(24, files.size());
    assertEquals(1, result.eventsWritten());
    assertEquals(result.linesWritten(),
        files.values().stream().mapToLong(List::size).sum());
  }

  @Test
  void apportionKeepsTheTotalExact() {
    for (long total : new long[] {0, 1, 23, 24, 25, 999_983, 10_000_020}) {
      long[] counts = EventGenerator.eventsPerHourFile(LocalDate.of(2026, 2, 26), 9, total);
      assertEquals(9 * 24, counts.length);
      assertEquals(total, Arrays.stream(counts).sum(), "total " + total);
      assertTrue(Arrays.stream(counts).allMatch(c -> c >= 0));
    }
  }

  @Test
  void rejectsInvalidOptionsNamingTheFieldAndValue() {
    assertRejected("days must be >= 1, got 0",
        () -> new GeneratorOptions(MONDAY, 0, 10, 1, 0, 0, 1));
    assertRejected("eventsPerDay must be >= 1, got 0",
        () -> new GeneratorOptions(MONDAY, 1, 0, 1, 0, 0, 1));
    assertRejected("malformedFraction must be in [0, 0.5], got 0.6",
        () -> new GeneratorOptions(MONDAY, 1, 10, 1, 0.6, 0, 1));
    assertRejected("malformedFraction must be in [0, 0.5], got NaN",
        () -> new GeneratorOptions(MONDAY, 1, 10, 1, Double.NaN, 0, 1));
    assertRejected("duplicateFraction must be in [0, 0.5], got -0.1",
        () -> new GeneratorOptions(MONDAY, 1, 10, 1, 0, -0.1, 1));
    assertRejected("threads must be >= 1, got 0",
        () -> new GeneratorOptions(MONDAY, 1, 10, 1, 0, 0, 0));
    assertEquals(0.5, new GeneratorOptions(MONDAY, 1, 1, 1, 0.5, 0.5, 1).duplicateFraction());
    GeneratorOptions flat = new GeneratorOptions(MONDAY, 30, 10, 1, 0, 0, 1);
    assertRejected("dailyGrowth must be in [-0.5, 0.5], got 0.6", () -> flat.withDailyGrowth(0.6));
    assertRejected("dailyGrowth must be in [-0.5, 0.5], got NaN",
        () -> flat.withDailyGrowth(Double.NaN));
    assertRejected("dailyGrowth 0.5 over 2000 days makes the last day's weight Infinity times the"
        + " first's; use fewer days",
        () -> new GeneratorOptions(MONDAY, 2000, 10, 1, 0, 0, 1).withDailyGrowth(0.5));
    assertRejected("dailyNoise must be in [0, 1.0], got -0.1", () -> flat.withDailyNoise(-0.1));
    assertRejected("anomalies must be >= 0, got -1", () -> flat.withAnomalies(-1));
    assertRejected("anomalies=1 needs days >= 22 (15 days of history before the first anomaly,"
            + " then up to 19 h of windows at least 24 h apart, each starting 10:00-15:00 UTC), got days=21",
        () -> new GeneratorOptions(MONDAY, 21, 10, 1, 0, 0, 1).withAnomalies(1));
    assertRejected("anomalies=6 needs days >= 29 (15 days of history before the first anomaly,"
            + " then up to 328 h of windows at least 24 h apart, each starting 10:00-15:00 UTC), got days=28",
        () -> new GeneratorOptions(MONDAY, 28, 10, 1, 0, 0, 1).withAnomalies(6));
    assertEquals(6, new GeneratorOptions(MONDAY, 29, 10, 1, 0, 0, 1).withAnomalies(6).anomalies());
    assertEquals(1, new GeneratorOptions(MONDAY, 22, 10, 1, 0, 0, 1).withAnomalies(1).anomalies());
  }

  private static void assertRejected(String message, Executable construction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction);
    assertEquals(message, e.getMessage());
  }

  /** Why a line is not a valid event for the file that starts at {@code hourStart}, or null. */
  private static String problem(String line, Instant hourStart) {
    if (!line.startsWith("{")) {
      return "not json at all";
    }
    Map<String, Object> event;
    try {
      event = Json.parseObject(line);
    } catch (IllegalArgumentException e) {
      return "not json";
    }
    return problem(event, hourStart);
  }

  private static String problem(Map<String, Object> event, Instant hourStart) {
    if (!event.containsKey("event_id")) {
      return "missing event_id";
    }
    for (String field : REQUIRED_STRINGS) {
      if (!(event.get(field) instanceof String)) {
        return "missing " + field;
      }
    }
    for (String field : TOKEN_COUNTS) {
      if (!(event.get(field) instanceof Long)) {
        return "missing " + field;
      }
    }
    if (!(event.get("cost_usd") == null || event.get("cost_usd") instanceof Number)) {
      return "non-numeric cost_usd";
    }
    List<String> keys = new ArrayList<>(event.keySet());
    List<String> expectedOrder = FIELD_ORDER.stream().filter(event::containsKey).toList();
    if (!keys.equals(expectedOrder)) {
      return "fields out of order or unknown: " + keys;
    }
    String time = (String) event.get("event_time");
    if (!EVENT_TIME.matcher(time).matches()) {
      return "bad event_time";
    }
    try {
      Instant at = Instant.parse(time);
      if (at.isBefore(hourStart) || !at.isBefore(hourStart.plus(Duration.ofHours(1)))) {
        return "event_time outside the file's hour";
      }
    } catch (DateTimeParseException e) {
      return "bad event_time";
    }
    long input = (Long) event.get("input_tokens");
    long output = (Long) event.get("output_tokens");
    long cached = (Long) event.get("cached_input_tokens");
    long cacheWrite = (Long) event.get("cache_write_tokens");
    long reasoning = (Long) event.get("reasoning_tokens");
    if (input < 0 || output < 0 || cached < 0 || cacheWrite < 0 || reasoning < 0) {
      return "negative input_tokens";
    }
    if (cached > input || cacheWrite > input || cached + cacheWrite > input) {
      return "cached or cache-write tokens exceed input";
    }
    if (reasoning > output) {
      return "reasoning tokens exceed output";
    }
    return semanticProblem(event, input, output, cacheWrite, reasoning);
  }

  private static String semanticProblem(Map<String, Object> event, long input, long output,
                                        long cacheWrite, long reasoning) {
    String model = (String) event.get("model");
    String provider = (String) event.get("provider");
    String operation = (String) event.get("operation");
    if (!provider.equals(PROVIDER_BY_MODEL.get(model))) {
      return "model " + model + " with provider " + provider;
    }
    if (!UUID_V4.matcher((String) event.get("event_id")).matches()) {
      return "event_id is not a UUID";
    }
    if (!USER_ID.matcher((String) event.get("user_id")).matches()) {
      return "bad user_id";
    }
    if (!((String) event.get("project")).startsWith(event.get("tenant_id") + "-")) {
      return "project of another tenant";
    }
    if (!REGIONS.contains(event.get("region")) || !ENVIRONMENTS.contains(event.get("environment"))
        || !SERVICE_TIERS.contains(event.get("service_tier")) || !OPERATIONS.contains(operation)) {
      return "unknown region, environment, service_tier or operation";
    }
    if (operation.equals("embedding") != EMBEDDING_MODELS.contains(model)) {
      return "operation " + operation + " with model " + model;
    }
    if (operation.equals("embedding") ? output != 0 : output < 1) {
      return "output_tokens " + output + " for " + operation;
    }
    if (input < 1) {
      return "input_tokens " + input;
    }
    if (reasoning > 0 && !model.equals("o3-mini")) {
      return "reasoning tokens from " + model;
    }
    if (cacheWrite > 0 && !provider.equals("anthropic")) {
      return "cache writes on " + provider;
    }
    boolean globex = event.get("tenant_id").equals("globex");
    if (globex != event.containsKey("cost_usd")) {
      return "cost_usd on the wrong tenant";
    }
    if (globex && ((Number) event.get("cost_usd")).doubleValue() <= 0) {
      return "cost_usd not positive";
    }
    Object tags = event.get("tags");
    if (tags != null) {
      if (!(tags instanceof Map<?, ?> tagMap) || tagMap.isEmpty()
          || !tagMap.values().stream().allMatch(String.class::isInstance)) {
        return "tags must be a non-empty string map";
      }
    }
    return null;
  }

  private static Instant hourStart(Path relativeFile) {
    Matcher m = PARTITION.matcher(relativeFile.toString().replace('\\', '/'));
    assertTrue(m.matches(), () -> "unexpected file " + relativeFile);
    return LocalDate.parse(m.group(1)).atStartOfDay(ZoneOffset.UTC).toInstant()
        .plus(Duration.ofHours(Integer.parseInt(m.group(2))));
  }

  /** Valid-or-not lines per UTC day, in day order. */
  private static Map<LocalDate, Long> eventsPerDay(Path out) throws IOException {
    Map<LocalDate, Long> perDay = new TreeMap<>();
    for (Map.Entry<Path, List<String>> file : readAll(out).entrySet()) {
      LocalDate day = LocalDate.ofInstant(hourStart(file.getKey()), ZoneOffset.UTC);
      perDay.merge(day, (long) file.getValue().size(), Long::sum);
    }
    return perDay;
  }

  /** The fields whose values differ between the two events of {@code change}. */
  private static Set<String> changedFields(List<Map<String, Object>> change) {
    Set<String> fields = new HashSet<>(change.get(0).keySet());
    fields.addAll(change.get(1).keySet());
    fields.removeIf(f -> Objects.equals(change.get(0).get(f), change.get(1).get(f)));
    return fields;
  }

  /** Standard-tier list cost of the events at the sample catalog's prices, cache ignored. */
  private static double listCostUsd(List<Map<String, Object>> events) {
    Map<String, SampleCatalog.Model> models = new HashMap<>();
    for (SampleCatalog.Model model : SampleCatalog.INSTANCE.models) {
      models.put(model.name(), model);
    }
    double usd = 0;
    for (Map<String, Object> event : events) {
      SampleCatalog.Model model = models.get((String) event.get("model"));
      usd += ((Long) event.get("input_tokens") * model.inputUsdPerMillionTokens()
          + (Long) event.get("output_tokens") * model.outputUsdPerMillionTokens()) / 1e6;
    }
    return usd;
  }

  /** Lines per hour-file, in file order. */
  private static long[] eventsPerHour(Path out) throws IOException {
    return readAll(out).values().stream().mapToLong(List::size).toArray();
  }

  /** SHA-256 of every file's relative path and decompressed text, in path order, as hex. */
  private static String contentDigest(Path out) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Path file : relativeFiles(out)) {
      sha256.update(file.toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve(file)))) {
        sha256.update(in.readAllBytes());
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static List<Path> relativeFiles(Path out) throws IOException {
    try (Stream<Path> all = Files.walk(out)) {
      return all.filter(Files::isRegularFile).map(out::relativize).sorted()
          .collect(Collectors.toList());
    }
  }

  /** Every file's lines, by path relative to {@code out}; checks each file ends with a newline. */
  private static Map<Path, List<String>> readAll(Path out) throws IOException {
    Map<Path, List<String>> files = new LinkedHashMap<>();
    for (Path file : relativeFiles(out)) {
      String text;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve(file)))) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(text.isEmpty() || text.endsWith("\n"), () -> file + " must end with a newline");
      assertFalse(text.contains("\r"), () -> file + " must use \\n line endings");
      String[] parts = text.split("\n", -1);
      // The text ends with a newline, so the last part is always empty.
      files.put(file, List.of(parts).subList(0, parts.length - 1));
    }
    return files;
  }

  /**
   * Just enough JSON to read the events: objects, strings without escapes beyond \" and \\,
   * and numbers (integers become Long, others Double). Anything else is an error.
   */
  private static final class Json {
    private final String text;
    private int pos;

    private Json(String text) {
      this.text = text;
    }

    static Map<String, Object> parseObject(String text) {
      Json json = new Json(text);
      Map<String, Object> object = json.object();
      if (json.pos != text.length()) {
        throw new IllegalArgumentException("trailing characters at " + json.pos);
      }
      return object;
    }

    private Map<String, Object> object() {
      expect('{');
      Map<String, Object> object = new LinkedHashMap<>();
      if (peek() == '}') {
        pos++;
        return object;
      }
      while (true) {
        String key = string();
        expect(':');
        if (object.put(key, value()) != null) {
          throw new IllegalArgumentException("repeated key " + key);
        }
        char next = next();
        if (next == '}') {
          return object;
        }
        if (next != ',') {
          throw new IllegalArgumentException("expected , or } at " + (pos - 1));
        }
      }
    }

    private Object value() {
      char c = peek();
      if (c == '{') {
        return object();
      }
      if (c == '"') {
        return string();
      }
      int start = pos;
      while (pos < text.length() && "-+.eE0123456789".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      String number = text.substring(start, pos);
      if (!number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?")) {
        throw new IllegalArgumentException("bad value at " + start);
      }
      return number.matches("-?\\d+") ? (Object) Long.parseLong(number) : Double.parseDouble(number);
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\') {
          c = next();
          if (c != '"' && c != '\\') {
            throw new IllegalArgumentException("unsupported escape at " + (pos - 1));
          }
        }
        out.append(c);
      }
    }

    private void expect(char expected) {
      if (next() != expected) {
        throw new IllegalArgumentException("expected " + expected + " at " + (pos - 1));
      }
    }

    private char peek() {
      if (pos >= text.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return text.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }
  }
}
