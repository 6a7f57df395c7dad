package dev.spillway.bench;

import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway itself reports, by tier: tokens of the answers it passed on (the backend's
 * {@code usage}), 429s it absorbed by retrying elsewhere, and the statuses its clients got. A
 * cross-check of the simulator's own counts. Thread-safe; called on the gateway's event loops.
 */
final class TierTally implements GatewayListener {
  private final LongAdder ptuTokens = new LongAdder();
  private final LongAdder paygTokens = new LongAdder();
  private final LongAdder answersWithoutUsage = new LongAdder();
  private final LongAdder ptuThrottledAttempts = new LongAdder();
  private final LongAdder paygThrottledAttempts = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder client429 = new LongAdder();

  @Override
  public void onAttempt(AttemptOutcome attempt) {
    if (attempt.result() == AttemptResult.THROTTLED) {
      (attempt.backend().tier() == Tier.PTU ? ptuThrottledAttempts : paygThrottledAttempts).increment();
    }
  }

  @Override
  public void onRequest(RequestOutcome request) {
    requests.increment();
    attempts.add(request.attempts());
    if (request.status() == 429) {
      client429.increment();
    }
    if (request.status() < 200 || request.status() >= 300 || request.backend().isEmpty()) {
      return;
    }
    if (request.usage().isEmpty()) {
      answersWithoutUsage.increment();
      return;
    }
    long tokens = request.usage().get().totalTokens();
    (request.backend().get().tier() == Tier.PTU ? ptuTokens : paygTokens).add(tokens);
  }

  Snapshot snapshot() {
    return new Snapshot(
        ptuTokens.sum(),
        paygTokens.sum(),
        answersWithoutUsage.sum(),
        ptuThrottledAttempts.sum(),
        paygThrottledAttempts.sum(),
        requests.sum(),
        attempts.sum(),
        client429.sum());
  }

  /**
   * Counts at one moment (by when the request finished). {@link #minus} gives those of an interval.
   *
   * @param ptuTokens total tokens of 2xx answers served by a PTU backend
   * @param paygTokens total tokens of 2xx answers served by a PAYG backend
   * @param answersWithoutUsage 2xx answers that carried no usage
   * @param ptuThrottledAttempts attempts a PTU backend answered 429
   * @param paygThrottledAttempts attempts a PAYG backend answered 429
   * @param requests finished client requests
   * @param attempts backend attempts those requests made
   * @param client429 requests the client got a 429 for
   */
  record Snapshot(
      long ptuTokens,
      long paygTokens,
      long answersWithoutUsage,
      long ptuThrottledAttempts,
      long paygThrottledAttempts,
      long requests,
      long attempts,
      long client429) {
    Snapshot minus(Snapshot o) {
      return new Snapshot(
          ptuTokens - o.ptuTokens,
          paygTokens - o.paygTokens,
          answersWithoutUsage - o.answersWithoutUsage,
          ptuThrottledAttempts - o.ptuThrottledAttempts,
          paygThrottledAttempts - o.paygThrottledAttempts,
          requests - o.requests,
          attempts - o.attempts,
          client429 - o.client429);
    }
  }
}
