package dev.spillway.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * OpenTelemetry export over OTLP/HTTP (protobuf).
 *
 * @param endpoint the collector's base URL, e.g. {@code http://127.0.0.1:4318}; {@code /v1/metrics} and
 *     {@code /v1/traces} are appended
 * @param serviceName the {@code service.name} resource attribute
 * @param interval how often metrics are pushed
 * @param metrics whether metrics are exported
 * @param traces whether a span per request (with a child per backend attempt) is exported
 */
public record OtlpConfig(URI endpoint, String serviceName, Duration interval, boolean metrics, boolean traces) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  public OtlpConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(interval, "interval");
  }
}
