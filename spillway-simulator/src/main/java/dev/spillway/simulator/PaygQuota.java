package dev.spillway.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pay-as-you-go tokens-per-minute and requests-per-minute quotas over fixed one-minute windows.
 *
 * <p>A window opens with the first request after the previous window ended and lasts 60 s; it
 * counts admitted requests and their token cost (prompt + expected output). A request is admitted
 * while both counts stay within their limits (0 = unlimited); a request costing more tokens than
 * the whole quota is admitted only into an empty window. A rejected request waits until the
 * window ends. Headers follow OpenAI: {@code x-ratelimit-limit-*}, {@code x-ratelimit-remaining-*}
 * and {@code x-ratelimit-reset-*} (Go-style duration until that count is back to full), for each
 * limited dimension only.
 *
 * <p>{@link #decide} is pure; {@link #tryAdmit} applies it with compare-and-swap and is
 * thread-safe. Times are {@link dev.spillway.core.time.Ticker} nanos.
 */
final class PaygQuota implements DeploymentLimiter {
  static final long WINDOW_NANOS = 60_000_000_000L;

  /** Counts in the window that started at {@code windowStartNanos}; {@code open} false before any. */
  record State(boolean open, long windowStartNanos, long requests, long tokens) {
    static final State NONE = new State(false, 0, 0, 0);
  }

  /** The outcome of {@link #decide}: the state to store, the wait when rejected, and header values. */
  record Decision(
      boolean admitted,
      State next,
      long retryAfterNanos,
      long remainingRequests,
      long remainingTokens,
      long resetRequestsNanos,
      long resetTokensNanos,
      String exceededLimit) {}

  private final long tokensPerMinute;
  private final long requestsPerMinute;
  private final AtomicReference<State> state = new AtomicReference<>(State.NONE);

  /** Limits of 0 mean unlimited. */
  PaygQuota(long tokensPerMinute, long requestsPerMinute) {
    if (tokensPerMinute < 0 || requestsPerMinute < 0) {
      throw new IllegalArgumentException("quotas must be >= 0");
    }
    this.tokensPerMinute = tokensPerMinute;
    this.requestsPerMinute = requestsPerMinute;
  }

  /** Whether {@code costTokens} fits into {@code s} at {@code nowNanos}, and the resulting state. Pure. */
  Decision decide(State s, long costTokens, long nowNanos) {
    State current = s.open() && nowNanos - s.windowStartNanos() < WINDOW_NANOS
        ? s : new State(true, nowNanos, 0, 0);
    long untilEnd = Math.max(1, current.windowStartNanos() + WINDOW_NANOS - nowNanos);
    boolean requestsFit = requestsPerMinute == 0 || current.requests() + 1 <= requestsPerMinute;
    boolean tokensFit = tokensPerMinute == 0
        || current.tokens() + costTokens <= tokensPerMinute
        || current.tokens() == 0;
    boolean admitted = requestsFit && tokensFit;
    State next = admitted
        ? new State(true, current.windowStartNanos(), current.requests() + 1, current.tokens() + costTokens)
        : (current == s ? s : current);
    String exceeded = admitted ? "" : !requestsFit ? "call rate limit" : "token rate limit";
    return new Decision(
        admitted,
        next,
        admitted ? 0 : untilEnd,
        remaining(requestsPerMinute, next.requests()),
        remaining(tokensPerMinute, next.tokens()),
        next.requests() == 0 ? 0 : untilEnd,
        next.tokens() == 0 ? 0 : untilEnd,
        exceeded);
  }

  @Override
  public Admission tryAdmit(long costTokens, long nowNanos) {
    while (true) {
      State current = state.get();
      Decision d = decide(current, costTokens, nowNanos);
      if (d.next() == current || state.compareAndSet(current, d.next())) {
        Map<String, String> headers = headers(d);
        return d.admitted()
            ? Admission.admit(headers)
            : Admission.reject(d.retryAfterNanos(), headers, d.exceededLimit());
      }
    }
  }

  @Override
  public double utilizationPercent(long nowNanos) {
    return 0;
  }

  private Map<String, String> headers(Decision d) {
    Map<String, String> h = new LinkedHashMap<>();
    if (requestsPerMinute > 0) {
      h.put("x-ratelimit-limit-requests", Long.toString(requestsPerMinute));
      h.put("x-ratelimit-remaining-requests", Long.toString(d.remainingRequests()));
      h.put("x-ratelimit-reset-requests", DurationText.formatGo(d.resetRequestsNanos()));
    }
    if (tokensPerMinute > 0) {
      h.put("x-ratelimit-limit-tokens", Long.toString(tokensPerMinute));
      h.put("x-ratelimit-remaining-tokens", Long.toString(d.remainingTokens()));
      h.put("x-ratelimit-reset-tokens", DurationText.formatGo(d.resetTokensNanos()));
    }
    return h;
  }

  private static long remaining(long limit, long used) {
    return limit == 0 ? Long.MAX_VALUE : Math.max(0, limit - used);
  }
}
