package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One issuer's signing keys, loaded lazily from a {@link JwksSource} and shared by every event loop.
 *
 * <h2>Design</h2>
 *
 * <p>The cache is an immutable {@link State} in an {@link AtomicReference}; every change is a
 * compare-and-set, so no lock is held and no thread waits on another. A lookup reads the state and
 * takes one of four steps ({@link #decide}, a pure function of state and time):
 *
 * <ul>
 *   <li><b>use cached</b>: the keys are younger than {@code maxAge} and one matches;
 *   <li><b>join</b>: a load is already in flight, so wait for it rather than start another
 *       (single flight: fifty cold requests share one fetch);
 *   <li><b>fetch</b>: the keys are missing, stale, or lack the requested {@code kid}, and the last
 *       attempt began at least {@code minRefreshInterval} ago;
 *   <li>otherwise answer from whatever is cached (so an unknown {@code kid} fails at once), or fail
 *       when nothing was ever loaded.
 * </ul>
 *
 * <p>The rate limit counts attempts, not successes, so an endpoint that is down is asked at most
 * once per interval. A failed load keeps the previous keys: an identity provider outage does not
 * lock out tokens signed by keys we already trust.
 *
 * <p>Thread-safe. Futures returned here complete on whichever thread finished the load; callers
 * that care about their Vert.x context hop back themselves ({@link JwtAuthenticator} does).
 */
final class JwksCache {
  private static final Logger LOG = System.getLogger("spillway.auth.jwt");

  enum Step {
    USE_CACHED,
    JOIN_IN_FLIGHT,
    FETCH,
    UNAVAILABLE
  }

  /**
   * @param keys the last loaded key set, if any load ever succeeded
   * @param loadedAtNanos ticker reading when {@code keys} arrived
   * @param lastAttemptNanos ticker reading when the last load started, if one ever did
   * @param inFlight the load under way, shared by everyone waiting for it
   */
  record State(Optional<JWKSet> keys, long loadedAtNanos, OptionalLong lastAttemptNanos, Optional<Future<JWKSet>> inFlight) {
    static final State EMPTY = new State(Optional.empty(), 0L, OptionalLong.empty(), Optional.empty());

    State loading(Future<JWKSet> load, long nowNanos) {
      return new State(keys, loadedAtNanos, OptionalLong.of(nowNanos), Optional.of(load));
    }

    State loaded(JWKSet fresh, long nowNanos) {
      return new State(Optional.of(fresh), nowNanos, lastAttemptNanos, Optional.empty());
    }

    State loadFailed() {
      return new State(keys, loadedAtNanos, lastAttemptNanos, Optional.empty());
    }
  }

  private final String issuer;
  private final JwksSource source;
  private final Ticker ticker;
  private final long minRefreshNanos;
  private final long maxAgeNanos;
  private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);

  JwksCache(String issuer, JwksSource source, Ticker ticker, Duration minRefreshInterval, Duration maxAge) {
    this.issuer = issuer;
    this.source = source;
    this.ticker = ticker;
    this.minRefreshNanos = minRefreshInterval.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
  }

  /**
   * The keys that match {@code selector}, loading or refreshing first when the rules above allow.
   * An empty list means no such key (an unknown {@code kid}); a failed future means no keys were
   * ever loaded and none can be loaded now.
   */
  Future<List<JWK>> keysMatching(JWKSelector selector) {
    while (true) {
      State current = state.get();
      long now = ticker.read();
      List<JWK> cached = current.keys().map(selector::select).orElse(List.of());
      switch (decide(current, !cached.isEmpty(), now)) {
        case USE_CACHED:
          return Future.succeededFuture(cached);
        case UNAVAILABLE:
          return Future.failedFuture("no JWKS loaded for " + issuer + "; retrying after the min refresh interval");
        case JOIN_IN_FLIGHT:
          return selectAfter(current.inFlight().orElseThrow(), selector);
        case FETCH:
          Promise<JWKSet> load = Promise.promise();
          if (state.compareAndSet(current, current.loading(load.future(), now))) {
            startLoad(load);
            return selectAfter(load.future(), selector);
          }
          break; // another thread changed the state first: look again
        default:
          throw new AssertionError();
      }
    }
  }

  /** Loads now unless a load is in flight (then joins it), ignoring the rate limit: for start-up. */
  Future<JWKSet> loadNow() {
    while (true) {
      State current = state.get();
      if (current.inFlight().isPresent()) {
        return current.inFlight().get();
      }
      Promise<JWKSet> load = Promise.promise();
      if (state.compareAndSet(current, current.loading(load.future(), ticker.read()))) {
        startLoad(load);
        return load.future();
      }
    }
  }

  /** The next step for a lookup, from the state, whether a cached key matched, and the time. */
  Step decide(State current, boolean cachedKeyMatches, long nowNanos) {
    boolean fresh = current.keys().isPresent() && nowNanos - current.loadedAtNanos() < maxAgeNanos;
    if (fresh && cachedKeyMatches) {
      return Step.USE_CACHED;
    }
    if (current.inFlight().isPresent()) {
      return Step.JOIN_IN_FLIGHT;
    }
    OptionalLong lastAttempt = current.lastAttemptNanos();
    if (lastAttempt.isEmpty() || nowNanos - lastAttempt.getAsLong() >= minRefreshNanos) {
      return Step.FETCH;
    }
    return current.keys().isPresent() ? Step.USE_CACHED : Step.UNAVAILABLE;
  }

  private void startLoad(Promise<JWKSet> load) {
    Future<JWKSet> loading;
    try {
      loading = source.load();
    } catch (RuntimeException e) {
      loading = Future.failedFuture(e);
    }
    loading.onComplete(
        result -> {
          if (result.succeeded()) {
            state.updateAndGet(s -> s.loaded(result.result(), ticker.read()));
            LOG.log(Level.DEBUG, "jwks loaded issuer={0} source={1} keys={2}",
                issuer, source.describe(), result.result().size());
          } else {
            state.updateAndGet(State::loadFailed);
            LOG.log(Level.WARNING, "jwks load failed issuer={0} source={1} error={2}",
                issuer, source.describe(), String.valueOf(result.cause()));
          }
          load.handle(result);
        });
  }

  private Future<List<JWK>> selectAfter(Future<JWKSet> load, JWKSelector selector) {
    return load.transform(
        result -> {
          if (result.succeeded()) {
            return Future.succeededFuture(selector.select(result.result()));
          }
          Optional<JWKSet> previous = state.get().keys();
          return previous.isPresent()
              ? Future.succeededFuture(selector.select(previous.get()))
              : Future.failedFuture(result.cause());
        });
  }
}
