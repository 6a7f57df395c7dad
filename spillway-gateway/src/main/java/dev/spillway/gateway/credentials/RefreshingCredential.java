package dev.spillway.gateway.credentials;

import dev.spillway.core.time.Ticker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A credential fetched from a {@link CredentialSource}, cached, refreshed ahead of expiry, and
 * fetched by at most one call at a time however many event loops ask.
 *
 * <h2>Design</h2>
 *
 * <p>All mutable state is one immutable {@link State} in an {@link AtomicReference}: the cached
 * credential (if any), the fetch under way (if any) and when the last fetch failed. Every change is
 * a compare-and-set from the state a caller saw, so there are no locks and nothing blocks an event
 * loop. What to do is decided by {@link CachedCredential#freshness}, a pure function of the ticker:
 *
 * <ul>
 *   <li><b>fresh</b>: return the cached header as an already-completed future (the hot path: one
 *       volatile read, one ticker read, no allocation);
 *   <li><b>stale</b> (inside the refresh-ahead window): return the cached header and, if no fetch
 *       is running and the last failed refresh is more than {@link #FAILED_REFRESH_BACKOFF} ago,
 *       start one in the background;
 *   <li><b>expired or absent</b>: join the running fetch, or start one.
 * </ul>
 *
 * <p>Starting a fetch means winning the compare-and-set that installs its future; losers re-read
 * the state and join it. So 100 cold callers cause exactly one fetch. When the fetch ends, the state
 * is updated first and the waiters are completed second, so a caller arriving in between already
 * sees the new credential. A failed fetch keeps a still-usable credential (it is served until it
 * expires, and refreshes are retried at most every {@link #FAILED_REFRESH_BACKOFF}); failures are
 * not cached, so with nothing to serve the next caller tries again.
 *
 * <p>{@link #invalidate()} only drops the cached credential: a fetch already running was started
 * after that credential was obtained, so it is joined rather than duplicated.
 *
 * <p>Waiters get their result on their own Vert.x context: the fetch runs on whichever context
 * started it, and the result is handed over with {@link Context#runOnContext} when that differs.
 */
final class RefreshingCredential implements BackendCredential {
  /** After a failed background refresh, the next one waits this long (the cached one is served). */
  static final Duration FAILED_REFRESH_BACKOFF = Duration.ofSeconds(10);

  private static final Logger LOG = System.getLogger("spillway.credentials");

  /**
   * @param cached the credential to serve while it is not expired
   * @param fetching the fetch under way; waiters join it
   * @param lastFailureNanos the ticker reading when the last fetch failed; cleared by a success
   */
  private record State(
      Optional<CachedCredential> cached, Optional<Future<CachedCredential>> fetching, OptionalLong lastFailureNanos) {
    static final State EMPTY = new State(Optional.empty(), Optional.empty(), OptionalLong.empty());

    boolean mayRefreshInBackground(long nowNanos) {
      return fetching.isEmpty()
          && (lastFailureNanos.isEmpty() || nowNanos - lastFailureNanos.getAsLong() >= FAILED_REFRESH_BACKOFF.toNanos());
    }
  }

  private final String backendId;
  private final CredentialSource source;
  private final Ticker ticker;
  private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);

  RefreshingCredential(String backendId, CredentialSource source, Ticker ticker) {
    this.backendId = backendId;
    this.source = source;
    this.ticker = ticker;
  }

  @Override
  public Future<Optional<CredentialHeader>> header() {
    while (true) {
      State seen = state.get();
      long now = ticker.read();
      if (seen.cached().isPresent()) {
        CachedCredential cached = seen.cached().get();
        switch (cached.freshness(now)) {
          case FRESH -> {
            return cached.ready();
          }
          case STALE -> {
            if (seen.mayRefreshInBackground(now) && start(seen, true).isEmpty()) {
              continue; // lost a race; look again
            }
            return cached.ready();
          }
          case EXPIRED -> {}
        }
      }
      if (seen.fetching().isPresent()) {
        return onCallerContext(seen.fetching().get());
      }
      Optional<Future<CachedCredential>> started = start(seen, false);
      if (started.isPresent()) {
        return onCallerContext(started.get());
      }
    }
  }

  @Override
  public void invalidate() {
    state.updateAndGet(s -> s.cached().isEmpty() ? s : new State(Optional.empty(), s.fetching(), s.lastFailureNanos()));
  }

  @Override
  public void invalidate(CredentialHeader rejected) {
    state.updateAndGet(
        s ->
            s.cached().filter(c -> c.header().equals(rejected)).isEmpty()
                ? s
                : new State(Optional.empty(), s.fetching(), s.lastFailureNanos()));
  }

  /** Completes when no fetch is under way (successfully even if the fetch failed); for tests. */
  Future<Void> whenIdle() {
    return state.get().fetching().map(f -> f.<Void>transform(ar -> Future.succeededFuture())).orElse(Future.succeededFuture());
  }

  /**
   * Installs a new fetch if the state is still {@code seen}; empty when another caller changed it
   * first. The fetch itself starts only after the install, so it never runs twice.
   */
  private Optional<Future<CachedCredential>> start(State seen, boolean keepCached) {
    Promise<CachedCredential> promise = Promise.promise();
    State next = new State(keepCached ? seen.cached() : Optional.empty(), Optional.of(promise.future()), seen.lastFailureNanos());
    if (!state.compareAndSet(seen, next)) {
      return Optional.empty();
    }
    Future<CachedCredential> fetched;
    try {
      fetched = source.fetch();
    } catch (RuntimeException bug) {
      fetched = Future.failedFuture(bug);
    }
    fetched.onComplete(ar -> settle(promise, ar));
    return Optional.of(promise.future());
  }

  private void settle(Promise<CachedCredential> promise, AsyncResult<CachedCredential> result) {
    long now = ticker.read();
    Future<CachedCredential> mine = promise.future();
    OptionalLong[] failedBefore = {OptionalLong.empty()};
    State after =
        state.updateAndGet(
            s -> {
              failedBefore[0] = s.lastFailureNanos();
              Optional<Future<CachedCredential>> fetching = s.fetching().filter(f -> f != mine);
              return result.succeeded()
                  ? new State(Optional.of(result.result()), fetching, OptionalLong.empty())
                  : new State(s.cached(), fetching, OptionalLong.of(now));
            });
    if (result.failed()) {
      Optional<CachedCredential> stillServed = after.cached().filter(c -> c.freshness(now) != CachedCredential.Freshness.EXPIRED);
      if (stillServed.isPresent()) {
        LOG.log(
            Level.WARNING,
            "backend {0}: credential refresh failed, serving the cached one for {1} s more: {2}",
            backendId,
            stillServed.get().remaining(now).toSeconds(),
            result.cause().getMessage());
      } else if (failedBefore[0].isEmpty() || now - failedBefore[0].getAsLong() >= FAILED_REFRESH_BACKOFF.toNanos()) {
        // With nothing cached every request tries again; one line per backoff period says why they fail.
        LOG.log(Level.WARNING, "backend {0}: no credential: {1}", backendId, result.cause().getMessage());
      }
    }
    promise.handle(result);
  }

  /** {@code fetch}'s outcome, delivered on the caller's context when it has one. */
  private static Future<Optional<CredentialHeader>> onCallerContext(Future<CachedCredential> fetch) {
    Context caller = Vertx.currentContext();
    Promise<Optional<CredentialHeader>> result = Promise.promise();
    fetch.onComplete(
        ar -> {
          if (caller == null || Vertx.currentContext() == caller) {
            deliver(result, ar);
          } else {
            caller.runOnContext(v -> deliver(result, ar));
          }
        });
    return result.future();
  }

  private static void deliver(Promise<Optional<CredentialHeader>> result, AsyncResult<CachedCredential> ar) {
    if (ar.succeeded()) {
      result.complete(Optional.of(ar.result().header()));
    } else {
      result.fail(ar.cause());
    }
  }

  @Override
  public String toString() {
    return "BackendCredential[backend=" + backendId + ", " + source + "]";
  }
}
