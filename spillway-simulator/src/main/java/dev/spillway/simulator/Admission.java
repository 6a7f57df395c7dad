package dev.spillway.simulator;

import java.util.Map;

/**
 * A limiter's answer to one request: admitted or not, how long until it would fit, and the
 * rate-limit headers to send either way. A value, not an exception: rejection is the normal case
 * under load.
 *
 * @param admitted whether the request may proceed (its cost is then already booked)
 * @param retryAfterNanos when rejected, nanoseconds until the same request would be admitted; 0 otherwise
 * @param headers response headers describing the limiter after this decision, in send order
 * @param exceededLimit when rejected, what was exceeded, for the 429 message (e.g. "token rate limit")
 */
record Admission(boolean admitted, long retryAfterNanos, Map<String, String> headers, String exceededLimit) {

  static Admission admit(Map<String, String> headers) {
    return new Admission(true, 0, headers, "");
  }

  static Admission reject(long retryAfterNanos, Map<String, String> headers, String exceededLimit) {
    return new Admission(false, Math.max(1, retryAfterNanos), headers, exceededLimit);
  }

  /** {@code retry-after-ms}: the wait rounded up to whole milliseconds, at least 1. */
  long retryAfterMillis() {
    return Math.max(1, (retryAfterNanos + 999_999) / 1_000_000);
  }

  /** {@code retry-after}: the wait rounded up to whole seconds, at least 1. */
  long retryAfterSeconds() {
    return Math.max(1, (retryAfterMillis() + 999) / 1000);
  }
}
