package dev.spillway.core.routing;

import java.util.OptionalLong;

/** What the router decided for the next attempt of a request. */
public sealed interface RouteDecision {

  /** Send the next attempt to {@code backend}. */
  record Use(BackendState backend) implements RouteDecision {}

  /**
   * No backend is left to try. {@code nanosUntilSoonestFree} is present when at least one backend
   * of the pool is throttled, and tells when the soonest one frees.
   */
  record Exhausted(OptionalLong nanosUntilSoonestFree) implements RouteDecision {}
}
