package dev.spillway.core.routing.breaker;

import static dev.spillway.core.routing.breaker.BreakerState.CLOSED;
import static dev.spillway.core.routing.breaker.BreakerState.DISABLED;
import static dev.spillway.core.routing.breaker.BreakerState.FORCED_OPEN;
import static dev.spillway.core.routing.breaker.BreakerState.HALF_OPEN;
import static dev.spillway.core.routing.breaker.BreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final Duration TRIP = Duration.ofSeconds(30);
  private static final OptionalLong NO_RETRY_AFTER = OptionalLong.empty();

  // Start far from zero, negative, as System.nanoTime() may be.
  private final ManualTicker ticker = new ManualTicker(-123_456_789_000L);
  private final List<String> transitions = new CopyOnWriteArrayList<>();
  private final BreakerListener recorder = (from, to, nowNanos) -> transitions.add(from + "->" + to);

  private static BreakerConfig config(int failureThreshold, int failureRatePercent, int minimumCalls,
      boolean acceptRetryAfter, int halfOpenProbes) {
    return new BreakerConfig(true, failureThreshold, failureRatePercent, minimumCalls, WINDOW, TRIP,
        acceptRetryAfter, halfOpenProbes, Set.of(500, 502, 503, 504));
  }

  /** Trips after 3 failures, rate rule off, one probe. */
  private CircuitBreaker countBreaker() {
    return new CircuitBreaker(config(3, 0, 1, true, 1), recorder);
  }

  private long now() {
    return ticker.read();
  }

  private void fail(CircuitBreaker b, int times) {
    for (int i = 0; i < times; i++) {
      b.onFailure(now(), NO_RETRY_AFTER);
    }
  }

  private void succeed(CircuitBreaker b, int times) {
    for (int i = 0; i < times; i++) {
      b.onSuccess(now());
    }
  }

  // ---- tripping ----

  @Test
  void tripsWhenTheFailureCountIsReached() {
    CircuitBreaker b = countBreaker();
    fail(b, 2);
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.isCallPermitted(now())).isTrue();

    fail(b, 1);
    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.isCallPermitted(now())).isFalse();
    assertThat(b.tryAcquirePermission(now())).isFalse();
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void tripsOnTheFailureRateOnlyOnceMinimumCallsWereMade() {
    CircuitBreaker b = new CircuitBreaker(config(0, 50, 4, true, 1));
    fail(b, 3); // 100 % but only 3 calls
    assertThat(b.state(now())).isEqualTo(CLOSED);

    succeed(b, 1); // 4 calls, 75 %: the rule applies after every recorded call
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  @Test
  void staysClosedWhileTheFailureRateIsBelowThePercentage() {
    CircuitBreaker b = new CircuitBreaker(config(0, 50, 4, true, 1));
    succeed(b, 3);
    fail(b, 2); // 2 of 5 = 40 %
    assertThat(b.state(now())).isEqualTo(CLOSED);
    fail(b, 1); // 3 of 6 = 50 %
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  @Test
  void failureCountAloneDoesNotTripBeforeMinimumCalls() {
    CircuitBreaker b = new CircuitBreaker(config(2, 0, 5, true, 1));
    fail(b, 4);
    assertThat(b.state(now())).isEqualTo(CLOSED);
    fail(b, 1);
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  @Test
  void oldFailuresSlideOutOfTheWindow() {
    CircuitBreaker b = countBreaker();
    fail(b, 2);
    ticker.advance(WINDOW);
    fail(b, 1);
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.snapshot(now()).windowFailures()).isEqualTo(1);

    ticker.advance(WINDOW.minusSeconds(1));
    fail(b, 2); // the failure 9 s ago still counts
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  // ---- open time ----

  @Test
  void staysOpenForTripDurationThenTurnsHalfOpen() {
    CircuitBreaker b = countBreaker();
    fail(b, 3);
    ticker.advance(TRIP.minusMillis(1));
    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.isCallPermitted(now())).isFalse();
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofMillis(1).toNanos());

    ticker.advanceMillis(1);
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
    assertThat(b.isCallPermitted(now())).isTrue();
    assertThat(b.nanosUntilPermitted(now())).isZero();
    assertThat(transitions).containsExactly("CLOSED->OPEN"); // the lazy step is heard with the first probe

    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void opensForTheBackendsRetryAfterWhenAccepted() {
    CircuitBreaker b = countBreaker();
    fail(b, 2);
    b.onFailure(now(), OptionalLong.of(120_000)); // a 503 with Retry-After: 120
    ticker.advance(TRIP);
    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofSeconds(90).toNanos());
    ticker.advance(Duration.ofSeconds(90));
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
  }

  @Test
  void aShortRetryAfterOpensForLessThanTripDuration() {
    CircuitBreaker b = countBreaker();
    fail(b, 2);
    b.onFailure(now(), OptionalLong.of(5_000));
    ticker.advance(Duration.ofSeconds(5));
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
  }

  @Test
  void ignoresRetryAfterWhenNotAccepted() {
    CircuitBreaker b = new CircuitBreaker(config(3, 0, 1, false, 1));
    fail(b, 2);
    b.onFailure(now(), OptionalLong.of(120_000));
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(TRIP.toNanos());
    ticker.advance(TRIP);
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
  }

  @Test
  void aRetryAfterWhileOpenExtendsTheOpenTimeButNeverShortensIt() {
    CircuitBreaker b = countBreaker();
    fail(b, 3); // open for 30 s
    ticker.advance(Duration.ofSeconds(10));
    b.onFailure(now(), OptionalLong.of(5_000)); // would end at 15 s: ignored
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofSeconds(20).toNanos());
    b.onFailure(now(), OptionalLong.of(60_000)); // ends at 70 s: extends
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofSeconds(60).toNanos());
    b.onFailure(now(), NO_RETRY_AFTER);
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofSeconds(60).toNanos());
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void aHugeRetryAfterSaturatesInsteadOfOverflowing() {
    CircuitBreaker b = countBreaker();
    fail(b, 2);
    b.onFailure(now(), OptionalLong.of(Long.MAX_VALUE));
    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(CircuitBreaker.MAX_OPEN_NANOS);
    ticker.advance(Duration.ofDays(365));
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  // ---- half-open ----

  private CircuitBreaker halfOpen(int probes) {
    CircuitBreaker b = new CircuitBreaker(config(3, 0, 1, true, probes), recorder);
    fail(b, 3);
    ticker.advance(TRIP);
    return b;
  }

  @Test
  void halfOpenClosesWhenEveryProbeSucceeded() {
    CircuitBreaker b = halfOpen(2);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    b.onSuccess(now());
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
    b.onSuccess(now());

    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.snapshot(now()).windowCalls()).isZero(); // a fresh window
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    fail(b, 2);
    assertThat(b.state(now())).isEqualTo(CLOSED); // old failures do not linger
  }

  @Test
  void aFailedProbeReopensAtOnceForAnotherTripDuration() {
    CircuitBreaker b = halfOpen(2);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    b.onSuccess(now());
    b.onFailure(now(), NO_RETRY_AFTER);

    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(TRIP.toNanos());
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    ticker.advance(TRIP);
    assertThat(b.tryAcquirePermission(now())).isTrue(); // a new round of probes
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isFalse();
  }

  // ---- early trial (the pool's ejection cap) ----

  @Test
  void halfOpenEarlyPutsAnOpenBreakerOnTrialWithItsUsualProbeAllowance() {
    CircuitBreaker b = new CircuitBreaker(config(1, 0, 1, true, 2), recorder);
    fail(b, 1);
    ticker.advance(Duration.ofSeconds(5)); // 25 s of its open time left

    assertThat(b.halfOpenEarly(now())).isTrue();

    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
    assertThat(b.snapshot(now()).halfOpenEarly()).isTrue();
    assertThat(b.snapshot(now()).nanosUntilPermitted()).isZero();
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isFalse(); // a trickle: two probes, not the full load
    b.onSuccess(now());
    b.onSuccess(now());
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.snapshot(now()).halfOpenEarly()).isFalse();
  }

  @Test
  void aFailedEarlyProbeReopensForAWholeTripDuration() {
    CircuitBreaker b = new CircuitBreaker(config(1, 0, 1, true, 1), recorder);
    fail(b, 1);
    b.halfOpenEarly(now());
    assertThat(b.tryAcquirePermission(now())).isTrue();
    ticker.advance(Duration.ofSeconds(2));

    b.onFailure(now(), NO_RETRY_AFTER);

    assertThat(b.state(now())).isEqualTo(OPEN);
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(TRIP.toNanos());
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
  }

  @Test
  void halfOpenEarlyLeavesEveryStateButOpenAlone() {
    CircuitBreaker closed = new CircuitBreaker(config(1, 0, 1, true, 1));
    assertThat(closed.halfOpenEarly(now())).isFalse();
    assertThat(closed.state(now())).isEqualTo(CLOSED);

    CircuitBreaker forced = new CircuitBreaker(config(1, 0, 1, true, 1));
    fail(forced, 1);
    forced.forceOpen(now());
    assertThat(forced.halfOpenEarly(now())).isFalse(); // an operator's decision stands
    assertThat(forced.state(now())).isEqualTo(FORCED_OPEN);

    CircuitBreaker disabled = new CircuitBreaker(config(1, 0, 1, true, 1));
    disabled.disable(now());
    assertThat(disabled.halfOpenEarly(now())).isFalse();
    assertThat(disabled.state(now())).isEqualTo(DISABLED);

    CircuitBreaker probing = halfOpen(1);
    assertThat(probing.tryAcquirePermission(now())).isTrue();
    assertThat(probing.halfOpenEarly(now())).isFalse(); // no fresh permits for a round already under way
    assertThat(probing.tryAcquirePermission(now())).isFalse();
    assertThat(probing.snapshot(now()).halfOpenEarly()).isFalse(); // half-open because its time came
  }

  // ---- the default rule on a fresh window (after a start, a close, or 30 s without calls) ----

  @Test
  void withTheDefaultsAFreshWindowTripsOnThreeFailuresAmongItsFirstFiveOutcomes() {
    // Outcomes arrive in the order calls end, not the order they started: after a restart under load, three calls
    // that fail fast (a refused connection, an instant 500) are recorded before the successes of calls that take
    // seconds to generate, whatever their share among the calls in flight.
    CircuitBreaker b = new CircuitBreaker(BreakerConfig.DEFAULTS);
    fail(b, 3);
    succeed(b, 1);
    assertThat(b.state(now())).isEqualTo(CLOSED); // 4 calls: below minimumCalls
    succeed(b, 1);
    assertThat(b.state(now())).isEqualTo(OPEN); // 3 of 5

    CircuitBreaker two = new CircuitBreaker(BreakerConfig.DEFAULTS);
    fail(two, 2);
    succeed(two, 3);
    fail(two, 1);
    assertThat(two.state(now())).isEqualTo(OPEN); // 3 of 6 = 50 %
    CircuitBreaker fewer = new CircuitBreaker(BreakerConfig.DEFAULTS);
    fail(fewer, 2);
    succeed(fewer, 100);
    assertThat(fewer.state(now())).isEqualTo(CLOSED); // never on fewer than 3 failures
  }

  @Test
  void aFailedProbeWithRetryAfterReopensForThatLong() {
    CircuitBreaker b = halfOpen(1);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    b.onFailure(now(), OptionalLong.of(90_000));
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Duration.ofSeconds(90).toNanos());
  }

  @Test
  void admitsOnlyHalfOpenProbesConcurrentProbesAndIgnoredGivesAPermitBack() {
    CircuitBreaker b = halfOpen(2);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.isCallPermitted(now())).isFalse();
    assertThat(b.tryAcquirePermission(now())).isFalse();
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(TRIP.toNanos()); // documented estimate

    b.onIgnored(); // e.g. the client went away
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
    assertThat(b.isCallPermitted(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isFalse();
  }

  @Test
  void aSucceededProbeDoesNotFreeItsPermitForAnotherProbe() {
    CircuitBreaker b = halfOpen(2);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    b.onSuccess(now());
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isFalse();
  }

  @Test
  void outcomesThatCannotBeAProbesAreDropped() {
    CircuitBreaker b = countBreaker();
    fail(b, 3);
    succeed(b, 5); // calls admitted before the trip, finishing late
    assertThat(b.state(now())).isEqualTo(OPEN);

    ticker.advance(TRIP);
    fail(b, 1); // no probe in flight
    assertThat(b.state(now())).isEqualTo(HALF_OPEN);
    b.onIgnored();
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(b.tryAcquirePermission(now())).isFalse();
  }

  // ---- operator states ----

  @Test
  void forcedOpenRefusesEverythingUntilReset() {
    CircuitBreaker b = countBreaker();
    b.forceOpen(now());
    assertThat(b.state(now())).isEqualTo(FORCED_OPEN);
    assertThat(b.isCallPermitted(now())).isFalse();
    assertThat(b.tryAcquirePermission(now())).isFalse();
    assertThat(b.nanosUntilPermitted(now())).isEqualTo(Long.MAX_VALUE);

    ticker.advance(Duration.ofDays(1));
    succeed(b, 10);
    assertThat(b.state(now())).isEqualTo(FORCED_OPEN);
    assertThat(b.isCallPermitted(now())).isFalse();

    b.reset(now());
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.tryAcquirePermission(now())).isTrue();
    assertThat(transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
  }

  @Test
  void disabledByConfigAlwaysPermitsAndNeverTrips() {
    BreakerConfig off = new BreakerConfig(false, 1, 1, 1, WINDOW, TRIP, true, 1, Set.of(500));
    CircuitBreaker b = new CircuitBreaker(off, recorder);
    assertThat(b.state(now())).isEqualTo(DISABLED);
    for (int i = 0; i < 100; i++) {
      assertThat(b.tryAcquirePermission(now())).isTrue();
      b.onFailure(now(), OptionalLong.of(60_000));
    }
    assertThat(b.state(now())).isEqualTo(DISABLED);
    assertThat(b.isCallPermitted(now())).isTrue();
    assertThat(b.nanosUntilPermitted(now())).isZero();
    assertThat(b.snapshot(now()))
        .isEqualTo(new CircuitBreaker.Snapshot(DISABLED, 100, 100, 100.0, 0)); // still counted for the admin view
    assertThat(transitions).isEmpty();
  }

  @Test
  void disabledByAnOperatorPermitsAnOpenBackendUntilReset() {
    CircuitBreaker b = countBreaker();
    fail(b, 3);
    b.disable(now());
    assertThat(b.isCallPermitted(now())).isTrue();
    fail(b, 10);
    assertThat(b.state(now())).isEqualTo(DISABLED);
    b.reset(now());
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.snapshot(now()).windowCalls()).isZero();
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->DISABLED", "DISABLED->CLOSED");
  }

  @Test
  void resetClosesAnOpenBreakerWithAnEmptyWindow() {
    CircuitBreaker b = countBreaker();
    fail(b, 3);
    b.reset(now());
    assertThat(b.state(now())).isEqualTo(CLOSED);
    assertThat(b.snapshot(now()).windowFailures()).isZero();
    fail(b, 2);
    assertThat(b.state(now())).isEqualTo(CLOSED);
  }

  @Test
  void repeatingAnOperatorActionIsNotATransition() {
    CircuitBreaker b = countBreaker();
    b.forceOpen(now());
    b.forceOpen(now());
    b.disable(now());
    b.disable(now());
    b.reset(now());
    b.reset(now());
    assertThat(transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->CLOSED");
  }

  // ---- views and listener ----

  @Test
  void snapshotShowsTheWindowAndTheWait() {
    CircuitBreaker b = new CircuitBreaker(config(0, 50, 4, true, 1));
    succeed(b, 3);
    fail(b, 1);
    assertThat(b.snapshot(now())).isEqualTo(new CircuitBreaker.Snapshot(CLOSED, 4, 1, 25.0, 0));
    fail(b, 3);
    ticker.advance(Duration.ofSeconds(20)); // the window has emptied meanwhile
    assertThat(b.snapshot(now()))
        .isEqualTo(new CircuitBreaker.Snapshot(OPEN, 0, 0, 0.0, Duration.ofSeconds(10).toNanos()));
  }

  @Test
  void aThrowingListenerDoesNotBreakTheCallerOrTheTransition() {
    CircuitBreaker b = new CircuitBreaker(config(1, 0, 1, true, 1), (from, to, now) -> {
      throw new IllegalArgumentException("boom");
    });
    b.onFailure(now(), NO_RETRY_AFTER);
    assertThat(b.state(now())).isEqualTo(OPEN);
  }

  @Test
  void listenerHearsTheTickerReadingOfTheCallThatCausedTheTransition() {
    List<Long> times = new CopyOnWriteArrayList<>();
    CircuitBreaker b = new CircuitBreaker(config(1, 0, 1, true, 1), (from, to, now) -> times.add(now));
    b.onFailure(now(), NO_RETRY_AFTER);
    assertThat(times).containsExactly(now());
  }
}
