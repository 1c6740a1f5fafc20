package dev.costlake.pricing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds the catalog model that prices a reported model name, by the documented rules in order:
 * exact name; a configured alias; a dated snapshot to its family (gpt-4o-2024-08-06 -> gpt-4o when
 * there is no exact row); a provider-prefixed name normalised (openai/gpt-4o, azure/...,
 * bedrock/anthropic.claude-...-v2:0, vertex_ai/claude-...@20241022), then the first three rules again.
 * Pure: the same names and catalog always give the same match.
 */
public final class ModelMatcher {
  public static final String EXACT = "exact";
  public static final String ALIAS = "alias";
  public static final String SNAPSHOT = "snapshot";
  public static final String PROVIDER_PREFIX = "provider_prefix";

  /** Suffixes that name a snapshot of a family: dates, versions, "latest", "preview". */
  private static final List<Pattern> SNAPSHOT_SUFFIXES = List.of(
      Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$"),   // gpt-4o-2024-08-06
      Pattern.compile("[-@]\\d{8}$"),              // claude-3-5-sonnet-20241022, ...@20241022
      Pattern.compile("-\\d{2}-\\d{4}$"),          // command-r-08-2024
      Pattern.compile("-\\d{4}$"),                 // gpt-3.5-turbo-0125
      Pattern.compile("-\\d{3}$"),                 // gemini-1.5-pro-002
      Pattern.compile("-v\\d+(:\\d+)?$"),          // bedrock's -v2:0
      Pattern.compile(":\\d+$"),                   // bedrock's :0
      Pattern.compile("-latest$"),                 // claude-3-5-sonnet-latest
      Pattern.compile("-(exp|preview)(-[0-9a-z-]+)?$"));
  /** Bedrock and friends put the vendor before a dot: anthropic.claude-..., us.anthropic.claude-... */
  private static final Pattern VENDOR_DOT_PREFIX =
      Pattern.compile("^((us|eu|apac|global)\\.)?(anthropic|meta|cohere|mistral|amazon|ai21|deepseek|openai|xai)\\.");

  private final Set<String> catalogModels;
  private final Map<String, String> aliases;

  /**
   * @param catalogModels the catalog's model names (lower case)
   * @param aliases reported name -> catalog model (prices.aliases); keys compared case-insensitively
   */
  public ModelMatcher(Set<String> catalogModels, Map<String, String> aliases) {
    this.catalogModels = catalogModels;
    this.aliases = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    aliases.forEach((alias, target) -> this.aliases.put(alias.trim(), target.trim().toLowerCase(Locale.ROOT)));
  }

  /** The catalog model and the rule that matched, or empty when nothing prices this name. */
  public Optional<Match> match(String reportedModel) {
    if (reportedModel == null) {
      return Optional.empty();
    }
    String name = reportedModel.trim().toLowerCase(Locale.ROOT);
    Optional<Match> direct = matchName(name, reportedModel.trim());
    if (direct.isPresent()) {
      return direct;
    }
    String normalised = withoutProviderPrefix(name);
    if (!normalised.equals(name)) {
      return matchName(normalised, normalised)
          .map(m -> new Match(m.catalogModel(), PROVIDER_PREFIX, m.steps() + " after removing the provider prefix"));
    }
    return Optional.empty();
  }

  private Optional<Match> matchName(String name, String aliasKey) {
    if (catalogModels.contains(name)) {
      return Optional.of(new Match(name, EXACT, "exact name " + name));
    }
    String target = aliases.containsKey(aliasKey) ? aliases.get(aliasKey) : aliases.get(name);
    if (target != null && catalogModels.contains(target)) {
      return Optional.of(new Match(target, ALIAS, "alias " + name + " -> " + target + " (prices.aliases)"));
    }
    String family = name;
    boolean stripped = true;
    while (stripped) {
      stripped = false;
      for (Pattern suffix : SNAPSHOT_SUFFIXES) {
        String shorter = suffix.matcher(family).replaceFirst("");
        if (!shorter.equals(family) && !shorter.isEmpty()) {
          family = shorter;
          stripped = true;
          if (catalogModels.contains(family)) {
            return Optional.of(new Match(family, SNAPSHOT, "snapshot " + name + " -> family " + family));
          }
          break;
        }
      }
    }
    return Optional.empty();
  }

  /** openai/gpt-4o -> gpt-4o; bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0 -> claude-3-5-sonnet-20241022-v2:0. */
  static String withoutProviderPrefix(String name) {
    String last = name.substring(name.lastIndexOf('/') + 1);
    return VENDOR_DOT_PREFIX.matcher(last).replaceFirst("");
  }

  /** How a reported model name was matched. */
  public record Match(String catalogModel, String rule, String steps) {}
}
