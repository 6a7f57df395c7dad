package dev.spillway.core.limits;

import java.util.Objects;

/**
 * What is left of one check's window after an admitted reservation.
 *
 * @param check the check this is about
 * @param limit the rule's limit (tokens, or requests for requests-per-minute rules)
 * @param remaining units left in the current window after this reservation; never negative
 * @param resetEpochMillis when the window ends and the counter starts again from zero
 */
public record Remaining(LimitCheck check, long limit, long remaining, long resetEpochMillis) {

  public Remaining {
    Objects.requireNonNull(check, "check");
    remaining = Math.max(0, remaining);
  }
}
