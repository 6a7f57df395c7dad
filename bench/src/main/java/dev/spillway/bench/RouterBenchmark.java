package dev.spillway.bench;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.AttemptCycle;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.RouteDecision;
import dev.spillway.core.routing.Router;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one routing decision, {@link Router#choose}, on a pool shaped like a real one: half
 * PTU backends at priority 1, half PAYG at priority 2, with the recommended {@code maxWaitForPtu}
 * of 1500 ms (so the PTU wait check runs on every decision).
 *
 * <ul>
 *   <li>{@code ALL_AVAILABLE}: nothing throttled; the decision picks a PTU backend.
 *   <li>{@code PTU_THROTTLED}: every PTU backend is throttled for longer than the wait budget; the
 *       decision walks the PTU wait check and spills to PAYG (the spill path).
 * </ul>
 *
 * <p>{@link #chooseReusingCycle} isolates {@code choose} (the cycle never records an attempt, so
 * every call sees the same state); {@link #chooseWithNewCycle} also builds the request's {@link
 * AttemptCycle}, which is what every request pays before its first attempt. Time is a fixed ticker
 * reading: a {@code System.nanoTime()} read (about 20 ns) is the edge's cost, not the router's.
 *
 * <p>Target: under 1 µs per decision. Run with {@code -prof gc} to see bytes allocated per decision.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {
  static final long NOW_NANOS = 1_000_000_000_000L;
  static final long REQUEST_DEADLINE_NANOS = Duration.ofMinutes(2).toNanos();
  static final long ESTIMATED_COST_TOKENS = 300;

  /** Backends in the pool: half PTU (priority 1), half PAYG (priority 2). */
  @Param({"4", "16"})
  public int backends;

  @Param({"ALL_AVAILABLE", "PTU_THROTTLED"})
  public Scenario scenario;

  /** The pool states measured. */
  public enum Scenario {
    ALL_AVAILABLE,
    PTU_THROTTLED
  }

  private Router router;
  private Pool pool;
  private AttemptCycle reusedCycle;

  @Setup(Level.Trial)
  public void setUp() {
    router = new Router(RoutingConfig.DEFAULTS);
    pool = new Pool(pool(backends).toBuilder().maxWaitForPtu(Duration.ofMillis(1500)).build(), RoutingConfig.DEFAULTS.breaker());
    if (scenario == Scenario.PTU_THROTTLED) {
      for (BackendState b : pool.backends()) {
        if (b.config().tier() == Tier.PTU) {
          b.throttleUntil(NOW_NANOS + Duration.ofSeconds(30).toNanos());
        }
      }
    }
    reusedCycle = newCycle();
    RouteDecision check = router.choose(pool, reusedCycle, NOW_NANOS, ThreadLocalRandom.current());
    Tier expected = scenario == Scenario.ALL_AVAILABLE ? Tier.PTU : Tier.PAYG;
    if (!(check instanceof RouteDecision.Use use) || use.backend().config().tier() != expected) {
      throw new IllegalStateException("scenario " + scenario + " should pick " + expected + " but decided " + check);
    }
  }

  @Benchmark
  public RouteDecision chooseReusingCycle() {
    return router.choose(pool, reusedCycle, NOW_NANOS, ThreadLocalRandom.current());
  }

  @Benchmark
  public RouteDecision chooseWithNewCycle() {
    return router.choose(pool, newCycle(), NOW_NANOS, ThreadLocalRandom.current());
  }

  private AttemptCycle newCycle() {
    return pool.newCycle(NOW_NANOS + REQUEST_DEADLINE_NANOS, ESTIMATED_COST_TOKENS, Optional.empty());
  }

  /** A {@code priority} model of {@code size} backends: the first half PTU, the second half PAYG. */
  static ModelConfig pool(int size) {
    if (size < 2 || size % 2 != 0) {
      throw new IllegalArgumentException("pool size must be even and at least 2, was " + size);
    }
    URI url = URI.create("http://127.0.0.1:1");
    List<BackendConfig> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      Tier tier = i < size / 2 ? Tier.PTU : Tier.PAYG;
      list.add(
          BackendConfig.builder()
              .id(tier.id() + "-" + i)
              .type(BackendType.AZURE)
              .url(url)
              .deployment("gpt-4o-" + tier.id() + "-" + i)
              .tier(tier)
              .priority(tier == Tier.PTU ? 1 : 2)
              .region("region-" + i)
              .build());
    }
    return ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY).backends(list).build();
  }
}
