package dev.spillway.core.chargeback;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the prompt-cache report: how well one caller's prompts to one model used the provider's prompt cache.
 *
 * <p>The flag {@value #VARIES_EARLY}: the prompts are long enough to be cached, but they change early. It is raised
 * when at least {@value #MIN_PAIRS} pairs of consecutive long prompts were compared, at least half the requests had a
 * long prompt, fewer than half the pairs began alike ({@link #prefixStability()} under {@link #LOW_STABILITY}) and the
 * provider served under a quarter of the prompt tokens from its cache ({@link #cachedShare()} under {@link
 * #LOW_CACHED_SHARE}). The usual cause is a prompt that starts with what changes (a date, the user's name, the
 * question) before what stays (instructions, tools, documents); the cure is to put the static part first.
 *
 * @param key the group ({@link ReportRow#NONE} when the rows had none), {@link ReportRow#TOTAL} on the totals row
 * @param model the model ({@link ReportRow#NONE} when none; empty on the totals row)
 * @param requests requests a backend answered with prompt tokens
 * @param promptTokens their prompt tokens, cached ones included
 * @param cachedTokens those the provider served from its prompt cache
 * @param longPrompts requests whose prompt had at least 1,024 tokens
 * @param prefixPairs consecutive long prompts (same consumer and model) compared by their prefix hash
 * @param stablePairs of those, the pairs whose first 1,024 tokens were the same
 * @param savedCost what the cached tokens of PAYG requests saved: {@code cached × (input − cachedInput) ÷ 1000} at the
 *     model's price
 */
public record PromptCacheRow(
    String key,
    String model,
    long requests,
    long promptTokens,
    long cachedTokens,
    long longPrompts,
    long prefixPairs,
    long stablePairs,
    BigDecimal savedCost) {
  /** The flag of a caller whose long prompts vary early. */
  public static final String VARIES_EARLY = "varies_early";
  /** Fewest compared pairs for a flag: fewer say too little. */
  public static final long MIN_PAIRS = 10;
  /** Prefix stability under this is low. */
  public static final BigDecimal LOW_STABILITY = new BigDecimal("0.5");
  /** A cached share under this is low. */
  public static final BigDecimal LOW_CACHED_SHARE = new BigDecimal("0.25");
  /** Decimals of a share. */
  static final int SHARE_SCALE = 3;

  public PromptCacheRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(savedCost, "savedCost");
  }

  /** Cached over prompt tokens, empty without prompt tokens. */
  public Optional<BigDecimal> cachedShare() {
    return share(cachedTokens, promptTokens);
  }

  /** Stable over compared pairs, empty when no pair was compared. */
  public Optional<BigDecimal> prefixStability() {
    return share(stablePairs, prefixPairs);
  }

  /** Prompt tokens per request, rounded to the nearest whole token; 0 without requests. */
  public long promptTokensPerRequest() {
    return requests == 0 ? 0 : Math.round((double) promptTokens / requests);
  }

  /** The row's flags: {@link #VARIES_EARLY} or none. */
  public List<String> flags() {
    return variesEarly() ? List.of(VARIES_EARLY) : List.of();
  }

  /** See the class comment. */
  public boolean variesEarly() {
    if (prefixPairs < MIN_PAIRS || longPrompts * 2 < requests) {
      return false;
    }
    return prefixStability().map(s -> s.compareTo(LOW_STABILITY) < 0).orElse(false)
        && cachedShare().map(s -> s.compareTo(LOW_CACHED_SHARE) < 0).orElse(false);
  }

  private static Optional<BigDecimal> share(long part, long whole) {
    if (whole <= 0) {
      return Optional.empty();
    }
    return Optional.of(BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), SHARE_SCALE, RoundingMode.HALF_UP));
  }
}
