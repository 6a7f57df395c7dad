package dev.spillway.core.config;

/** How a model's pool picks a backend. More strategies arrive with the smart-routing work. */
public enum RoutingStrategy {
  /** Lowest priority number with an available backend first; weighted random inside that group. */
  PRIORITY;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
