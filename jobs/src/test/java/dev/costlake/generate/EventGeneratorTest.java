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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
