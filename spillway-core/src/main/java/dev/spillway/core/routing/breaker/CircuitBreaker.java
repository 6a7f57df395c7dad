package dev.spillway.core.routing.breaker;

import dev.spillway.core.config.BreakerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The circuit breaker of one backend deployment.
 *
 * <h2>Why it exists</h2>
 *
 * A backend that answers 5xx, times out or refuses connections costs every request that tries it
 * a full attempt (often a timeout) before the router moves on. The breaker notices such a backend
 * from its recent results and takes it out of rotation for a while, then lets a few probe calls
 * through to find out whether it recovered. Throttling (429) is not its business: that is the
 * throttle state of {@link dev.spillway.core.routing.BackendState}.
 *
 * <h2>State machine</h2>
 *
 * The states and the legal transitions are in {@link BreakerState}.
 *
 * <ul>
 *   <li>{@code CLOSED}: every call is permitted; each outcome is recorded in a {@link SlidingWindow}.
 *       After recording, when the window holds at least {@code minimumCalls} calls and either
 *       {@code failures >= failureThreshold} (if that is &gt; 0) or {@code failures * 100 >=
 *       failureRatePercent * calls} (if that is &gt; 0), the breaker trips to OPEN.
 *   <li>{@code OPEN}: calls are refused until {@code openUntil} = trip time + {@code tripDuration},
 *       or + the failure's Retry-After when {@code acceptRetryAfter} and the failure carried one. A
 *       later failure carrying a Retry-After may push {@code openUntil} out, never in.
 *   <li>{@code HALF_OPEN}: once {@code openUntil} has passed, up to {@code halfOpenProbes} probe
 *       calls are admitted by {@link #tryAcquirePermission}. The first probe failure re-opens the
 *       breaker at once; when {@code halfOpenProbes} probes have succeeded it closes with a fresh
 *       window. {@link #onIgnored} gives a probe permit back. The OPEN -> HALF_OPEN step is lazy:
 *       {@link #state} and {@link #isCallPermitted} report it as soon as the time has passed, and
 *       {@link #tryAcquirePermission} performs it (and the listener hears it) with the first probe.
 *   <li>Early trial: {@link #halfOpenEarly} moves an OPEN breaker to HALF_OPEN before {@code openUntil}, with
 *       every probe permit free and {@code openUntil} kept (so {@link Snapshot#halfOpenEarly} can tell). The pool
 *       calls it when its breakers would otherwise hold out more than {@code maxEjectedPercent} of its backends (see
 *       {@code dev.spillway.core.routing.EjectionCap}); from then on it is an ordinary half-open round, so the
 *       backend gets at most {@code halfOpenProbes} calls at a time, a failure re-opens it for a full open time and
 *       a passed round closes it.
 *   <li>{@code FORCED_OPEN} and {@code DISABLED}: set by an operator ({@code DISABLED} also by
 *       config); they refuse, respectively permit, everything until {@link #reset}. DISABLED keeps
 *       counting the window for the admin view but never trips.
 * </ul>
 *
 * Outcomes are not tied to permits (the API carries no token), so an outcome that cannot be a
 * probe's, such as a success arriving while OPEN from a call admitted before the trip, is dropped;
 * in HALF_OPEN an outcome counts as a probe's only while a probe is in flight.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe and lock-free. The whole state (kind, window, open-until, probe counts) is one
 * immutable {@code State} in an {@link AtomicReference}; every operation computes the next state
 * as a pure function of {@code (state, outcome, nowNanos)} and installs it with compare-and-set,
 * retrying on contention, so no update is ever lost and the window and the state always agree.
 * A transition is published to the {@link BreakerListener} once, by the thread whose CAS made it,
 * after it took effect. Time is never read here: every method takes a {@link
 * dev.spillway.core.time.Ticker} reading, so tests drive it with a {@code ManualTicker}.
 *
 * <h2>Contract for callers</h2>
 *
 * The router calls {@link #tryAcquirePermission} once for the backend it chose, and later exactly
 * one of {@link #onSuccess}, {@link #onFailure} or {@link #onIgnored} for that call. A half-open
 * permit that is never reported stays taken (the breaker would stay HALF_OPEN until reset).
 */
public final class CircuitBreaker {
  private static final System.Logger LOG = System.getLogger("spillway.breaker");

  /** Upper bound on any open time, about 73 years: keeps {@code now + openNanos} free of overflow. */
  static final long MAX_OPEN_NANOS = Long.MAX_VALUE / 4;

  private final BreakerConfig config;
  private final BreakerListener listener;
  private final long tripNanos;
  private final AtomicReference<State> state;

  /** A breaker with no listener; starts CLOSED, or DISABLED when {@code !config.enabled()}. */
  public CircuitBreaker(BreakerConfig config) {
    this(config, BreakerListener.noop());
  }

  /** A breaker whose transitions {@code listener} hears; starts CLOSED, or DISABLED when {@code !config.enabled()}. */
  public CircuitBreaker(BreakerConfig config, BreakerListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.tripNanos = saturatedNanos(config.tripDuration());
    BreakerState initial = config.enabled() ? BreakerState.CLOSED : BreakerState.DISABLED;
    this.state = new AtomicReference<>(new State(initial, SlidingWindow.empty(config.window()), 0, 0, 0));
  }

  // ---- permission ----

  /**
   * Whether a call would be permitted now. Read-only: consumes nothing and changes nothing, so the
   * router can use it to filter candidates. CLOSED and DISABLED: true; OPEN: false until the open
   * time has passed; HALF_OPEN: true while probe permits remain; FORCED_OPEN: false.
   */
  public boolean isCallPermitted(long nowNanos) {
    State s = state.get();
    return switch (s.kind) {
      case CLOSED, DISABLED -> true;
      case FORCED_OPEN -> false;
      case OPEN -> s.openTimeElapsed(nowNanos); // then HALF_OPEN with every permit free
      case HALF_OPEN -> s.probesTaken() < config.halfOpenProbes();
    };
  }

  /**
   * Like {@link #isCallPermitted} but, in HALF_OPEN, takes a probe permit (performing the lazy
   * OPEN -> HALF_OPEN step when it is due). The router calls it once it has chosen this backend,
   * and must then report the call's outcome.
   *
   * @return true when the call may go to this backend
   */
  public boolean tryAcquirePermission(long nowNanos) {
    while (true) {
      State s = state.get();
      State next;
      switch (s.kind) {
        case CLOSED, DISABLED -> {
          return true;
        }
        case FORCED_OPEN -> {
          return false;
        }
        case OPEN -> {
          if (!s.openTimeElapsed(nowNanos)) {
            return false;
          }
          next = new State(BreakerState.HALF_OPEN, s.window, s.openUntilNanos, 1, 0);
        }
        case HALF_OPEN -> {
          if (s.probesTaken() >= config.halfOpenProbes()) {
            return false;
          }
          next = s.withProbes(s.probesInFlight + 1, s.probeSuccesses);
        }
        default -> throw new AssertionError(s.kind);
      }
      if (install(s, next, nowNanos)) {
        return true;
      }
    }
  }

  /**
   * Puts an OPEN breaker on trial now, ahead of its open time: HALF_OPEN with every probe permit free. The pool's
   * ejection cap calls it; no other state changes (a forced-open breaker stays forced: an operator decided).
   *
   * @return true when this call moved the breaker from OPEN to HALF_OPEN
   */
  public boolean halfOpenEarly(long nowNanos) {
    while (true) {
      State s = state.get();
      if (s.kind != BreakerState.OPEN) {
        return false;
      }
      if (install(s, new State(BreakerState.HALF_OPEN, s.window, s.openUntilNanos, 0, 0), nowNanos)) {
        return true;
      }
    }
  }

  // ---- outcomes ----

  /** A permitted call succeeded. */
  public void onSuccess(long nowNanos) {
    update(nowNanos, s -> switch (s.kind) {
      case CLOSED -> afterRecording(s, s.window.record(nowNanos, false), nowNanos, OptionalLong.empty());
      case DISABLED -> s.withWindow(s.window.record(nowNanos, false));
      case HALF_OPEN -> {
        if (s.probesInFlight == 0) {
          yield s; // not a probe's outcome
        }
        yield s.probeSuccesses + 1 >= config.halfOpenProbes()
            ? new State(BreakerState.CLOSED, s.window.cleared(), 0, 0, 0)
            : s.withProbes(s.probesInFlight - 1, s.probeSuccesses + 1);
      }
      case OPEN, FORCED_OPEN -> s; // a call admitted before the breaker opened
    });
  }

  /**
   * A permitted call failed in a way that counts: a status in {@code failureStatuses}, a timeout or
   * a connection error (the caller decides; 429 and client errors go to {@link #onIgnored}).
   *
   * @param retryAfterMillis the backend's Retry-After, if it sent one (e.g. a 503); used as the
   *     open time instead of {@code tripDuration} when {@code acceptRetryAfter}
   */
  public void onFailure(long nowNanos, OptionalLong retryAfterMillis) {
    Objects.requireNonNull(retryAfterMillis, "retryAfterMillis");
    update(nowNanos, s -> switch (s.kind) {
      case CLOSED -> afterRecording(s, s.window.record(nowNanos, true), nowNanos, retryAfterMillis);
      case DISABLED -> s.withWindow(s.window.record(nowNanos, true));
      case HALF_OPEN -> s.probesInFlight == 0
          ? s // not a probe's outcome
          : new State(BreakerState.OPEN, s.window, nowNanos + openNanos(retryAfterMillis), 0, 0);
      case OPEN -> extendedByRetryAfter(s, nowNanos, retryAfterMillis);
      case FORCED_OPEN -> s;
    });
  }

  /**
   * A permitted call ended without saying anything about the backend's health (the client went
   * away, a client error, a 429). Gives a half-open probe permit back; otherwise does nothing.
   */
  public void onIgnored() {
    update(0, s -> s.kind == BreakerState.HALF_OPEN && s.probesInFlight > 0
        ? s.withProbes(s.probesInFlight - 1, s.probeSuccesses)
        : s);
  }

  // ---- reading ----

  /** The state now; OPEN reads as HALF_OPEN once its open time has passed. */
  public BreakerState state(long nowNanos) {
    return state.get().effectiveKind(nowNanos);
  }

  /**
   * Nanos until a call would be permitted: 0 when it is now, {@link Long#MAX_VALUE} when FORCED_OPEN
   * (only an operator ends that). When HALF_OPEN with every probe permit taken, the wait depends on
   * the probes' outcomes; this then answers {@code tripDuration}, what a failing probe would cost.
   */
  public long nanosUntilPermitted(long nowNanos) {
    return nanosUntilPermitted(state.get(), nowNanos);
  }

  /** A consistent view of the breaker for the admin API; all fields come from one state read. */
  public Snapshot snapshot(long nowNanos) {
    State s = state.get();
    SlidingWindow w = s.window.advance(nowNanos);
    double rate = w.calls() == 0 ? 0.0 : w.failures() * 100.0 / w.calls();
    boolean early = s.kind == BreakerState.HALF_OPEN && !s.openTimeElapsed(nowNanos);
    return new Snapshot(
        s.effectiveKind(nowNanos), w.calls(), w.failures(), rate, nanosUntilPermitted(s, nowNanos), early);
  }

  /**
   * What the admin view shows of one breaker.
   *
   * @param state as {@link #state(long)}
   * @param windowCalls calls in the sliding window
   * @param windowFailures failures among them
   * @param failureRatePercent {@code windowFailures * 100 / windowCalls}, 0 when there were no calls
   * @param nanosUntilPermitted as {@link #nanosUntilPermitted(long)}
   * @param halfOpenEarly HALF_OPEN before its open time ended: put on trial by {@link #halfOpenEarly} (the pool's
   *     ejection cap)
   */
  public record Snapshot(
      BreakerState state,
      int windowCalls,
      int windowFailures,
      double failureRatePercent,
      long nanosUntilPermitted,
      boolean halfOpenEarly) {

    /** A breaker that is not on an early trial. */
    public Snapshot(
        BreakerState state, int windowCalls, int windowFailures, double failureRatePercent, long nanosUntilPermitted) {
      this(state, windowCalls, windowFailures, failureRatePercent, nanosUntilPermitted, false);
    }
  }

  // ---- operator actions ----

  /** Operator: refuse every call until {@link #reset}. */
  public void forceOpen(long nowNanos) {
    update(nowNanos, s -> s.kind == BreakerState.FORCED_OPEN
        ? s
        : new State(BreakerState.FORCED_OPEN, s.window, 0, 0, 0));
  }

  /** Operator: permit every call and never trip until {@link #reset}. */
  public void disable(long nowNanos) {
    update(nowNanos, s -> s.kind == BreakerState.DISABLED
        ? s
        : new State(BreakerState.DISABLED, s.window, 0, 0, 0));
  }

  /** Operator: back to CLOSED with an empty window, whatever the state (also from a config-DISABLED start). */
  public void reset(long nowNanos) {
    update(nowNanos, s -> s.kind == BreakerState.CLOSED
        ? s.withWindow(s.window.cleared())
        : new State(BreakerState.CLOSED, s.window.cleared(), 0, 0, 0));
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + state.get() + "]";
  }

  // ---- pure steps ----

  /** CLOSED after recording into {@code w}: trips when the window says so. */
  private State afterRecording(State s, SlidingWindow w, long nowNanos, OptionalLong retryAfterMillis) {
    if (!shouldTrip(w)) {
      return s.withWindow(w);
    }
    return new State(BreakerState.OPEN, w, nowNanos + openNanos(retryAfterMillis), 0, 0);
  }

  private boolean shouldTrip(SlidingWindow w) {
    long calls = w.calls();
    long failures = w.failures();
    if (calls < config.minimumCalls()) {
      return false;
    }
    int threshold = config.failureThreshold();
    int rate = config.failureRatePercent();
    return (threshold > 0 && failures >= threshold) || (rate > 0 && failures * 100 >= rate * calls);
  }

  /** OPEN: a Retry-After may push the open time out, never in. */
  private State extendedByRetryAfter(State s, long nowNanos, OptionalLong retryAfterMillis) {
    if (!config.acceptRetryAfter() || retryAfterMillis.isEmpty()) {
      return s;
    }
    long until = nowNanos + millisToOpenNanos(retryAfterMillis.getAsLong());
    return until - s.openUntilNanos > 0 ? new State(BreakerState.OPEN, s.window, until, 0, 0) : s;
  }

  private long openNanos(OptionalLong retryAfterMillis) {
    return config.acceptRetryAfter() && retryAfterMillis.isPresent()
        ? millisToOpenNanos(retryAfterMillis.getAsLong())
        : tripNanos;
  }

  private long nanosUntilPermitted(State s, long nowNanos) {
    return switch (s.kind) {
      case CLOSED, DISABLED -> 0;
      case FORCED_OPEN -> Long.MAX_VALUE;
      case OPEN -> Math.max(0, s.openUntilNanos - nowNanos);
      case HALF_OPEN -> s.probesTaken() < config.halfOpenProbes() ? 0 : tripNanos;
    };
  }

  static long millisToOpenNanos(long millis) {
    if (millis <= 0) {
      return 0;
    }
    return millis >= MAX_OPEN_NANOS / 1_000_000 ? MAX_OPEN_NANOS : millis * 1_000_000;
  }

  private static long saturatedNanos(Duration d) {
    return d.compareTo(Duration.ofNanos(MAX_OPEN_NANOS)) >= 0 ? MAX_OPEN_NANOS : d.toNanos();
  }

  // ---- CAS machinery ----

  private void update(long nowNanos, UnaryOperator<State> step) {
    while (true) {
      State s = state.get();
      State next = step.apply(s);
      if (next == s || install(s, next, nowNanos)) {
        return;
      }
    }
  }

  /** One CAS attempt; on success publishes the transition, if any. */
  private boolean install(State prev, State next, long nowNanos) {
    if (prev.kind != next.kind) {
      BreakerState.requireLegal(prev.kind, next.kind);
    }
    if (!state.compareAndSet(prev, next)) {
      return false;
    }
    if (prev.kind != next.kind) {
      publish(prev.kind, next.kind, nowNanos);
    }
    return true;
  }

  private void publish(BreakerState from, BreakerState to, long nowNanos) {
    try {
      listener.onTransition(from, to, nowNanos);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "breaker listener " + listener.getClass().getName() + " failed on "
          + from + " -> " + to + ": " + e);
    }
  }

  /**
   * The whole breaker state, immutable. {@code openUntilNanos} matters in OPEN (and is kept through
   * HALF_OPEN for reference); the probe counts only in HALF_OPEN.
   */
  private record State(
      BreakerState kind, SlidingWindow window, long openUntilNanos, int probesInFlight, int probeSuccesses) {

    boolean openTimeElapsed(long nowNanos) {
      return nowNanos - openUntilNanos >= 0;
    }

    BreakerState effectiveKind(long nowNanos) {
      return kind == BreakerState.OPEN && openTimeElapsed(nowNanos) ? BreakerState.HALF_OPEN : kind;
    }

    /** Probe permits handed out this half-open round and not given back. */
    int probesTaken() {
      return probesInFlight + probeSuccesses;
    }

    State withWindow(SlidingWindow w) {
      return w == window ? this : new State(kind, w, openUntilNanos, probesInFlight, probeSuccesses);
    }

    State withProbes(int inFlight, int successes) {
      return new State(kind, window, openUntilNanos, inFlight, successes);
    }
  }
}
