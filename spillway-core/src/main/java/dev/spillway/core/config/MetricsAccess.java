package dev.spillway.core.config;

import java.util.Locale;

/** Who may read {@code /metrics} (and, later, the dashboard). */
public enum MetricsAccess {
  /** Only callers on the loopback interface (the default). */
  LOOPBACK,
  /** Anyone who can reach the listener (for a Prometheus server elsewhere on a private network). */
  OPEN,
  /** Whoever may use the admin API (admin key or role; loopback when neither is configured). */
  ADMIN;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
