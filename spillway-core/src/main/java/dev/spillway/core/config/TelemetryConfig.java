package dev.spillway.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway reports about itself beyond the Prometheus defaults.
 *
 * @param consumerLabel add a {@code consumer} label to request and token metrics (one series per consumer: opt-in)
 * @param teamLabel add a {@code team} label to request and token metrics (opt-in)
 * @param otlp OpenTelemetry export; empty = off
 */
public record TelemetryConfig(boolean consumerLabel, boolean teamLabel, Optional<OtlpConfig> otlp) {
  public static final TelemetryConfig DEFAULTS = new TelemetryConfig(false, false, Optional.empty());

  public TelemetryConfig {
    Objects.requireNonNull(otlp, "otlp");
  }
}
