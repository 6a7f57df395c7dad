package dev.spillway.core.limits;

import java.util.Objects;

/**
 * One limit: at most {@code limit} units (tokens, or requests for {@link
 * LimitKind#REQUESTS_PER_MINUTE}) per fixed UTC window of {@code kind}. A limit of 0 denies
 * everything.
 */
public record LimitRule(LimitKind kind, long limit) {

  public LimitRule {
    Objects.requireNonNull(kind, "kind");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit + " for " + kind);
    }
  }

  public static LimitRule tokensPerMinute(long limit) {
    return new LimitRule(LimitKind.TOKENS_PER_MINUTE, limit);
  }

  public static LimitRule requestsPerMinute(long limit) {
    return new LimitRule(LimitKind.REQUESTS_PER_MINUTE, limit);
  }

  @Override
  public String toString() {
    return limit + " " + kind.description();
  }
}
