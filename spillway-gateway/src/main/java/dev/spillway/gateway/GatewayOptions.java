package dev.spillway.gateway;

import dev.spillway.core.time.Scheduler;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.GatewayListener;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Collaborators of a {@link GatewayServer} that tests, benchmarks and the demo replace. Build with {@link #builder()};
 * {@link #defaults()} is the production set.
 *
 * @param ticker monotonic time for routing decisions and latencies
 * @param clock wall-clock time: request ids, quota windows, HTTP-date retry headers, ledger timestamps, JWT expiry
 * @param scheduler the request path's timers (PTU waits, upstream and body timeouts); empty for Vert.x timers on the
 *     system ticker. A test passes a {@code ManualScheduler} on its {@code ManualTicker} to move every timer with it.
 * @param random weighted picks; called on the event loop, so the default is thread-local
 * @param listener observer of every attempt and request
 * @param tokenEstimator counts prompts; the default reads the JVM's shared vocabularies, which the gateway loads on a
 *     worker once it is ready. A test passes one whose vocabulary loads it holds.
 */
public record GatewayOptions(
    Ticker ticker, Clock clock, Optional<Scheduler> scheduler, Supplier<RandomGenerator> random, GatewayListener listener,
    TokenEstimator tokenEstimator) {
  private static final TokenEstimator SHARED_ESTIMATOR = TokenEstimator.byModelFamily();

  public GatewayOptions {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(tokenEstimator, "tokenEstimator");
    if (scheduler.isPresent() && scheduler.get().ticker() != ticker) {
      throw new IllegalArgumentException("the scheduler must run on the gateway's ticker");
    }
  }

  public static GatewayOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link GatewayOptions}; every setting has the production default. */
  public static final class Builder {
    private Ticker ticker = Ticker.systemTicker();
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private Supplier<RandomGenerator> random = ThreadLocalRandom::current;
    private GatewayListener listener = GatewayListener.none();
    private TokenEstimator tokenEstimator = SHARED_ESTIMATOR;

    private Builder() {}

    public Builder ticker(Ticker value) {
      this.ticker = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** Timers on {@code value}'s ticker, which also becomes the gateway's ticker. */
    public Builder scheduler(Scheduler value) {
      this.scheduler = value;
      this.ticker = value.ticker();
      return this;
    }

    public Builder random(Supplier<RandomGenerator> value) {
      this.random = value;
      return this;
    }

    public Builder listener(GatewayListener value) {
      this.listener = value;
      return this;
    }

    public Builder tokenEstimator(TokenEstimator value) {
      this.tokenEstimator = value;
      return this;
    }

    public GatewayOptions build() {
      return new GatewayOptions(ticker, clock, Optional.ofNullable(scheduler), random, listener, tokenEstimator);
    }
  }
}
