package dev.spillway.simulator;

/**
 * Decides whether a deployment accepts a request of a given token cost now. Implementations keep
 * their state in an atomic reference updated by compare-and-swap, so they are safe to call from any
 * thread; the decision itself is a pure function of (state, cost, now).
 */
interface DeploymentLimiter {

  /**
   * Books {@code costTokens} if the request fits at {@code nowNanos} (a {@link
   * dev.spillway.core.time.Ticker} reading) and says so; otherwise changes nothing.
   */
  Admission tryAdmit(long costTokens, long nowNanos);

  /** Current PTU utilization in percent (0 for limiters without one). */
  double utilizationPercent(long nowNanos);
}
