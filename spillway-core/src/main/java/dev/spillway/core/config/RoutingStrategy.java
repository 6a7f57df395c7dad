package dev.spillway.core.config;

import java.util.Locale;

/**
 * How a pool picks a backend among those that may take a call.
 *
 * <p>{@link #PRIORITY} first narrows the choice to the lowest priority number that has an
 * available backend and then picks inside that group with the model's {@code groupStrategy}; the
 * other strategies ignore priorities and treat the whole pool as one group.
 */
public enum RoutingStrategy {
  /** Lowest priority number first (PTU before PAYG); inside the group, the group strategy. */
  PRIORITY,
  /** Random in proportion to {@code weight}. */
  WEIGHTED,
  /** In turn, one after the other. */
  ROUND_ROBIN,
  /** The backend with the fewest calls in flight; ties broken by weight. */
  LEAST_INFLIGHT,
  /** The backend with the lowest recent latency (EWMA of time to first token and time per output token). */
  LOWEST_LATENCY;

  /** The config spelling: {@code round-robin}, {@code least-inflight}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
