package dev.spillway.core.routing;

import dev.spillway.core.config.RoutingConfig;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What one attempt did to its backend, decided in one place: the throttle a 429 sets, the load the
 * backend reported in its headers, and the circuit breaker's verdict on how the attempt ended.
 *
 * <p>The decision is a pure function of what the attempt showed and the routing config ({@link
 * #ofResponseHead}, {@link #ofEnd}); {@link #applyTo} then carries it out on the backend's state at
 * a ticker reading. The edge calls it twice per attempt: when the response head arrives (reported
 * load, and the throttle of a 429, so that concurrent requests see them at once) and when the attempt
 * ends (the breaker, which must not judge a stream before it finished).
 *
 * <p>Which outcomes count against a backend: 5xx with a status listed in {@code
 * routing.breaker.failureStatuses}, connection errors, timeouts, invalid 2xx bodies and streams the
 * backend broke. Throttling is not the breaker's business (the throttle handles it); a cancelled
 * attempt (the client left), the gateway's own credential failures and the backend refusing that
 * credential say nothing about the backend's health and are ignored by the breaker. A refused credential (a {@code
 * 401} that survived one refresh) instead holds the backend out for {@code routing.authHold}: every request would meet
 * the same refusal, and a credential does not fix itself.
 *
 * @param breaker the verdict for the circuit breaker
 * @param breakerRetryAfterMillis the Retry-After a counted failure carries, capped at {@code routing.maxRetryAfter}
 * @param throttleMillis how long the backend stays throttled (a 429), empty otherwise
 * @param utilizationPercent the {@code azure-openai-deployment-utilization} the backend reported
 * @param remainingTokens the {@code x-ratelimit-remaining-tokens} the backend reported
 * @param authHoldMillis how long the backend is held out for refusing the gateway's credential ({@code 401} after one
 *     refresh; {@code routing.authHold}), empty otherwise or when the hold is off
 */
public record AttemptFeedback(
    BreakerVerdict breaker,
    OptionalLong breakerRetryAfterMillis,
    OptionalLong throttleMillis,
    OptionalDouble utilizationPercent,
    OptionalLong remainingTokens,
    OptionalLong authHoldMillis) {

  /** What the circuit breaker hears about an attempt. */
  public enum BreakerVerdict {
    /** Nothing yet (a response head): the breaker waits for the end. */
    NONE,
    SUCCESS,
    FAILURE,
    /** The outcome says nothing about the backend's health; a probe permit is given back. */
    IGNORED
  }

  /**
   * The feedback of a response head.
   *
   * @param status the backend's status
   * @param header the response's headers by (case-insensitive) name, null when absent
   * @param retryAfterMillis what the backend's retry headers asked for, if anything
   */
  public static AttemptFeedback ofResponseHead(
      int status, Function<String, String> header, OptionalLong retryAfterMillis, RoutingConfig routing) {
    OptionalLong throttle = status == 429 ? OptionalLong.of(throttleMillis(routing, retryAfterMillis)) : OptionalLong.empty();
    return new AttemptFeedback(
        BreakerVerdict.NONE,
        OptionalLong.empty(),
        throttle,
        utilization(header.apply("azure-openai-deployment-utilization")),
        remainingTokens(header.apply("x-ratelimit-remaining-tokens")),
        OptionalLong.empty());
  }

  /**
   * The feedback of an attempt's end.
   *
   * @param status the backend's HTTP status, 0 when there was none
   * @param retryAfterMillis what the backend's retry headers asked for, if anything; capped at {@code
   *     routing.maxRetryAfter} like a 429's, so "retry after a day" cannot shut a backend out
   */
  public static AttemptFeedback ofEnd(AttemptResult result, int status, OptionalLong retryAfterMillis, RoutingConfig routing) {
    BreakerVerdict verdict =
        switch (result) {
          case OK, CLIENT_ERROR -> BreakerVerdict.SUCCESS;
          case THROTTLED, CANCELLED, CREDENTIAL_ERROR, UPSTREAM_AUTH_FAILED -> BreakerVerdict.IGNORED;
          case SERVER_ERROR ->
              routing.breaker().failureStatuses().contains(status) ? BreakerVerdict.FAILURE : BreakerVerdict.IGNORED;
          case CONNECT_ERROR, TIMEOUT, INVALID_RESPONSE, STREAM_INTERRUPTED -> BreakerVerdict.FAILURE;
        };
    OptionalLong carried = OptionalLong.empty();
    if (result == AttemptResult.SERVER_ERROR && verdict == BreakerVerdict.FAILURE && retryAfterMillis.isPresent()) {
      carried = OptionalLong.of(Math.min(retryAfterMillis.getAsLong(), routing.maxRetryAfter().toMillis()));
    }
    OptionalLong authHold = result == AttemptResult.UPSTREAM_AUTH_FAILED && routing.authHold().isPositive()
        ? OptionalLong.of(routing.authHold().toMillis())
        : OptionalLong.empty();
    return new AttemptFeedback(verdict, carried, OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.empty(), authHold);
  }

  /**
   * How long a 429 keeps a backend out: the delay it asked for, or {@code routing.defaultRetryAfter}
   * when it gave none, within {@code [0, routing.maxRetryAfter]}.
   */
  public static long throttleMillis(RoutingConfig routing, OptionalLong requestedMillis) {
    long delay = requestedMillis.orElse(routing.defaultRetryAfter().toMillis());
    return Math.max(0, Math.min(delay, routing.maxRetryAfter().toMillis()));
  }

  /** Carries the decision out on {@code backend}'s state (thread-safe: its atomics and breaker). */
  public void applyTo(BackendState backend, long nowNanos) {
    applyTo(backend, 0, nowNanos);
  }

  /**
   * Carries the decision out on {@code backend}'s state, the drain model included.
   *
   * @param costTokens the attempt's estimated cost: a refusal of it tells the drain model the backend's room
   */
  public void applyTo(BackendState backend, long costTokens, long nowNanos) {
    utilizationPercent.ifPresent(
        p -> {
          backend.reportUtilization(p, nowNanos);
          backend.drainUtilization(p, nowNanos);
        });
    remainingTokens.ifPresent(
        t -> {
          backend.reportRemainingTokens(t, nowNanos);
          backend.drainRemaining(t, nowNanos);
        });
    throttleMillis.ifPresent(
        ms -> {
          backend.throttleUntil(nowNanos + ms * 1_000_000L);
          backend.drainThrottled(costTokens, ms * 1_000_000L, nowNanos);
        });
    authHoldMillis.ifPresent(ms -> backend.holdForAuth(nowNanos + ms * 1_000_000L));
    switch (breaker) {
      case NONE -> {}
      case SUCCESS -> backend.breaker().onSuccess(nowNanos);
      case FAILURE -> backend.breaker().onFailure(nowNanos, breakerRetryAfterMillis);
      case IGNORED -> backend.breaker().onIgnored();
    }
  }

  /** {@code 87.5} or {@code 87.5%}; anything else (a backend's odd header) is ignored. */
  static OptionalDouble utilization(String header) {
    if (header == null) {
      return OptionalDouble.empty();
    }
    String number = header.trim();
    if (number.endsWith("%")) {
      number = number.substring(0, number.length() - 1).trim();
    }
    try {
      double percent = Double.parseDouble(number);
      return percent >= 0 && Double.isFinite(percent) ? OptionalDouble.of(percent) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  static OptionalLong remainingTokens(String header) {
    if (header == null) {
      return OptionalLong.empty();
    }
    try {
      long tokens = Long.parseLong(header.trim());
      return tokens >= 0 ? OptionalLong.of(tokens) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
