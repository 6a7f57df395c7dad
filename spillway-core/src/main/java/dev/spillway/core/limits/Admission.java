package dev.spillway.core.limits;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link LimitStore#reserve}: a value, not an exception, since denials are routine.
 */
public sealed interface Admission {

  /**
   * Every check had room and the reservation was counted against all of them.
   *
   * @param remaining one entry per check, in the order the checks were given
   */
  record Allowed(List<Remaining> remaining) implements Admission {

    public Allowed {
      remaining = List.copyOf(remaining);
    }

    /**
     * The token check with the least room left (for {@code x-ratelimit-limit-tokens} and {@code
     * x-ratelimit-remaining-tokens}); empty when no token rule applied.
     */
    public Optional<Remaining> tightestTokens() {
      return tightest(false);
    }

    /** The requests-per-minute check with the least room left; empty when none applied. */
    public Optional<Remaining> tightestRequests() {
      return tightest(true);
    }

    private Optional<Remaining> tightest(boolean requests) {
      Remaining tightest = null; // a loop, not a stream: read for every limited answer's headers
      for (Remaining r : remaining) {
        if (r.check().kind().countsRequests() == requests && (tightest == null || r.remaining() < tightest.remaining())) {
          tightest = r;
        }
      }
      return Optional.ofNullable(tightest);
    }
  }

  /**
   * Nothing was counted: {@code check} has no room for the reservation. When several checks are
   * full, the reported one is the one that lasts longest (a reservation that can never fit first,
   * then the latest reset), so the client is not told to retry in a minute when its daily quota is
   * spent.
   *
   * @param check the check that refused
   * @param quota true for an hour..year quota (HTTP 403), false for a minute rate (HTTP 429)
   * @param retryAfterMillis time until the refusing window ends; not a promise that the retry fits
   * @param resetEpochMillis when the refusing window ends
   * @param requested what this reservation would have cost against {@code check} (tokens, or 1 for
   *     a requests-per-minute rule)
   */
  record Denied(LimitCheck check, boolean quota, long retryAfterMillis, long resetEpochMillis, long requested)
      implements Admission {

    public Denied {
      Objects.requireNonNull(check, "check");
      retryAfterMillis = Math.max(0, retryAfterMillis);
    }

    /**
     * True when the reservation alone is larger than the whole limit: waiting never helps, the
     * client must ask for fewer tokens (a smaller prompt or {@code max_tokens}).
     */
    public boolean exceedsWholeLimit() {
      return requested > check.limit();
    }

    /** A client-safe sentence for the OpenAI error body: which limit, and when it resets. */
    public String message() {
      LimitRule rule = check.rule();
      if (exceedsWholeLimit()) {
        return "This request needs " + requested + (rule.kind().countsRequests() ? " request" : " tokens")
            + ", more than the whole limit of " + rule + "; reduce the prompt or max_tokens.";
      }
      String reset = Instant.ofEpochMilli(resetEpochMillis).toString();
      if (quota) {
        return "Token quota of " + rule + " exhausted; it resets at " + reset + ".";
      }
      long seconds = (retryAfterMillis + 999) / 1000;
      return "Rate limit of " + rule + " reached; it resets at " + reset + ". Please retry after " + seconds
          + " second" + (seconds == 1 ? "" : "s") + ".";
    }

    /** True when this denial should be reported instead of {@code other}: see the class comment. */
    boolean outranks(Denied other) {
      if (exceedsWholeLimit() != other.exceedsWholeLimit()) {
        return exceedsWholeLimit();
      }
      return resetEpochMillis > other.resetEpochMillis;
    }

    /** The denial for {@code check} whose current window ends at {@code windowEnd}. */
    public static Denied of(LimitCheck check, long requested, long windowEndEpochMillis, long nowEpochMillis) {
      return new Denied(
          check, check.kind().quota(), windowEndEpochMillis - nowEpochMillis, windowEndEpochMillis, requested);
    }
  }
}
