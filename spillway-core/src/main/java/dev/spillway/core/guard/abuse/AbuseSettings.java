package dev.spillway.core.guard.abuse;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How end users are scored and what happens past a mark ({@code guard.abuse}):
 *
 * <pre>
 * guard:
 *   abuse:
 *     halfLife: 7d          # how fast an incident fades
 *     minRequests: 10       # below this many requests a user's harm is divided by this
 *     alertAt: 0.3          # a log line and a metric
 *     throttleAt: 0.5       # the user's requests limited to throttleTokensPerMinute
 *     throttleTokensPerMinute: 2000
 *     suspendAt: 0.8        # 403 until an administrator lifts it
 * </pre>
 *
 * A mark left out is not acted on.
 */
public record AbuseSettings(
    Duration halfLife,
    int minRequests,
    int maxUsers,
    Optional<Double> alertAt,
    Optional<Double> throttleAt,
    long throttleTokensPerMinute,
    Optional<Double> suspendAt) {
  public static final AbuseSettings DEFAULTS = new AbuseSettings(Duration.ofDays(7), 10, 100_000, Optional.of(0.3),
      Optional.empty(), 2_000, Optional.empty());

  public AbuseSettings {
    Objects.requireNonNull(halfLife, "halfLife");
    if (halfLife.isZero() || halfLife.isNegative() || minRequests < 1 || maxUsers < 1) {
      throw new IllegalArgumentException("halfLife, minRequests and maxUsers must be positive");
    }
  }

  /** The strongest action {@code score} has reached. */
  public AbuseAction actionFor(double score) {
    if (suspendAt.isPresent() && score >= suspendAt.get()) {
      return AbuseAction.SUSPEND;
    }
    if (throttleAt.isPresent() && score >= throttleAt.get()) {
      return AbuseAction.THROTTLE;
    }
    if (alertAt.isPresent() && score >= alertAt.get()) {
      return AbuseAction.ALERT;
    }
    return AbuseAction.NONE;
  }
}
