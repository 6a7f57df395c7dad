package dev.spillway.core.plan;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.AttemptCycle;
import dev.spillway.core.routing.AttemptFeedback;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.RouteDecision;
import dev.spillway.core.routing.Router;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Replays one model's recorded traffic through the gateway's real {@link Router} against a PTU deployment of a
 * candidate size and a PAYG deployment, on a manual clock, and reports what it cost and how it went.
 *
 * <h2>The simulation</h2>
 *
 * <p>A discrete-event simulation on a {@link ManualScheduler}: time jumps from one arrival to the next, running on the
 * way every PTU wait that falls due, so a day replays in well under a second of wall time and nothing ever sleeps.
 * Each arrival gets an attempt cycle of the model's pool (one PTU backend, priority 1, and one PAYG backend, priority
 * 2) and asks the router, as the gateway's retry loop does:
 *
 * <ul>
 *   <li>{@code Use(backend)}: the deployment model answers at once. The PTU is a {@link ProvisionedBucket}; PAYG a
 *       {@link PaygQuotaWindow}. The answer goes back to the backend's state through {@link AttemptFeedback}, exactly
 *       as the gateway reports a response head and an attempt's end: a 429 carries {@code retry-after-ms}, the PTU
 *       reports its utilization and a PAYG quota its remaining tokens. A 429 makes the request ask again.
 *   <li>{@code Wait(nanos)}: the request waits on the scheduler, then calls {@link Router#afterWait} and asks again.
 *   <li>{@code Exhausted}: the client would get 429; the request is counted as rejected.
 * </ul>
 *
 * <h2>What it assumes</h2>
 *
 * <ul>
 *   <li>Arrivals are the ledger's row times and sizes are the tokens the backend reported; a request's service time
 *       is ignored, since a PTU counts a request's tokens against its capacity when it admits it.
 *   <li>The PTU bucket starts empty at the period's start; it holds {@code burst} of capacity.
 *   <li>PAYG has ample quota unless one is declared; nothing fails for other reasons (no 5xx, no timeouts).
 *   <li>Requests that the ledger recorded without tokens (refused, or failed before a backend answered) are not
 *       replayed: their size is unknown.
 * </ul>
 *
 * <p>Thread-safe: {@link #run} keeps all of a replay's state to itself, so one instance may replay several candidates
 * at once on different threads.
 */
public final class CapacityReplay {
  private static final String UTILIZATION_HEADER = "azure-openai-deployment-utilization";
  private static final String REMAINING_TOKENS_HEADER = "x-ratelimit-remaining-tokens";
  private static final URI NOWHERE = URI.create("http://replay.invalid");

  private final ReplaySettings settings;

  public CapacityReplay(ReplaySettings settings) {
    this.settings = settings;
  }

  public ReplaySettings settings() {
    return settings;
  }

  /**
   * Replays {@code series} against {@code ptus} PTUs (0: PAYG alone).
   *
   * @throws IllegalArgumentException when {@code ptus} is negative
   */
  public CandidateResult run(ArrivalSeries series, int ptus) {
    if (ptus < 0) {
      throw new IllegalArgumentException("a PTU count cannot be negative: " + ptus);
    }
    long ptuTokensPerMinute = settings.throughput().tokensPerMinute(ptus);
    Run run = new Run(
        series, ptus == 0 ? null : new ProvisionedBucket(ptuTokensPerMinute, settings.burst()), ptus == 0 ? 0 : ptuTokensPerMinute);
    run.replay();
    return run.tally.result(ptus, ptuTokensPerMinute, series.periodNanos(), settings.ptuUnitMonthly(),
        settings.paygPrice());
  }

  /** The pool a candidate is replayed on: the model's routing with a PTU backend (when there is one) and PAYG. */
  private ModelConfig pool(long ptuTokensPerMinute) {
    List<BackendConfig> backends = new ArrayList<>(2);
    if (ptuTokensPerMinute > 0) {
      // Declared as an operator following the README would: the station paces the PTU by it.
      backends.add(BackendConfig.builder().id("ptu").url(NOWHERE).deployment("ptu").tier(Tier.PTU).priority(1)
          .capacity(new BackendCapacity(OptionalLong.of(ptuTokensPerMinute), OptionalLong.empty()))
          .build());
    }
    backends.add(BackendConfig.builder().id("payg").url(NOWHERE).deployment("payg").tier(Tier.PAYG).priority(2)
        .capacity(settings.paygTokensPerMinute() == 0 ? BackendCapacity.UNDECLARED
            : new BackendCapacity(OptionalLong.of(settings.paygTokensPerMinute()), OptionalLong.empty()))
        .build());
    ModelConfig.Builder model = settings.model().map(ModelConfig::toBuilder).orElseGet(() -> ModelConfig.builder()
        .name("replay"));
    return model.strategy(RoutingStrategy.PRIORITY).backends(backends).build();
  }

  /** One candidate's replay: its pool, clock, deployments and tally. */
  private final class Run {
    final ArrivalSeries series;
    final ProvisionedBucket ptu;
    final PaygQuotaWindow payg = new PaygQuotaWindow(settings.paygTokensPerMinute());
    final Pool pool;
    final Router router = new Router(settings.routing());
    final ManualTicker ticker = new ManualTicker();
    final ManualScheduler scheduler = new ManualScheduler(ticker);
    final SplittableRandom random = new SplittableRandom(settings.seed());
    final ReplayTally tally = new ReplayTally();

    Run(ArrivalSeries series, ProvisionedBucket ptu, long ptuTokensPerMinute) {
      this.series = series;
      this.ptu = ptu;
      this.pool = new Pool(pool(ptuTokensPerMinute), settings.routing().breaker());
    }

    void replay() {
      long deadline = settings.routing().requestDeadline().toNanos();
      for (int i = 0; i < series.size(); i++) {
        long arrival = series.arrivalNanos(i);
        scheduler.advance(Duration.ofNanos(arrival - ticker.read()));
        new Passage(i, pool.newCycle(arrival + deadline, series.tokens(i), Optional.empty())).next();
      }
      while (scheduler.pending() > 0) {
        scheduler.advance(Duration.ofNanos(scheduler.nanosUntilNext()));
      }
    }

    /** One request's way through the pool: ask, carry out, ask again, until served or refused. */
    final class Passage {
      final int i;
      final AttemptCycle cycle;
      /** The pending wait, while the request waits; the station may end it early. */
      Scheduler.Cancellable waiting;
      long waitStarted;

      Passage(int i, AttemptCycle cycle) {
        this.i = i;
        this.cycle = cycle;
        // The station wakes a waiter that became the head, or whose wait outgrew its budget: it asks again now.
        cycle.onWake(() -> {
          if (waiting != null) {
            waiting.cancel();
            waiting = null;
            scheduler.schedule(0, this::waitEnded);
          }
        });
      }

      void waitEnded() {
        waiting = null;
        long woke = ticker.read();
        router.afterWait(pool, cycle, woke - waitStarted, woke);
        next();
      }

      void next() {
        while (true) {
          long now = ticker.read();
          switch (router.choose(pool, cycle, now, random)) {
            case RouteDecision.Use use -> {
              if (attempt(use.backend(), now)) {
                return;
              }
            }
            case RouteDecision.Wait wait -> {
              waitStarted = now;
              waiting = scheduler.schedule(wait.nanos(), this::waitEnded);
              return;
            }
            case RouteDecision.Exhausted exhausted -> {
              tally.rejected(series.tokens(i), cycle.waitedNanos());
              return;
            }
          }
        }
      }

      /** Sends the request to {@code backend}; true when it was served, false after a 429. */
      boolean attempt(BackendState backend, long now) {
        cycle.record(backend);
        backend.callStarted();
        backend.recordSent(series.tokens(i), now);
        boolean isPtu = backend.config().tier() == Tier.PTU;
        double converted = isPtu ? settings.throughput().convertedTokens(
            series.promptTokens(i), series.cachedTokens(i), series.completionTokens(i)) : 0;
        long retryNanos = isPtu ? ptu.tryAdmit(converted, now) : payg.tryAdmit(series.tokens(i), now);
        boolean admitted = retryNanos == 0;
        int status = admitted ? 200 : 429;
        OptionalLong retryAfterMillis = admitted ? OptionalLong.empty() : OptionalLong.of((retryNanos + 999_999) / 1_000_000);
        Function<String, String> headers = isPtu
            ? name -> UTILIZATION_HEADER.equals(name) ? Double.toString(ptu.utilizationPercent(now)) : null
            : name -> REMAINING_TOKENS_HEADER.equals(name) && payg.remainingTokens(now) >= 0
                ? Long.toString(payg.remainingTokens(now)) : null;
        long cost = series.tokens(i);
        router.feedback(
            pool, backend, AttemptFeedback.ofResponseHead(status, headers, retryAfterMillis, settings.routing()), cost, now);
        router.feedback(pool, backend, AttemptFeedback.ofEnd(admitted ? AttemptResult.OK : AttemptResult.THROTTLED, status,
            OptionalLong.empty(), settings.routing()), cost, now);
        backend.callEnded();
        if (admitted && isPtu) {
          tally.servedByPtu(series.tokens(i), converted, cycle.waitedNanos());
        } else if (admitted) {
          tally.servedByPayg(series.promptTokens(i), series.cachedTokens(i), series.completionTokens(i),
              cycle.waitedNanos());
        }
        return admitted;
      }
    }
  }
}
