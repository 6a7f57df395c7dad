package dev.spillway.core.routing;

import dev.spillway.core.config.RoutingConfig;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Chooses the backend for each attempt of a request, as a pure function of the pool's state, the
 * request's attempt cycle and the time.
 *
 * <p>Priority routing: among backends that are available (not throttled) and not yet tried in
 * this cycle, take the lowest priority number; inside that group pick at random in proportion to
 * {@code weight}. PTU deployments are configured with the better priority, so they are filled
 * first and PAYG takes the overflow. A request never tries the same backend twice in one cycle.
 *
 * <p>Thread-safe and allocation-free apart from the returned decision.
 */
public final class Router {
  private final RoutingConfig config;

  public Router(RoutingConfig config) {
    this.config = config;
  }

  public RoutingConfig config() {
    return config;
  }

  /**
   * @param pool the model's pool
   * @param cycle what this request already tried
   * @param nowNanos ticker reading
   * @param random source for weighted picks
   */
  public RouteDecision choose(Pool pool, AttemptCycle cycle, long nowNanos, RandomGenerator random) {
    int maxAttempts = config.maxAttempts() == 0 ? pool.backends().size() : config.maxAttempts();
    if (cycle.attempts() < maxAttempts) {
      int bestPriority = Integer.MAX_VALUE;
      int totalWeight = 0;
      for (BackendState b : pool.backends()) {
        if (!eligible(b, cycle, nowNanos)) {
          continue;
        }
        int priority = b.config().priority();
        if (priority < bestPriority) {
          bestPriority = priority;
          totalWeight = b.config().weight();
        } else if (priority == bestPriority) {
          totalWeight += b.config().weight();
        }
      }
      if (bestPriority != Integer.MAX_VALUE) {
        int ticket = random.nextInt(totalWeight);
        for (BackendState b : pool.backends()) {
          if (b.config().priority() != bestPriority || !eligible(b, cycle, nowNanos)) {
            continue;
          }
          ticket -= b.config().weight();
          if (ticket < 0) {
            return new RouteDecision.Use(b);
          }
        }
      }
    }
    return new RouteDecision.Exhausted(pool.nanosUntilSoonestFree(nowNanos));
  }

  private static boolean eligible(BackendState b, AttemptCycle cycle, long nowNanos) {
    return !cycle.tried(b) && b.isAvailable(nowNanos);
  }

  /**
   * Records a 429 from {@code backend}: it stays unavailable for the delay the backend asked for,
   * or the configured default when it gave none, capped at the configured maximum.
   *
   * @param requestedDelayMillis what the backend's retry headers said, if anything
   * @return the delay applied, in milliseconds
   */
  public long onThrottled(BackendState backend, OptionalLong requestedDelayMillis, long nowNanos) {
    long delayMillis = requestedDelayMillis.orElse(config.defaultRetryAfter().toMillis());
    delayMillis = Math.max(0, Math.min(delayMillis, config.maxRetryAfter().toMillis()));
    backend.throttleUntil(nowNanos + delayMillis * 1_000_000L);
    return delayMillis;
  }
}
