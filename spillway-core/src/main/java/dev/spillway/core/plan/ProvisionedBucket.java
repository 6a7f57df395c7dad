package dev.spillway.core.plan;

import java.time.Duration;

/**
 * A PTU deployment as a replay sees it: a leaky bucket of converted tokens (see {@link PtuThroughput#convertedTokens})
 * that drains at the deployment's capacity and holds {@code burst} worth of it, the way the simulator models Azure's
 * provisioned throughput. A request is admitted when its tokens fit, counted in full at admission (Azure counts a
 * request against utilization when it accepts it, so how long it then takes to answer does not matter here);
 * otherwise it is refused with the time until enough has drained, which the deployment sends as {@code
 * retry-after-ms}. A request bigger than the whole bucket is admitted only into an empty one.
 *
 * <p>Not thread-safe: one replay, one thread. Times are nanoseconds of the replay's ticker and never go back.
 */
final class ProvisionedBucket {
  /** Rounding slack, so that a request retried exactly when it was told to fits despite floating-point noise. */
  private static final double FIT_TOLERANCE_TOKENS = 1e-6;

  private final double drainPerNano;
  private final double sizeTokens;
  private double level;
  private long atNanos;

  /**
   * @param tokensPerMinute the deployment's capacity in converted tokens a minute; positive
   * @param burst how much of that capacity the bucket holds; positive
   */
  ProvisionedBucket(long tokensPerMinute, Duration burst) {
    if (tokensPerMinute <= 0 || burst.isNegative() || burst.isZero()) {
      throw new IllegalArgumentException("capacity and burst must be positive");
    }
    this.drainPerNano = tokensPerMinute / 60e9;
    this.sizeTokens = tokensPerMinute * (burst.toNanos() / 60e9);
  }

  /**
   * Admits {@code tokens} at {@code nowNanos} or says how long to wait.
   *
   * @return 0 when admitted, otherwise the nanoseconds until it would fit (at least 1)
   */
  long tryAdmit(double tokens, long nowNanos) {
    drainTo(nowNanos);
    if (level + tokens <= sizeTokens + FIT_TOLERANCE_TOKENS || level <= 0) {
      level += tokens;
      return 0;
    }
    double excess = tokens > sizeTokens ? level : level + tokens - sizeTokens;
    // Ignore sub-nanosecond noise, so that waits of whole tokens come out exact.
    return Math.max(1, (long) Math.ceil(excess / drainPerNano - 1e-3));
  }

  /** How full the bucket is at {@code nowNanos}, in percent: the deployment's {@code azure-openai-deployment-utilization}. */
  double utilizationPercent(long nowNanos) {
    drainTo(nowNanos);
    return level / sizeTokens * 100;
  }

  private void drainTo(long nowNanos) {
    long elapsed = nowNanos - atNanos;
    if (elapsed > 0) {
      level = Math.max(0, level - elapsed * drainPerNano);
      atNanos = nowNanos;
    }
  }
}
