package dev.spillway.core.limits;

/**
 * What a {@link LimitRule} counts and over which fixed UTC window.
 *
 * <p>Minute kinds are <em>rates</em>: exceeding one is worth retrying soon (HTTP 429 with {@code
 * Retry-After}). Longer kinds are <em>quotas</em>: exceeding one means "come back next period"
 * (HTTP 403). {@link #REQUESTS_PER_MINUTE} counts one per admitted request; every other kind counts
 * tokens.
 */
public enum LimitKind {
  TOKENS_PER_MINUTE("tpm", "tokens per minute"),
  REQUESTS_PER_MINUTE("rpm", "requests per minute"),
  TOKENS_PER_HOUR("tph", "tokens per hour"),
  TOKENS_PER_DAY("tpd", "tokens per day"),
  /** ISO weeks: Monday 00:00 UTC to the next Monday 00:00 UTC. */
  TOKENS_PER_WEEK("tpw", "tokens per week"),
  TOKENS_PER_MONTH("tpmo", "tokens per month"),
  TOKENS_PER_YEAR("tpy", "tokens per year");

  private final String id;
  private final String description;

  LimitKind(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /**
   * A short stable identifier ({@code tpm}, {@code rpm}, {@code tpd}, ...) used in store keys and
   * error bodies. Changing one orphans the counters stored under it.
   */
  public String id() {
    return id;
  }

  /** Human words for messages: "tokens per minute". */
  public String description() {
    return description;
  }

  /** True for hour/day/week/month/year token quotas (403), false for minute rates (429). */
  public boolean quota() {
    return this != TOKENS_PER_MINUTE && this != REQUESTS_PER_MINUTE;
  }

  /** True when the rule counts requests rather than tokens. */
  public boolean countsRequests() {
    return this == REQUESTS_PER_MINUTE;
  }

  /** What one reservation of {@code tokens} costs against a rule of this kind. */
  public long cost(long tokens) {
    return countsRequests() ? 1 : tokens;
  }

  /** The kind whose {@link #id()} is {@code id}. */
  public static LimitKind fromId(String id) {
    for (LimitKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown limit kind id: " + id);
  }
}
