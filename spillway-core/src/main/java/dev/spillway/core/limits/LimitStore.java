package dev.spillway.core.limits;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where limit counters live: {@link InMemoryLimitStore} for one replica (the default), {@code
 * RedisLimitStore} to share them between replicas. Every implementation passes the same contract
 * suite ({@code LimitStoreContract}).
 *
 * <p>Life of a request: {@link #reserve} at admission with an estimate ({@code prompt tokens +
 * max_tokens or a default}); {@link #settle} once the response ended, with the real usage. A
 * reservation that is never settled keeps its estimate.
 *
 * <p>Implementations are thread-safe. Stages complete on an implementation-defined thread (an event
 * loop for Redis); they fail only with {@link LimitStoreUnavailableException} when the backing store
 * cannot be reached and the store is configured to fail closed. Invalid arguments are bugs and throw
 * at once.
 */
public interface LimitStore {

  /**
   * Counts one request against every requests-per-minute check and {@code tokens} against every
   * token check, all or nothing: if any check lacks room, nothing is counted and the answer is
   * {@link Admission.Denied}. A reservation larger than a whole limit is denied at once (see {@link
   * Admission.Denied#exceedsWholeLimit()}). An empty {@code checks} list is always allowed.
   *
   * @param requestId unique per reservation; {@link #settle} finds the reservation by it
   * @param checks distinct (counter key, kind) pairs, see {@link LimitCheck#requireDistinct}
   * @param tokens the estimate to reserve, {@code >= 0}
   * @param nowEpochMillis the caller's wall clock. Stores that share state between replicas may use
   *     their own clock instead (Redis uses {@code TIME}) so replica clocks never matter.
   */
  CompletionStage<Admission> reserve(String requestId, List<LimitCheck> checks, long tokens, long nowEpochMillis);

  /**
   * Replaces the reservation by the real usage: adds {@code actualTokens - reservedTokens} to every
   * token counter, in the window the reservation was made in (a refund never takes a counter below
   * zero; an overdraft may take it above the limit, which denies later reservations until the window
   * ends). Request counters are not touched. Idempotent per {@code requestId}: only the first settle
   * of a reservation counts; settling an unknown, expired or already settled request does nothing.
   *
   * @param checks the checks given to {@link #reserve}
   * @param reservedTokens the {@code tokens} given to {@link #reserve}
   * @param actualTokens the usage reported (or counted) for the response, {@code >= 0}
   */
  CompletionStage<Void> settle(
      String requestId, List<LimitCheck> checks, long reservedTokens, long actualTokens, long nowEpochMillis);
}
