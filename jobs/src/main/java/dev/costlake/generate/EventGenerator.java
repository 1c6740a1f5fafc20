package dev.costlake.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes deterministic sample LLM cost events as gzip JSON lines, one file per UTC hour.
 *
 * <p>Layout: {@code outDir/dt=YYYY-MM-DD/hr=HH/part-00000.jsonl.gz}, 24 files per day, each line
 * one JSON object terminated by {@code \n}. Every file is written, even one that gets no events.
 *
 * <p>Volume: the run draws exactly {@code days * eventsPerDay} valid events. Each (day, hour)
 * gets the weight {@code dayWeight * hourWeight}, where {@code dayWeight} is 1.0 on weekdays and
 * {@value #WEEKEND_DAY_WEIGHT} on Saturdays and Sundays, times {@code (1 + dailyGrowth)^d} for
 * day index {@code d}, times {@code exp(dailyNoise * z - dailyNoise^2 / 2)} with {@code z} a
 * standard normal drawn from (seed, calendar day); {@code hourWeight = 1 + 0.8 *
 * sin(2π (hour - 9) / 24)} (trough at 03:00 UTC, peak at 15:00 UTC). The total is then split
 * over all day-hours in proportion to the weights by the largest-remainder method, so weekends
 * are quieter than weekdays while the run total stays exact; a single day therefore holds more
 * or fewer than {@code eventsPerDay} events depending on its weekday, trend and noise. With
 * growth and noise at 0 both factors are exactly 1.0, so the output is what it was before they
 * existed.
 *
 * <p>Anomalies: with {@code anomalies > 0} an {@link AnomalyPlan} picks labelled anomalies and
 * each hour-file applies the one active in its hour: it appends extra events (spike, ramp,
 * runaway loop) after its usual lines, leaves out its target feature's events (drop), or rewrites
 * the model or cached input tokens of the feature's events (model switch, cache collapse). Only
 * valid events are touched: malformed lines stay as they are, and re-sends copy lines as
 * written, so a dropped event is never re-sent and a switched one is re-sent switched. The labels, with the scopes each
 * anomaly actually touched, go to a JSON-lines file (see {@link AnomalyLabel}).
 *
 * <p>Faults: a file with {@code n} valid events also gets {@code Math.round(n *
 * malformedFraction)} malformed lines and {@code Math.round(n * duplicateFraction)} byte-identical
 * re-sends of valid lines written shortly before in the same file, interleaved at random
 * positions. Malformed lines cycle through {@link #MALFORMED_KINDS} in file order across the run.
 *
 * <p>Determinism: each file draws from its own {@link SplittableRandom} streams seeded from
 * (seed, calendar day, hour), so the bytes depend only on the options, never on the thread
 * count or scheduling. The calendar day (not the day index) goes into the seed so that runs with
 * different start dates never repeat each other's event ids. Valid events and fault lines use
 * separate streams, so turning faults on leaves the valid events unchanged; added anomaly events
 * have a stream of their own too, so every event an anomaly does not touch is byte-identical to
 * the run without anomalies. Only
 * {@link StrictMath} and plain arithmetic feed the output, which keeps it identical across JVMs.
 */
public final class EventGenerator {
  /** The sample traffic's fine-tuned model, which no built-in price covers (the demo prices it). */
  public static final String FINE_TUNED_MODEL = SampleCatalog.FINE_TUNED_MODEL;


  static final String FILE_NAME = "part-00000.jsonl.gz";
  static final int HOURS_PER_DAY = 24;
  static final double WEEKEND_DAY_WEIGHT = 0.55;
  static final double HOURLY_AMPLITUDE = 0.8;
  static final int TROUGH_HOUR_UTC = 3;

  /** Kinds of malformed line, in the order they are handed out. */
  static final List<String> MALFORMED_KINDS = List.of(
      "truncated_json", "not_json", "missing_event_id", "negative_input_tokens",
      "bad_event_time", "bad_cost_usd");

  private static final int TRUNCATED_JSON = 0;
  private static final int NOT_JSON = 1;
  private static final int MISSING_EVENT_ID = 2;
  private static final int NEGATIVE_INPUT_TOKENS = 3;
  private static final int BAD_EVENT_TIME = 4;
  private static final int BAD_COST_USD = 5;
  private static final int WELL_FORMED = -1;

  private static final int WRITE_BUFFER_BYTES = 256 * 1024;
  private static final int GZIP_BUFFER_BYTES = 64 * 1024;
  private static final int MILLIS_PER_HOUR = 3_600_000;

  /** Re-sends copy one of the last this many valid lines, as a retrying client would. */
  private static final int RESEND_WINDOW_LINES = 64;

  /** Labels go next to the output folder, so that ingesting the folder never reads them. */
  public static final String DEFAULT_LABELS_FILE_NAME = "anomaly_labels.jsonl";

  private static final long EVENT_STREAM = 1;
  private static final long FAULT_STREAM = 2;
  private static final long INJECTED_STREAM = 3;
  /** Day-level noise: one stream per calendar day, drawn at "hour 0". */
  private static final long DAY_NOISE_STREAM = 4;
  /** The anomaly plan: one stream per run, from its first day. */
  static final long ANOMALY_PLAN_STREAM = 5;

  static final double INPUT_TOKENS_LOG_SIGMA = 0.6;
  static final double OUTPUT_TOKENS_LOG_SIGMA = 0.7;
  private static final long MAX_INPUT_TOKENS = 128_000;
  private static final long MAX_OUTPUT_TOKENS = 16_384;
  /** Reasoning models emit hidden reasoning on top of the visible answer. */
  static final double REASONING_OUTPUT_FACTOR = 2.5;
  static final double CACHE_HIT_PROBABILITY = 0.35;
  /** A cache hit covers a uniform share of the prompt between MIN and MIN + SPAN. */
  static final double CACHED_SHARE_MIN = 0.2;
  static final double CACHED_SHARE_SPAN = 0.7;
  private static final double CACHE_WRITE_PROBABILITY = 0.10;
  private static final double TAGGED_PROBABILITY = 0.5;
  private static final double AB_BUCKET_TAG_PROBABILITY = 0.6;
  private static final double PROMPT_VERSION_TAG_PROBABILITY = 0.4;
  /** Index of {@code standard} in {@link SampleCatalog#serviceTiers}; the others bill at a discount. */
  private static final int STANDARD_TIER = 0;
  /** Cached input tokens bill at half price, cache writes at 1.25x, batch and flex at half. */
  static final double CACHED_INPUT_PRICE_FACTOR = 0.5;
  private static final double CACHE_WRITE_PRICE_FACTOR = 1.25;
  private static final double DISCOUNTED_TIER_PRICE_FACTOR = 0.5;

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private EventGenerator() {
  }

  /**
   * Writes all hour-files for {@code options} under {@code outDir}, replacing files of the same
   * name, and returns what was written; anomaly labels, if any, go to
   * {@link #defaultLabelsFile(Path)}.
   */
  public static GeneratorResult generate(Path outDir, GeneratorOptions options) throws IOException {
    return generate(outDir, options, defaultLabelsFile(outDir));
  }

  /** {@code <outDir>/../anomaly_labels.jsonl}: beside the output folder, not inside it. */
  public static Path defaultLabelsFile(Path outDir) {
    Path absolute = outDir.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    return (parent != null ? parent : absolute).resolve(DEFAULT_LABELS_FILE_NAME);
  }

  /**
   * Writes all hour-files for {@code options} under {@code outDir}, and, when
   * {@code options.anomalies() > 0}, the anomaly labels to {@code labelsFile} (replaced whole;
   * left alone without anomalies).
   */
  public static GeneratorResult generate(Path outDir, GeneratorOptions options, Path labelsFile)
      throws IOException {
    Objects.requireNonNull(outDir, "outDir must not be null");
    Objects.requireNonNull(options, "options must not be null");
    Objects.requireNonNull(labelsFile, "labelsFile must not be null");
    long totalEvents;
    try {
      totalEvents = Math.multiplyExact((long) options.days(), options.eventsPerDay());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("days * eventsPerDay overflows a long: "
          + options.days() + " * " + options.eventsPerDay(), e);
    }
    long[] eventsByFile = eventsPerHourFile(options.startDate(), options.days(), totalEvents,
        options.seed(), options.dailyGrowth(), options.dailyNoise());
    int fileCount = eventsByFile.length;
    AnomalyPlan plan = AnomalyPlan.plan(options.startDate(), options.days(), options.seed(),
        options.anomalies());

    // The malformed kinds run round-robin over the whole run, so every file must know where its
    // turn starts; otherwise files with one or two bad lines would only ever show the first kinds.
    long[] firstMalformedIndex = new long[fileCount];
    long malformedSoFar = 0;
    for (int i = 0; i < fileCount; i++) {
      firstMalformedIndex[i] = malformedSoFar;
      malformedSoFar += Math.round(eventsByFile[i] * options.malformedFraction());
    }

    Files.createDirectories(outDir);
    int threads = Math.min(options.threads(), fileCount);
    ExecutorService pool = Executors.newFixedThreadPool(threads, new GeneratorThreadFactory());
    try {
      List<Future<FileStats>> futures = new ArrayList<>(fileCount);
      for (int i = 0; i < fileCount; i++) {
        LocalDate date = options.startDate().plusDays(i / HOURS_PER_DAY);
        AnomalyPlan.Injection injection = plan.activeAt(i);
        long extraEvents = injection == null ? 0 : injection.extraEvents(i, eventsByFile[i]);
        HourFileWriter writer = new HourFileWriter(outDir, options, date, i % HOURS_PER_DAY,
            eventsByFile[i], firstMalformedIndex[i], injection, extraEvents);
        futures.add(pool.submit(writer::write));
      }
      long events = 0;
      long malformed = 0;
      long duplicates = 0;
      long bytes = 0;
      long injected = 0;
      long dropped = 0;
      Map<String, SortedSet<AnomalyLabel.Scope>> affectedByLabel = new HashMap<>();
      for (Future<FileStats> future : futures) {
        FileStats stats = await(future);
        events += stats.events();
        malformed += stats.malformedLines();
        duplicates += stats.duplicateLines();
        bytes += stats.bytes();
        injected += stats.injectedEvents();
        dropped += stats.droppedEvents();
        if (stats.labelId() != null) {
          affectedByLabel.computeIfAbsent(stats.labelId(), id -> new TreeSet<>())
              .addAll(stats.affectedScopes());
        }
      }
      List<AnomalyLabel> labels = plan.labels(options.startDate(), affectedByLabel);
      Path writtenLabels = null;
      if (!labels.isEmpty()) {
        AnomalyLabel.writeAll(labelsFile, labels);
        writtenLabels = labelsFile.toAbsolutePath().normalize();
      }
      return new GeneratorResult(events, malformed, duplicates, fileCount, bytes, injected,
          dropped, labels, writtenLabels);
    } finally {
      // Stops the remaining files early when one has failed.
      pool.shutdownNow();
    }
  }

  private static FileStats await(Future<FileStats> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("event generation interrupted");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("event generation failed", cause);
    }
  }

  /** {@link #eventsPerHourFile(LocalDate, int, long, long, double, double)} with a flat trend and no noise. */
  static long[] eventsPerHourFile(LocalDate startDate, int days, long totalEvents) {
    return eventsPerHourFile(startDate, days, totalEvents, 0, 0.0, 0.0);
  }

  /**
   * Valid events per hour-file, in file order (day-major, then hour), summing to exactly
   * {@code totalEvents}; see the class comment for the weights.
   */
  static long[] eventsPerHourFile(LocalDate startDate, int days, long totalEvents, long seed,
                                  double dailyGrowth, double dailyNoise) {
    double[] weights = new double[Math.multiplyExact(days, HOURS_PER_DAY)];
    for (int day = 0; day < days; day++) {
      double dayWeight = dayWeight(startDate, day, seed, dailyGrowth, dailyNoise);
      for (int hour = 0; hour < HOURS_PER_DAY; hour++) {
        weights[day * HOURS_PER_DAY + hour] = dayWeight * hourWeight(hour);
      }
    }
    return apportion(totalEvents, weights);
  }

  /** Relative traffic of day {@code day} of a run: weekday, trend and noise; see the class comment. */
  static double dayWeight(LocalDate startDate, int day, long seed, double dailyGrowth,
                          double dailyNoise) {
    LocalDate date = startDate.plusDays(day);
    DayOfWeek dayOfWeek = date.getDayOfWeek();
    boolean weekend = dayOfWeek == DayOfWeek.SATURDAY || dayOfWeek == DayOfWeek.SUNDAY;
    double weekdayWeight = weekend ? WEEKEND_DAY_WEIGHT : 1.0;
    double trend = StrictMath.pow(1 + dailyGrowth, day);
    // Subtracting sigma^2 / 2 gives the log-normal factor a mean of 1, so noise does not
    // shift the expected traffic of a day, only spreads it.
    double noise = StrictMath.exp(dailyNoise * dailyNoiseZ(seed, date.toEpochDay())
        - dailyNoise * dailyNoise / 2);
    return weekdayWeight * trend * noise;
  }

  /**
   * The standard normal behind day-level noise for a calendar day: from its own stream, so it
   * depends only on (seed, day), never on the run's start or length.
   */
  static double dailyNoiseZ(long seed, long epochDay) {
    SplittableRandom rng = new SplittableRandom(fileSeed(seed, epochDay, 0, DAY_NOISE_STREAM));
    // 53 random bits centred in their cell: strictly inside (0, 1), so the quantile is finite.
    double p = ((rng.nextLong() >>> 11) + 0.5) * 0x1.0p-53;
    return SampleCatalog.LogNormal.inverseStandardNormal(p);
  }

  /** Relative traffic of an hour of the day (UTC): 0.2 at 03:00, 1.8 at 15:00. */
  static double hourWeight(int hourUtc) {
    double phase = 2 * Math.PI * (hourUtc - TROUGH_HOUR_UTC - HOURS_PER_DAY / 4.0) / HOURS_PER_DAY;
    return 1.0 + HOURLY_AMPLITUDE * StrictMath.sin(phase);
  }

  /**
   * Splits {@code total} into integer parts proportional to {@code weights} that sum to exactly
   * {@code total} (largest-remainder method; ties go to the earlier index).
   */
  static long[] apportion(long total, double[] weights) {
    int n = weights.length;
    double weightSum = 0;
    for (double weight : weights) {
      weightSum += weight;
    }
    long[] counts = new long[n];
    double[] remainders = new double[n];
    long assigned = 0;
    for (int i = 0; i < n; i++) {
      double quota = total * (weights[i] / weightSum);
      long floor = (long) Math.floor(quota);
      counts[i] = floor;
      remainders[i] = quota - floor;
      assigned += floor;
    }
    Integer[] byRemainder = new Integer[n];
    for (int i = 0; i < n; i++) {
      byRemainder[i] = i;
    }
    Arrays.sort(byRemainder, Comparator.<Integer>comparingDouble(i -> -remainders[i])
        .thenComparingInt(i -> i));
    long leftover = total - assigned;
    // Rounding error in the quotas can leave the floors a unit or so off for huge totals; the
    // loops below absorb that in either direction.
    for (int k = 0; leftover > 0; k = (k + 1) % n, leftover--) {
      counts[byRemainder[k]]++;
    }
    for (int k = n - 1; leftover < 0; k = (k + n - 1) % n) {
      if (counts[byRemainder[k]] > 0) {
        counts[byRemainder[k]]--;
        leftover++;
      }
    }
    return counts;
  }

  /** Seed of one random stream of one hour-file. */
  static long fileSeed(long seed, long epochDay, int hourUtc, long stream) {
    long h = splitMix64(seed ^ 0x6A09E667F3BCC909L);
    h = splitMix64(h + epochDay);
    h = splitMix64(h + hourUtc);
    return splitMix64(h + stream);
  }

  private static long splitMix64(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** One file's counts; {@code labelId} is null when no anomaly was active in its hour. */
  private record FileStats(long events, long malformedLines, long duplicateLines, long bytes,
                           long injectedEvents, long droppedEvents, String labelId,
                           Set<AnomalyLabel.Scope> affectedScopes) {
  }

  /** Gzip at the fastest level: the benchmark is bound by deflate, not by disk. */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out, int bufferBytes) throws IOException {
      super(out, bufferBytes);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  /** Names the worker threads and lets the JVM exit if a caller abandons a run. */
  private static final class GeneratorThreadFactory implements ThreadFactory {
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "costlake-generator-" + nextId.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** A reusable buffer for one ASCII line; appends bytes without allocating per event. */
  private static final class AsciiLine {
    private byte[] bytes = new byte[2048];
    private int length;

    void clear() {
      length = 0;
    }

    int length() {
      return length;
    }

    void truncate(int newLength) {
      length = newLength;
    }

    byte[] bytes() {
      return bytes;
    }

    AsciiLine append(byte[] ascii) {
      ensureRoom(ascii.length);
      System.arraycopy(ascii, 0, bytes, length, ascii.length);
      length += ascii.length;
      return this;
    }

    AsciiLine append(char ascii) {
      ensureRoom(1);
      bytes[length++] = (byte) ascii;
      return this;
    }

    AsciiLine append(long value) {
      ensureRoom(20);
      if (value < 0) {
        bytes[length++] = '-';
        // Long.MIN_VALUE never occurs: the only negative count written is -5.
        value = -value;
      }
      int end = length + digitCount(value);
      for (int i = end - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      length = end;
      return this;
    }

    /** Appends {@code value} as exactly {@code digits} decimal digits, zero-padded on the left. */
    AsciiLine appendPadded(long value, int digits) {
      ensureRoom(digits);
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      length += digits;
      return this;
    }

    /** Appends the low {@code digits} hex digits of {@code value}. */
    AsciiLine appendHex(long value, int digits) {
      ensureRoom(digits);
      for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        bytes[length++] = HEX_DIGITS[(int) ((value >>> shift) & 0xF)];
      }
      return this;
    }

    private static int digitCount(long nonNegative) {
      int digits = 1;
      for (long limit = 10; digits < 19 && nonNegative >= limit; limit *= 10) {
        digits++;
      }
      return digits;
    }

    private void ensureRoom(int extraBytes) {
      if (length + extraBytes > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extraBytes));
      }
    }
  }

  /** The catalog's strings and the JSON keys as ASCII bytes, encoded once per JVM. */
  private static final class Ascii {
    static final byte[] OPEN_WITH_EVENT_ID = ascii("{\"event_id\":\"");
    static final byte[] EVENT_TIME_AFTER_ID = ascii("\",\"event_time\":\"");
    static final byte[] OPEN_WITH_EVENT_TIME = ascii("{\"event_time\":\"");
    static final byte[] YESTERDAY = ascii("yesterday");
    static final byte[] TENANT_ID = ascii("\",\"tenant_id\":\"");
    static final byte[] FEATURE = ascii("\",\"feature\":\"");
    static final byte[] USER_ID = ascii("\",\"user_id\":\"");
    static final byte[] PROJECT = ascii("\",\"project\":\"");
    static final byte[] REGION = ascii("\",\"region\":\"");
    static final byte[] ENVIRONMENT = ascii("\",\"environment\":\"");
    static final byte[] PROVIDER = ascii("\",\"provider\":\"");
    static final byte[] MODEL = ascii("\",\"model\":\"");
    static final byte[] OPERATION = ascii("\",\"operation\":\"");
    static final byte[] SERVICE_TIER = ascii("\",\"service_tier\":\"");
    static final byte[] INPUT_TOKENS = ascii("\",\"input_tokens\":");
    static final byte[] OUTPUT_TOKENS = ascii(",\"output_tokens\":");
    static final byte[] CACHED_INPUT_TOKENS = ascii(",\"cached_input_tokens\":");
    static final byte[] CACHE_WRITE_TOKENS = ascii(",\"cache_write_tokens\":");
    static final byte[] REASONING_TOKENS = ascii(",\"reasoning_tokens\":");
    static final byte[] TAGS_TEAM = ascii(",\"tags\":{\"team\":\"");
    static final byte[] AB_BUCKET = ascii("\",\"ab_bucket\":\"");
    static final byte[] PROMPT_VERSION = ascii("\",\"prompt_version\":\"");
    static final byte[] CLOSE_TAGS = ascii("\"}");
    static final byte[] COST_USD = ascii(",\"cost_usd\":");
    static final byte[] BAD_COST = ascii(",\"cost_usd\":\"abc\"");
    static final byte[] NOT_JSON_PREFIX = ascii("not json at all (");

    static final SampleCatalog CATALOG = SampleCatalog.INSTANCE;
    static final byte[][] TENANTS = ascii(CATALOG.tenants);
    static final byte[][] USER_IDS = ascii(CATALOG.userIds);
    static final byte[][] REGIONS = ascii(CATALOG.regions);
    static final byte[][] ENVIRONMENTS = ascii(CATALOG.environments);
    static final byte[][] SERVICE_TIERS = ascii(CATALOG.serviceTiers);
    static final byte[][] AB_BUCKETS = ascii(CATALOG.abBuckets);
    static final byte[][] PROMPT_VERSIONS = ascii(CATALOG.promptVersions);
    static final byte[][][] PROJECTS_BY_TENANT = new byte[CATALOG.projectsByTenant.length][][];
    static final byte[][] FEATURE_NAMES = new byte[CATALOG.features.length][];
    static final byte[][] FEATURE_OPERATIONS = new byte[CATALOG.features.length][];
    static final byte[][] FEATURE_TEAMS = new byte[CATALOG.features.length][];
    static final byte[][] MODEL_NAMES = new byte[CATALOG.models.length][];
    static final byte[][] MODEL_PROVIDERS = new byte[CATALOG.models.length][];

    static {
      for (int t = 0; t < PROJECTS_BY_TENANT.length; t++) {
        PROJECTS_BY_TENANT[t] = ascii(CATALOG.projectsByTenant[t]);
      }
      for (int f = 0; f < CATALOG.features.length; f++) {
        FEATURE_NAMES[f] = ascii(CATALOG.features[f].name);
        FEATURE_OPERATIONS[f] = ascii(CATALOG.features[f].operation);
        FEATURE_TEAMS[f] = ascii(CATALOG.features[f].team);
      }
      for (int m = 0; m < CATALOG.models.length; m++) {
        MODEL_NAMES[m] = ascii(CATALOG.models[m].name());
        MODEL_PROVIDERS[m] = ascii(CATALOG.models[m].provider());
      }
    }

    private Ascii() {
    }

    static byte[] ascii(String text) {
      return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[][] ascii(String[] texts) {
      byte[][] encoded = new byte[texts.length][];
      for (int i = 0; i < texts.length; i++) {
        encoded[i] = ascii(texts[i]);
      }
      return encoded;
    }
  }

  /**
   * Writes one hour-file; owns all its buffers and random streams, so files never interfere.
   * Applies the anomaly active in its hour, if any, and notes every scope it touches.
   */
  private static final class HourFileWriter {
    /** Where an event comes from: the file's usual draw, a fault line, or an anomaly. */
    private static final int USUAL = 0;
    private static final int FAULT = 1;
    private static final int INJECTED = 2;

    private static final SampleCatalog.LogNormal INPUT_SPREAD =
        new SampleCatalog.LogNormal(INPUT_TOKENS_LOG_SIGMA);
    private static final SampleCatalog.LogNormal OUTPUT_SPREAD =
        new SampleCatalog.LogNormal(OUTPUT_TOKENS_LOG_SIGMA);

    private final SampleCatalog catalog = Ascii.CATALOG;
    private final Path dir;
    private final long validEvents;
    private final long malformedLines;
    private final long duplicateLines;
    private final long firstMalformedIndex;
    /** {@code YYYY-MM-DDTHH:}, shared by every event time in the file. */
    private final byte[] timePrefix;
    private final SplittableRandom eventRng;
    private final SplittableRandom faultRng;
    /** The anomaly active in this hour, or null; the fields below only matter with one. */
    private final AnomalyPlan.Injection injection;
    private final long extraEvents;
    private final SplittableRandom injectedRng;
    private final Set<AnomalyLabel.Scope> affectedScopes = new TreeSet<>();
    private long droppedEvents;

    private final AsciiLine line = new AsciiLine();
    private final byte[][] resendWindow = new byte[RESEND_WINDOW_LINES][];
    private final int[] resendLengths = new int[RESEND_WINDOW_LINES];
    private long validWritten;

    /** What {@link #buildEvent} drew for the event now in {@link #line}. */
    private int lastTenant;
    private int lastFeature;
    private int lastUser;
    private int lastDrawnModel;
    private int lastWrittenModel;
    private boolean lastModified;

    HourFileWriter(Path outDir, GeneratorOptions options, LocalDate date, int hourUtc,
                   long validEvents, long firstMalformedIndex, AnomalyPlan.Injection injection,
                   long extraEvents) {
      String hour = hourUtc < 10 ? "0" + hourUtc : Integer.toString(hourUtc);
      this.dir = outDir.resolve("dt=" + date).resolve("hr=" + hour);
      this.validEvents = validEvents;
      this.malformedLines = Math.round(validEvents * options.malformedFraction());
      this.duplicateLines = Math.round(validEvents * options.duplicateFraction());
      this.firstMalformedIndex = firstMalformedIndex;
      this.timePrefix = Ascii.ascii(date + "T" + hour + ":");
      long epochDay = date.toEpochDay();
      this.eventRng = new SplittableRandom(fileSeed(options.seed(), epochDay, hourUtc, EVENT_STREAM));
      this.faultRng = new SplittableRandom(fileSeed(options.seed(), epochDay, hourUtc, FAULT_STREAM));
      this.injection = injection;
      this.extraEvents = extraEvents;
      this.injectedRng =
          new SplittableRandom(fileSeed(options.seed(), epochDay, hourUtc, INJECTED_STREAM));
    }

    FileStats write() throws IOException {
      Files.createDirectories(dir);
      // A dot-prefixed name is skipped by Spark, so readers never see a half-written file.
      Path inProgress = dir.resolve("." + FILE_NAME + ".inprogress");
      Path target = dir.resolve(FILE_NAME);
      try (OutputStream out = new BufferedOutputStream(
          new FastGzipOutputStream(Files.newOutputStream(inProgress), GZIP_BUFFER_BYTES),
          WRITE_BUFFER_BYTES)) {
        writeLines(out);
        writeInjectedEvents(out);
      }
      Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new FileStats(validEvents - droppedEvents + extraEvents, malformedLines,
          duplicateLines, Files.size(target), extraEvents, droppedEvents,
          injection == null ? null : injection.labelId(), affectedScopes);
    }

    /**
     * Appends the anomaly's added events after the usual lines (readers do not depend on line
     * order), from their own stream so that the usual events stay as they were.
     */
    private void writeInjectedEvents(OutputStream out) throws IOException {
      for (long i = 0; i < extraEvents; i++) {
        buildEvent(injectedRng, WELL_FORMED, INJECTED);
        noteAffectedScopes();
        line.append('\n');
        out.write(line.bytes(), 0, line.length());
      }
    }

    /** Records the scopes of the event in {@link #line} as touched by this hour's anomaly. */
    private void noteAffectedScopes() {
      String tenant = catalog.tenants[lastTenant];
      String feature = catalog.features[lastFeature].name;
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.TOTAL, AnomalyLabel.TOTAL_VALUE));
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.TENANT, tenant));
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.FEATURE, feature));
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.TENANT_FEATURE, tenant + "/" + feature));
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.USER, catalog.userIds[lastUser]));
      // A model switch moves cost from the model drawn to the model written: both are touched.
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.MODEL, catalog.models[lastDrawnModel].name()));
      affectedScopes.add(new AnomalyLabel.Scope(AnomalyLabel.MODEL, catalog.models[lastWrittenModel].name()));
    }

    private void writeLines(OutputStream out) throws IOException {
      if (malformedLines == 0 && duplicateLines == 0) {
        for (long i = 0; i < validEvents; i++) {
          writeValidEvent(out);
        }
        return;
      }
      long validLeft = validEvents;
      long malformedLeft = malformedLines;
      long duplicatesLeft = duplicateLines;
      long malformedIndex = firstMalformedIndex;
      // Drawing each line's kind in proportion to what is left gives a uniformly random
      // interleaving, reproducible from the fault stream.
      while (validLeft + malformedLeft + duplicatesLeft > 0) {
        long pick = faultRng.nextLong(validLeft + malformedLeft + duplicatesLeft);
        boolean duplicate = pick >= validLeft + malformedLeft;
        if (pick < validLeft || (duplicate && validWritten == 0)) {
          // A re-send needs an earlier event; duplicates > 0 implies validEvents > 0.
          writeValidEvent(out);
          validLeft--;
        } else if (!duplicate) {
          writeMalformed(out, (int) (malformedIndex % MALFORMED_KINDS.size()));
          malformedIndex++;
          malformedLeft--;
        } else {
          int window = (int) Math.min(validWritten, RESEND_WINDOW_LINES);
          int slot = faultRng.nextInt(window);
          out.write(resendWindow[slot], 0, resendLengths[slot]);
          duplicatesLeft--;
        }
      }
    }

    private void writeValidEvent(OutputStream out) throws IOException {
      buildEvent(eventRng, WELL_FORMED, USUAL);
      if (injection != null) {
        boolean dropped = injection.kind() == AnomalyPlan.Kind.DROP
            && lastFeature == injection.feature();
        if (dropped || lastModified) {
          noteAffectedScopes();
        }
        if (dropped) {
          // Drawn as usual, so the events after it are unchanged, but never written.
          droppedEvents++;
          return;
        }
      }
      line.append('\n');
      int length = line.length();
      out.write(line.bytes(), 0, length);
      int slot = (int) (validWritten % RESEND_WINDOW_LINES);
      if (resendWindow[slot] == null || resendWindow[slot].length < length) {
        resendWindow[slot] = new byte[Math.max(length, 1024)];
      }
      System.arraycopy(line.bytes(), 0, resendWindow[slot], 0, length);
      resendLengths[slot] = length;
      validWritten++;
    }

    private void writeMalformed(OutputStream out, int kind) throws IOException {
      switch (kind) {
        case TRUNCATED_JSON -> {
          buildEvent(faultRng, WELL_FORMED, FAULT);
          line.truncate(line.length() / 2);
        }
        case NOT_JSON -> {
          // The id keeps these lines distinct, so they are never mistaken for re-sends.
          line.clear();
          line.append(Ascii.NOT_JSON_PREFIX);
          appendUuid(faultRng);
          line.append(')');
        }
        default -> buildEvent(faultRng, kind, FAULT);
      }
      line.append('\n');
      out.write(line.bytes(), 0, line.length());
    }

    /**
     * Builds one event into {@link #line}, optionally with one defect for the malformed kinds.
     * An {@code INJECTED} event gets the anomaly's tenant, feature and user where it sets them;
     * a {@code USUAL} event of the anomaly's feature gets its model switch or cache collapse,
     * after every draw, so the stream advances exactly as without the anomaly.
     */
    private void buildEvent(SplittableRandom rng, int defect, int origin) {
      SampleCatalog c = catalog;
      boolean injected = origin == INJECTED;
      int tenant = c.sampleTenant(rng);
      if (injected && injection.tenant() >= 0) {
        tenant = injection.tenant();
      }
      int featureIndex = c.sampleFeature(rng);
      if (injected && injection.feature() >= 0) {
        featureIndex = injection.feature();
      }
      SampleCatalog.Feature feature = c.features[featureIndex];
      int user = c.sampleUser(rng, tenant);
      if (injected && injection.user() >= 0) {
        user = injection.user();
      }
      byte[][] projects = Ascii.PROJECTS_BY_TENANT[tenant];
      byte[] project = projects[rng.nextInt(projects.length)];
      int modelIndex = feature.sampleModelIndex(rng);
      SampleCatalog.Model model = c.models[modelIndex];
      int serviceTier = c.sampleServiceTier(rng);

      long inputTokens = clamp(feature.inputMedianTokens * INPUT_SPREAD.sample(rng),
          1, MAX_INPUT_TOKENS);
      long outputTokens = 0;
      if (!feature.embedding()) {
        double outputMedian = feature.outputMedianTokens
            * (model.reasons() ? REASONING_OUTPUT_FACTOR : 1.0);
        outputTokens = clamp(outputMedian * OUTPUT_SPREAD.sample(rng), 1, MAX_OUTPUT_TOKENS);
      }
      long cachedInputTokens = 0;
      if (feature.chat() && rng.nextDouble() < CACHE_HIT_PROBABILITY) {
        cachedInputTokens =
            (long) (inputTokens * (CACHED_SHARE_MIN + CACHED_SHARE_SPAN * rng.nextDouble()));
      }
      long cacheWriteTokens = 0;
      if (model.writesPromptCache() && rng.nextDouble() < CACHE_WRITE_PROBABILITY) {
        // Written tokens are the uncached part of the prompt, so cached + written <= input.
        cacheWriteTokens = (long) ((inputTokens - cachedInputTokens) * (0.3 + 0.7 * rng.nextDouble()));
      }
      long reasoningTokens = 0;
      if (model.reasons()) {
        reasoningTokens = (long) (outputTokens * (0.3 + 0.5 * rng.nextDouble()));
      }
      int drawnModelIndex = modelIndex;
      long drawnCachedInputTokens = cachedInputTokens;
      if (origin == USUAL && injection != null && featureIndex == injection.feature()) {
        if (injection.kind() == AnomalyPlan.Kind.MODEL_SWITCH) {
          // The plan only switches to a model that keeps these token counts valid.
          modelIndex = injection.model();
          model = c.models[modelIndex];
        } else if (injection.kind() == AnomalyPlan.Kind.CACHE_COLLAPSE) {
          cachedInputTokens = 0;
        }
      }
      lastTenant = tenant;
      lastFeature = featureIndex;
      lastUser = user;
      lastDrawnModel = drawnModelIndex;
      lastWrittenModel = modelIndex;
      lastModified = modelIndex != drawnModelIndex || cachedInputTokens != drawnCachedInputTokens;

      AsciiLine b = line;
      b.clear();
      if (defect == MISSING_EVENT_ID) {
        b.append(Ascii.OPEN_WITH_EVENT_TIME);
      } else {
        b.append(Ascii.OPEN_WITH_EVENT_ID);
        appendUuid(rng);
        b.append(Ascii.EVENT_TIME_AFTER_ID);
      }
      if (defect == BAD_EVENT_TIME) {
        b.append(Ascii.YESTERDAY);
      } else {
        appendEventTime(rng.nextInt(MILLIS_PER_HOUR));
      }
      b.append(Ascii.TENANT_ID).append(Ascii.TENANTS[tenant])
          .append(Ascii.FEATURE).append(Ascii.FEATURE_NAMES[featureIndex])
          .append(Ascii.USER_ID).append(Ascii.USER_IDS[user])
          .append(Ascii.PROJECT).append(project)
          .append(Ascii.REGION).append(Ascii.REGIONS[c.sampleRegion(rng)])
          .append(Ascii.ENVIRONMENT).append(Ascii.ENVIRONMENTS[c.sampleEnvironment(rng)])
          .append(Ascii.PROVIDER).append(Ascii.MODEL_PROVIDERS[modelIndex])
          .append(Ascii.MODEL).append(Ascii.MODEL_NAMES[modelIndex])
          .append(Ascii.OPERATION).append(Ascii.FEATURE_OPERATIONS[featureIndex])
          .append(Ascii.SERVICE_TIER).append(Ascii.SERVICE_TIERS[serviceTier])
          .append(Ascii.INPUT_TOKENS).append(defect == NEGATIVE_INPUT_TOKENS ? -5 : inputTokens)
          .append(Ascii.OUTPUT_TOKENS).append(outputTokens)
          .append(Ascii.CACHED_INPUT_TOKENS).append(cachedInputTokens)
          .append(Ascii.CACHE_WRITE_TOKENS).append(cacheWriteTokens)
          .append(Ascii.REASONING_TOKENS).append(reasoningTokens);
      if (rng.nextDouble() < TAGGED_PROBABILITY) {
        b.append(Ascii.TAGS_TEAM).append(Ascii.FEATURE_TEAMS[featureIndex]);
        if (rng.nextDouble() < AB_BUCKET_TAG_PROBABILITY) {
          b.append(Ascii.AB_BUCKET).append(Ascii.AB_BUCKETS[rng.nextInt(Ascii.AB_BUCKETS.length)]);
        }
        if (rng.nextDouble() < PROMPT_VERSION_TAG_PROBABILITY) {
          b.append(Ascii.PROMPT_VERSION)
              .append(Ascii.PROMPT_VERSIONS[rng.nextInt(Ascii.PROMPT_VERSIONS.length)]);
        }
        b.append(Ascii.CLOSE_TAGS);
      }
      if (defect == BAD_COST_USD) {
        b.append(Ascii.BAD_COST);
      } else if (tenant == c.costLoggingTenant) {
        b.append(Ascii.COST_USD);
        appendUsd(costUsd(model, serviceTier == STANDARD_TIER, inputTokens, outputTokens,
            cachedInputTokens, cacheWriteTokens));
      }
      b.append('}');
    }

    private static double costUsd(SampleCatalog.Model model, boolean standardTier, long inputTokens,
                                  long outputTokens, long cachedInputTokens, long cacheWriteTokens) {
      long plainInputTokens = inputTokens - cachedInputTokens - cacheWriteTokens;
      double inputUnits = plainInputTokens
          + cachedInputTokens * CACHED_INPUT_PRICE_FACTOR
          + cacheWriteTokens * CACHE_WRITE_PRICE_FACTOR;
      double usd = (inputUnits * model.inputUsdPerMillionTokens()
          + outputTokens * model.outputUsdPerMillionTokens()) / 1_000_000.0;
      return standardTier ? usd : usd * DISCOUNTED_TIER_PRICE_FACTOR;
    }

    private static long clamp(double value, long min, long max) {
      return Math.max(min, Math.min(max, Math.round(value)));
    }

    /** RFC 3339 UTC with milliseconds, e.g. {@code 2026-11-23T05:12:00.123Z}. */
    private void appendEventTime(int millisInHour) {
      line.append(timePrefix)
          .appendPadded(millisInHour / 60_000, 2).append(':')
          .appendPadded((millisInHour / 1000) % 60, 2).append('.')
          .appendPadded(millisInHour % 1000, 3).append('Z');
    }

    /** A version-4 UUID from 122 random bits: distinct across any realistic run. */
    private void appendUuid(SplittableRandom rng) {
      long high = rng.nextLong();
      long low = rng.nextLong();
      line.appendHex(high >>> 32, 8).append('-')
          .appendHex(high >>> 16, 4).append('-')
          .append('4').appendHex(high, 3).append('-')
          .appendHex(8 + (low >>> 62), 1).appendHex(low >>> 48, 3).append('-')
          .appendHex(low, 12);
    }

    /** A JSON number with at most 8 decimals and no exponent, e.g. {@code 0.00123456}. */
    private void appendUsd(double usd) {
      long hundredMillionths = Math.round(usd * 100_000_000.0);
      long fraction = hundredMillionths % 100_000_000L;
      line.append(hundredMillionths / 100_000_000L);
      if (fraction == 0) {
        return;
      }
      int digits = 8;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      line.append('.').appendPadded(fraction, digits);
    }
  }
}
