package dev.costlake.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Fixed tables the sample events are drawn from: tenants, users, features, models and their shares. */
final class SampleCatalog {

  static final SampleCatalog INSTANCE = new SampleCatalog();

  static final int USER_COUNT = 5_000;

  /** Zipf exponent of per-user request volume: a few users make a large share of the requests. */
  static final double USER_ZIPF_EXPONENT = 1.1;

  /** Zipf exponent of feature popularity, by the rank the features are listed in. */
  static final double FEATURE_ZIPF_EXPONENT = 1.0;

  /** The sample traffic's one model no price catalog knows (OpenAI's fine-tuned model naming). */
  public static final String FINE_TUNED_MODEL = "ft:gpt-4o-mini-2024-07-18:support-team::b7x2k9q1";

  /** One LLM with its provider and a list price used to estimate cost for tenants that log their own. */
  record Model(String name, String provider, double inputUsdPerMillionTokens,
               double outputUsdPerMillionTokens, boolean embedding, boolean writesPromptCache,
               boolean reasons) {
  }

  /** One product feature that calls LLMs, with its typical operation, models and token sizes. */
  static final class Feature {
    final String name;
    final String operation;
    final String team;
    final double inputMedianTokens;
    final double outputMedianTokens;
    private final boolean embedding;
    private final boolean chat;
    private final int[] modelIndexes;
    private final double[] modelWeights;
    private final Alias modelAlias;

    private Feature(String name, String operation, String team, double inputMedianTokens,
                    double outputMedianTokens, int[] modelIndexes, double[] modelWeights) {
      this.name = name;
      this.operation = operation;
      this.team = team;
      this.inputMedianTokens = inputMedianTokens;
      this.outputMedianTokens = outputMedianTokens;
      this.embedding = "embedding".equals(operation);
      this.chat = "chat".equals(operation);
      this.modelIndexes = modelIndexes;
      this.modelWeights = modelWeights;
      this.modelAlias = new Alias(modelWeights);
    }

    /** Indexes into {@link SampleCatalog#models} of the models this feature calls. */
    int[] modelIndexes() {
      return modelIndexes.clone();
    }

    /** Relative weights of {@link #modelIndexes()}, in the same order. */
    double[] modelWeights() {
      return modelWeights.clone();
    }

    int sampleModelIndex(SplittableRandom rng) {
      return modelIndexes[modelAlias.sample(rng)];
    }

    boolean embedding() {
      return embedding;
    }

    boolean chat() {
      return chat;
    }
  }

  /**
   * Walker/Vose alias table: O(1) sampling from a fixed discrete distribution with one random
   * double, which keeps the per-event cost flat however many outcomes there are.
   */
  static final class Alias {
    private final double[] keepProbability;
    private final int[] alias;

    Alias(double[] weights) {
      int n = weights.length;
      if (n == 0) {
        throw new IllegalArgumentException("an alias table needs at least one weight");
      }
      double total = 0;
      for (double weight : weights) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
          throw new IllegalArgumentException("weights must be finite and >= 0, got " + weight);
        }
        total += weight;
      }
      if (total <= 0) {
        throw new IllegalArgumentException("weights must not all be 0");
      }
      keepProbability = new double[n];
      alias = new int[n];
      double[] scaled = new double[n];
      Deque<Integer> small = new ArrayDeque<>();
      Deque<Integer> large = new ArrayDeque<>();
      for (int i = 0; i < n; i++) {
        scaled[i] = weights[i] * n / total;
        if (scaled[i] < 1.0) {
          small.push(i);
        } else {
          large.push(i);
        }
      }
      while (!small.isEmpty() && !large.isEmpty()) {
        int less = small.pop();
        int more = large.pop();
        keepProbability[less] = scaled[less];
        alias[less] = more;
        scaled[more] = scaled[more] + scaled[less] - 1.0;
        if (scaled[more] < 1.0) {
          small.push(more);
        } else {
          large.push(more);
        }
      }
      // What is left over is 1.0 up to rounding error.
      while (!large.isEmpty()) {
        int i = large.pop();
        keepProbability[i] = 1.0;
        alias[i] = i;
      }
      while (!small.isEmpty()) {
        int i = small.pop();
        keepProbability[i] = 1.0;
        alias[i] = i;
      }
    }

    int sample(SplittableRandom rng) {
      double u = rng.nextDouble() * keepProbability.length;
      int column = (int) u;
      return (u - column) < keepProbability[column] ? column : alias[column];
    }
  }

  /**
   * Log-normal multipliers with median 1, drawn from a precomputed quantile table: one random
   * double and no transcendental call per draw, and the same values on every JVM.
   */
  static final class LogNormal {
    private static final int QUANTILES = 4096;
    private final double[] multipliers = new double[QUANTILES];

    LogNormal(double sigma) {
      for (int i = 0; i < QUANTILES; i++) {
        double p = (i + 0.5) / QUANTILES;
        multipliers[i] = StrictMath.exp(sigma * inverseStandardNormal(p));
      }
    }

    /** A multiplier; the tails are cut at about 3.7 sigma, which no token count misses. */
    double sample(SplittableRandom rng) {
      double position = rng.nextDouble() * QUANTILES - 0.5;
      if (position <= 0) {
        return multipliers[0];
      }
      if (position >= QUANTILES - 1) {
        return multipliers[QUANTILES - 1];
      }
      int i = (int) position;
      double fraction = position - i;
      return multipliers[i] + fraction * (multipliers[i + 1] - multipliers[i]);
    }

    /** Acklam's rational approximation of the normal quantile, relative error below 1.2e-9. */
    static double inverseStandardNormal(double p) {
      final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
          1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
      final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
          6.680131188771972e+01, -1.328068155288572e+01};
      final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
          -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
      final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
          3.754408661907416e+00};
      final double pLow = 0.02425;
      if (p < pLow) {
        double q = Math.sqrt(-2 * StrictMath.log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      }
      if (p > 1 - pLow) {
        return -inverseStandardNormal(1 - p);
      }
      double q = p - 0.5;
      double r = q * q;
      return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
          / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
  }

  final String[] tenants = {"acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne"};

  /** Share of requests per tenant, in percent; the largest is ~35%, the smallest ~3%. */
  private final double[] tenantSharePercent = {35, 22, 14, 11, 8, 7, 3};

  final String[][] projectsByTenant = {
      {"acme-web", "acme-mobile", "acme-internal"},
      {"globex-api", "globex-analytics"},
      {"initech-tps", "initech-helpdesk"},
      {"umbrella-research", "umbrella-portal", "umbrella-ops"},
      {"hooli-search", "hooli-mail"},
      {"stark-jarvis", "stark-labs"},
      {"wayne-security", "wayne-foundation"},
  };

  /** The tenant that logs its own cost_usd; nobody else does. */
  final int costLoggingTenant = 1;

  final String[] regions = {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"};
  final String[] environments = {"production", "staging", "development"};
  final String[] serviceTiers = {"standard", "batch", "flex"};
  final String[] abBuckets = {"a", "b"};
  final String[] promptVersions = {"v1", "v2", "v3", "v4"};

  final Model[] models = {
      new Model("gpt-4o", "openai", 2.50, 10.00, false, false, false),
      new Model("gpt-4o-mini", "openai", 0.15, 0.60, false, false, false),
      new Model("gpt-4.1", "openai", 2.00, 8.00, false, false, false),
      new Model("gpt-4.1-mini", "openai", 0.40, 1.60, false, false, false),
      new Model("o3-mini", "openai", 1.10, 4.40, false, false, true),
      new Model("text-embedding-3-small", "openai", 0.02, 0.0, true, false, false),
      new Model("text-embedding-3-large", "openai", 0.13, 0.0, true, false, false),
      new Model("claude-3-5-sonnet-20241022", "anthropic", 3.00, 15.00, false, true, false),
      new Model("claude-3-5-haiku-20241022", "anthropic", 0.80, 4.00, false, true, false),
      new Model("claude-sonnet-4-20250514", "anthropic", 3.00, 15.00, false, true, false),
      new Model("gemini-2.0-flash", "google", 0.10, 0.40, false, false, false),
      new Model("mistral-large-latest", "mistral", 2.00, 6.00, false, false, false),
      // A fine-tuned model: no public catalog lists it, so its events arrive unpriced until a team
      // adds its price (OpenAI bills fine-tuned gpt-4o-mini inference at $0.30 / $1.20 per 1M).
      new Model(FINE_TUNED_MODEL, "openai", 0.30, 1.20, false, false, false),
  };

  /** Listed from most to least popular; popularity falls off Zipf-like with the rank. */
  final Feature[] features;

  final String[] userIds = new String[USER_COUNT];

  private final Alias tenantAlias;
  private final double[] featureWeights;
  private final int[] firstUserOfTenant;
  private final int[] userCountOfTenant;
  private final Alias[] userAliasByTenant;
  private final Alias featureAlias;
  private final Alias regionAlias = new Alias(new double[] {55, 20, 17, 8});
  private final Alias environmentAlias = new Alias(new double[] {90, 7, 3});
  private final Alias serviceTierAlias = new Alias(new double[] {92, 6, 2});

  private SampleCatalog() {
    Map<String, Integer> modelIndexByName = new HashMap<>();
    for (int i = 0; i < models.length; i++) {
      modelIndexByName.put(models[i].name(), i);
    }
    FeatureTable table = new FeatureTable(modelIndexByName);
    table.add("chat_assistant", "chat", "assistants", 1200, 350,
        "gpt-4o", 4, "claude-3-5-sonnet-20241022", 3, "gpt-4o-mini", 2, "gemini-2.0-flash", 1);
    table.add("semantic_search", "embedding", "search", 200, 0,
        "text-embedding-3-small", 8, "text-embedding-3-large", 2);
    table.add("support_triage", "chat", "support", 900, 120,
        "gpt-4o-mini", 5, "claude-3-5-haiku-20241022", 3, "gemini-2.0-flash", 2);
    table.add("search_rerank", "chat", "search", 2500, 50,
        "gpt-4o-mini", 6, "gpt-4.1-mini", 3, "gemini-2.0-flash", 1);
    table.add("code_autocomplete", "completion", "devex", 1500, 60,
        "gpt-4.1-mini", 5, "gpt-4o-mini", 3, "mistral-large-latest", 2);
    table.add("doc_summarizer", "chat", "knowledge", 6000, 400,
        "claude-3-5-sonnet-20241022", 3, "gpt-4.1", 3, "gemini-2.0-flash", 2, "gpt-4.1-mini", 2);
    table.add("email_drafter", "chat", "growth", 600, 300,
        "gpt-4o-mini", 4, "claude-3-5-haiku-20241022", 3, "gpt-4o", 2);
    table.add("rag_ingest", "embedding", "knowledge", 500, 0,
        "text-embedding-3-small", 6, "text-embedding-3-large", 4);
    table.add("code_review", "chat", "devex", 8000, 900,
        "claude-sonnet-4-20250514", 4, "o3-mini", 3, "gpt-4.1", 3);
    table.add("sql_copilot", "chat", "data", 3000, 250,
        "o3-mini", 4, "gpt-4.1", 3, "claude-sonnet-4-20250514", 2);
    table.add("meeting_notes", "chat", "productivity", 7500, 800,
        "claude-3-5-sonnet-20241022", 4, "gpt-4o", 3, "gemini-2.0-flash", 2);
    table.add("ticket_classifier", "chat", "support", 700, 50,
        "gpt-4o-mini", 6, "claude-3-5-haiku-20241022", 4, FINE_TUNED_MODEL, 3);
    table.add("product_qa", "chat", "assistants", 2200, 300,
        "gpt-4o", 3, "claude-3-5-sonnet-20241022", 3, "gpt-4.1-mini", 2);
    table.add("translation", "chat", "localization", 800, 850,
        "gpt-4o", 3, "mistral-large-latest", 3, "gemini-2.0-flash", 2, "gpt-4o-mini", 2);
    table.add("similar_tickets", "embedding", "support", 300, 0,
        "text-embedding-3-small", 9, "text-embedding-3-large", 1);
    table.add("sentiment_analysis", "chat", "analytics", 400, 50,
        "gpt-4o-mini", 5, "gemini-2.0-flash", 3, "claude-3-5-haiku-20241022", 2);
    table.add("contract_review", "chat", "legal", 8000, 1200,
        "claude-sonnet-4-20250514", 5, "gpt-4.1", 3, "claude-3-5-sonnet-20241022", 2);
    table.add("sales_call_coach", "chat", "sales", 5000, 700,
        "gpt-4o", 4, "claude-3-5-sonnet-20241022", 3, "gemini-2.0-flash", 3);
    table.add("onboarding_bot", "chat", "growth", 900, 250,
        "gpt-4o-mini", 5, "claude-3-5-haiku-20241022", 3, "gpt-4.1-mini", 2);
    table.add("release_notes", "chat", "devex", 3500, 600,
        "gpt-4.1", 4, "claude-3-5-sonnet-20241022", 3, "gpt-4o", 3);
    table.add("log_explainer", "chat", "platform", 4000, 350,
        "gpt-4.1-mini", 4, "claude-3-5-haiku-20241022", 3, "gpt-4o", 3);
    table.add("form_autofill", "completion", "growth", 300, 60,
        "gpt-4o-mini", 7, "gemini-2.0-flash", 3);
    table.add("faq_generator", "chat", "support", 2500, 900,
        "gpt-4o", 4, "mistral-large-latest", 3, "claude-3-5-haiku-20241022", 3);
    table.add("data_analyst", "chat", "data", 5000, 700,
        "o3-mini", 5, "gpt-4.1", 3, "claude-sonnet-4-20250514", 2);
    table.add("invoice_extractor", "chat", "finance", 3000, 400,
        "gpt-4o", 4, "gemini-2.0-flash", 4, "claude-3-5-haiku-20241022", 2);
    table.add("resume_screener", "chat", "people", 2500, 200,
        "gpt-4o-mini", 5, "claude-3-5-haiku-20241022", 3, "mistral-large-latest", 2);
    table.add("product_descriptions", "chat", "marketing", 300, 450,
        "gpt-4o-mini", 4, "mistral-large-latest", 3, "gemini-2.0-flash", 3);
    table.add("doc_dedup", "embedding", "knowledge", 800, 0,
        "text-embedding-3-small", 7, "text-embedding-3-large", 3);
    table.add("policy_checker", "chat", "trust-safety", 2000, 150,
        "claude-3-5-haiku-20241022", 4, "gpt-4.1-mini", 4, "gpt-4o", 2);
    table.add("content_moderation", "chat", "trust-safety", 350, 50,
        "gpt-4o-mini", 6, "gemini-2.0-flash", 4);
    table.add("incident_postmortem", "chat", "platform", 6500, 1500,
        "claude-sonnet-4-20250514", 5, "gpt-4.1", 3, "claude-3-5-sonnet-20241022", 2);
    table.add("test_generator", "chat", "devex", 4500, 1200,
        "claude-sonnet-4-20250514", 4, "gpt-4.1", 3, "o3-mini", 3);
    table.add("changelog_writer", "chat", "devex", 2000, 500,
        "gpt-4.1-mini", 5, "claude-3-5-haiku-20241022", 5);
    table.add("seo_optimizer", "chat", "marketing", 1500, 600,
        "gpt-4o-mini", 4, "mistral-large-latest", 3, "gemini-2.0-flash", 3);
    table.add("churn_explainer", "chat", "analytics", 3500, 400,
        "gpt-4o", 4, "claude-3-5-sonnet-20241022", 3, "gpt-4.1", 3);
    table.add("transcript_cleanup", "chat", "productivity", 4000, 1500,
        "gemini-2.0-flash", 5, "gpt-4o-mini", 5);
    table.add("slack_digest", "chat", "productivity", 6000, 350,
        "claude-3-5-haiku-20241022", 5, "gemini-2.0-flash", 3, "gpt-4.1-mini", 2);
    table.add("kb_article_writer", "chat", "knowledge", 1500, 1100,
        "gpt-4o", 5, "claude-3-5-sonnet-20241022", 5);
    table.add("pr_description", "chat", "devex", 3000, 300,
        "gpt-4.1-mini", 5, "claude-3-5-haiku-20241022", 5);
    table.add("schema_mapper", "chat", "data", 2500, 400,
        "o3-mini", 4, "gpt-4.1", 4, "mistral-large-latest", 2);
    features = table.build();
    // Anomaly labels name a tenant x feature scope as "<tenant_id>/<feature>".
    for (String tenant : tenants) {
      requireNoSlash("tenant", tenant);
    }
    for (Feature feature : features) {
      requireNoSlash("feature", feature.name);
    }

    tenantAlias = new Alias(tenantSharePercent);
    featureWeights = zipfWeights(features.length, FEATURE_ZIPF_EXPONENT);
    featureAlias = new Alias(featureWeights);

    // Each user belongs to one tenant; a tenant's user base is proportional to its traffic.
    long[] usersPerTenant = EventGenerator.apportion(USER_COUNT, tenantSharePercent);
    firstUserOfTenant = new int[tenants.length];
    userCountOfTenant = new int[tenants.length];
    userAliasByTenant = new Alias[tenants.length];
    int nextUser = 0;
    for (int t = 0; t < tenants.length; t++) {
      firstUserOfTenant[t] = nextUser;
      userCountOfTenant[t] = (int) usersPerTenant[t];
      userAliasByTenant[t] = new Alias(zipfWeights((int) usersPerTenant[t], USER_ZIPF_EXPONENT));
      nextUser += (int) usersPerTenant[t];
    }
    for (int u = 0; u < USER_COUNT; u++) {
      userIds[u] = String.format(Locale.ROOT, "u_%06d", u + 1);
    }
  }

  private static void requireNoSlash(String kind, String name) {
    if (name.indexOf('/') >= 0) {
      throw new IllegalStateException(kind + " name must not contain '/': " + name);
    }
  }

  private static double[] zipfWeights(int count, double exponent) {
    double[] weights = new double[count];
    for (int rank = 1; rank <= count; rank++) {
      // StrictMath keeps the tables, and so the output, identical on every JVM and CPU.
      weights[rank - 1] = 1.0 / StrictMath.pow(rank, exponent);
    }
    return weights;
  }

  /** The probability that an event belongs to {@code tenant}. */
  double tenantShare(int tenant) {
    return share(tenantSharePercent, tenant);
  }

  /** The probability that an event belongs to {@code feature}. */
  double featureShare(int feature) {
    return share(featureWeights, feature);
  }

  /** Users {@code firstUserOfTenant(t)} to {@code firstUserOfTenant(t) + userCountOfTenant(t) - 1} are t's. */
  int firstUserOfTenant(int tenant) {
    return firstUserOfTenant[tenant];
  }

  int userCountOfTenant(int tenant) {
    return userCountOfTenant[tenant];
  }

  int featureIndex(String name) {
    for (int f = 0; f < features.length; f++) {
      if (features[f].name.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown feature " + name);
  }

  private static double share(double[] weights, int index) {
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    return weights[index] / total;
  }

  int sampleTenant(SplittableRandom rng) {
    return tenantAlias.sample(rng);
  }

  int sampleUser(SplittableRandom rng, int tenant) {
    return firstUserOfTenant[tenant] + userAliasByTenant[tenant].sample(rng);
  }

  int sampleFeature(SplittableRandom rng) {
    return featureAlias.sample(rng);
  }

  int sampleRegion(SplittableRandom rng) {
    return regionAlias.sample(rng);
  }

  int sampleEnvironment(SplittableRandom rng) {
    return environmentAlias.sample(rng);
  }

  int sampleServiceTier(SplittableRandom rng) {
    return serviceTierAlias.sample(rng);
  }

  /** Collects the feature rows and checks each one's models match its operation. */
  private final class FeatureTable {
    private final Map<String, Integer> modelIndexByName;
    private final List<Feature> rows = new ArrayList<>();

    FeatureTable(Map<String, Integer> modelIndexByName) {
      this.modelIndexByName = modelIndexByName;
    }

    /** {@code modelsAndWeights} alternates a model name and its relative weight. */
    void add(String name, String operation, String team, double inputMedianTokens,
             double outputMedianTokens, Object... modelsAndWeights) {
      int modelCount = modelsAndWeights.length / 2;
      int[] indexes = new int[modelCount];
      double[] weights = new double[modelCount];
      for (int i = 0; i < modelCount; i++) {
        String modelName = (String) modelsAndWeights[2 * i];
        Integer index = modelIndexByName.get(modelName);
        if (index == null) {
          throw new IllegalStateException("feature " + name + " names unknown model " + modelName);
        }
        if (models[index].embedding() != "embedding".equals(operation)) {
          throw new IllegalStateException("feature " + name + " (" + operation
              + ") must not use model " + modelName);
        }
        indexes[i] = index;
        weights[i] = ((Number) modelsAndWeights[2 * i + 1]).doubleValue();
      }
      rows.add(new Feature(name, operation, team, inputMedianTokens, outputMedianTokens,
          indexes, weights));
    }

    Feature[] build() {
      return rows.toArray(new Feature[0]);
    }
  }
}
