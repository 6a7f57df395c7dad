package dev.spillway.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits for one call to a backend.
 *
 * @param connect establishing the TCP (and TLS) connection
 * @param firstByte from sending the request until the response status and headers arrive
 * @param idle the longest silence allowed between two chunks of a response body
 * @param total the whole exchange, including a streamed body
 */
public record BackendTimeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
  public static final BackendTimeouts DEFAULTS =
      new BackendTimeouts(
          Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(10));

  public BackendTimeouts {
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(firstByte, "firstByte");
    Objects.requireNonNull(idle, "idle");
    Objects.requireNonNull(total, "total");
  }
}
