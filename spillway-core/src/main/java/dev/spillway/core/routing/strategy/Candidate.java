package dev.spillway.core.routing.strategy;

/**
 * What a {@link SelectionStrategy} reads about one backend, so that strategies do not depend on
 * the router's live state class (which implements this) and tests can use plain fakes.
 *
 * <p>Every method is called on the hot path, possibly from several threads at once, and the
 * values may change between calls (in-flight counts and latency do): implementations must be
 * cheap, thread-safe and allocation-free.
 */
public interface Candidate {

  /** Relative share inside the group, at least 1 (a smaller value is treated as 1). */
  int weight();

  /** Calls to this backend currently in flight. */
  int inFlight();

  /** This backend's latency averages; the same instance for the backend's lifetime. */
  LatencyStats latency();

  /** Stable position of this backend in its pool, from 0, unique within the pool. */
  int poolIndex();
}
