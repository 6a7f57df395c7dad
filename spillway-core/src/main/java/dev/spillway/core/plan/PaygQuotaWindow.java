package dev.spillway.core.plan;

/**
 * A PAYG deployment as a replay sees it: a tokens-per-minute quota over fixed one-minute windows (a window opens with
 * the first request after the previous one ended), like the simulator's. A request whose tokens would pass the quota
 * is refused until the window ends; one bigger than the whole quota is admitted only into an empty window. Without a
 * quota every request is admitted: PAYG is then taken to have ample quota, which is what a planner assumes unless the
 * config declares otherwise.
 *
 * <p>Not thread-safe: one replay, one thread.
 */
final class PaygQuotaWindow {
  private static final long WINDOW_NANOS = 60_000_000_000L;

  private final long tokensPerMinute;
  private boolean open;
  private long windowStartNanos;
  private long tokens;

  /** @param tokensPerMinute the quota; 0 for none */
  PaygQuotaWindow(long tokensPerMinute) {
    if (tokensPerMinute < 0) {
      throw new IllegalArgumentException("the quota must not be negative");
    }
    this.tokensPerMinute = tokensPerMinute;
  }

  /** @return 0 when admitted, otherwise the nanoseconds until the window ends (at least 1) */
  long tryAdmit(long requestTokens, long nowNanos) {
    if (tokensPerMinute == 0) {
      return 0;
    }
    if (!open || nowNanos - windowStartNanos >= WINDOW_NANOS) {
      open = true;
      windowStartNanos = nowNanos;
      tokens = 0;
    }
    if (tokens + requestTokens <= tokensPerMinute || tokens == 0) {
      tokens += requestTokens;
      return 0;
    }
    return Math.max(1, windowStartNanos + WINDOW_NANOS - nowNanos);
  }

  /** Tokens left in the current window, as {@code x-ratelimit-remaining-tokens} says; -1 without a quota. */
  long remainingTokens(long nowNanos) {
    if (tokensPerMinute == 0) {
      return -1;
    }
    boolean current = open && nowNanos - windowStartNanos < WINDOW_NANOS;
    return Math.max(0, tokensPerMinute - (current ? tokens : 0));
  }
}
