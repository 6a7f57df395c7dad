package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one run of {@link StationBenchmark} measures. Immutable; {@link #parse} reads the command line
 * and fails with a message naming the flag.
 *
 * @param capacityTokensPerMinute C: the simulated PTU deployment's capacity
 * @param duration the measured window of each steady scenario (and the critical mix)
 * @param burstyDuration the measured window of each bursty scenario, rounded down to whole cycles
 * @param warmup load offered before a steady scenario's window (a bursty one warms up for one cycle)
 * @param ptuBurst how much capacity the PTU bucket holds, as time, in every scenario but the short
 *     bursts (whose bucket holds two requests)
 * @param maxTokens {@code max_tokens} of every request; the simulator generates exactly that many
 * @param seed the simulator's seed
 * @param scenarios the loads, in order
 * @param variants the configurations, in order
 * @param paygPricePer1kTokens what PAYG costs per 1,000 tokens, prompt and completion alike
 * @param outDir where {@code station.md} and {@code station.json} go
 */
public record StationSettings(
    long capacityTokensPerMinute,
    Duration duration,
    Duration burstyDuration,
    Duration warmup,
    Duration ptuBurst,
    int maxTokens,
    long seed,
    List<StationScenario> scenarios,
    List<StationVariant> variants,
    double paygPricePer1kTokens,
    Path outDir) {

  /** USD per 1,000 tokens: gpt-4o's output price in examples/spillway.yaml, applied to every token (an upper bound). */
  public static final double DEFAULT_PAYG_PRICE_PER_1K = 0.01;

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.StationBenchmark [flags]
        --scenarios LIST     comma-separated: steady-0.8,steady-1.2,steady-2,steady-10,bursty-short,
                             bursty-long,critical-mix (default all)
        --configs LIST       comma-separated: no-wait,fixed-wait,station,azure-native (default all)
        --duration D         measured window of each steady scenario and the critical mix (default 15s)
        --bursty-duration B  measured window of each bursty scenario, whole cycles (default 100s)
        --warmup W           load before a steady window (default 12s); a bursty one warms up for whole cycles
                             covering the station's 60s demand window
        --capacity C         PTU capacity in tokens/minute (default 60000)
        --ptu-burst B        capacity the PTU bucket holds, except for bursty-short's two-request bucket (default 10s)
        --max-tokens N       max_tokens of every request (default 200)
        --seed N             simulator seed (default 42)
        --payg-price P       PAYG price per 1,000 tokens, prompt and completion alike (default 0.01, USD)
        --out DIR            where station.md and station.json go (default bench/results)
      """;

  public StationSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(burstyDuration, "burstyDuration");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(ptuBurst, "ptuBurst");
    Objects.requireNonNull(outDir, "outDir");
    scenarios = List.copyOf(scenarios);
    variants = List.copyOf(variants);
    if (capacityTokensPerMinute <= 0) {
      throw new IllegalArgumentException("--capacity must be positive, was " + capacityTokensPerMinute);
    }
    if (!duration.isPositive()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (!burstyDuration.isPositive()) {
      throw new IllegalArgumentException("--bursty-duration must be positive");
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup cannot be negative");
    }
    if (!ptuBurst.isPositive()) {
      throw new IllegalArgumentException("--ptu-burst must be positive");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
    }
    if (!(paygPricePer1kTokens >= 0) || Double.isInfinite(paygPricePer1kTokens)) {
      throw new IllegalArgumentException("--payg-price must be 0 or more, was " + paygPricePer1kTokens);
    }
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("--scenarios names no scenario");
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("--configs names no configuration");
    }
  }

  public static StationSettings defaults() {
    // A steady warm-up of 12 s: past the 10 s of history before the station judges offered load at all.
    return new StationSettings(60_000, Duration.ofSeconds(15), Duration.ofSeconds(100), Duration.ofSeconds(12),
        Duration.ofSeconds(10), 200, 42, List.of(StationScenario.values()), List.of(StationVariant.values()),
        DEFAULT_PAYG_PRICE_PER_1K, Path.of("bench", "results"));
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static StationSettings parse(String... args) {
    StationSettings s = defaults();
    long capacity = s.capacityTokensPerMinute;
    Duration duration = s.duration;
    Duration burstyDuration = s.burstyDuration;
    Duration warmup = s.warmup;
    Duration ptuBurst = s.ptuBurst;
    int maxTokens = s.maxTokens;
    long seed = s.seed;
    List<StationScenario> scenarios = s.scenarios;
    List<StationVariant> variants = s.variants;
    double price = s.paygPricePer1kTokens;
    Path outDir = s.outDir;
    for (CliFlags flags = new CliFlags(args, "unknown"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--duration" -> duration = Durations.parse(value);
          case "--bursty-duration" -> burstyDuration = Durations.parse(value);
          case "--warmup" -> warmup = Durations.parse(value);
          case "--capacity" -> capacity = Long.parseLong(value.replace("_", ""));
          case "--ptu-burst" -> ptuBurst = Durations.parse(value);
          case "--max-tokens" -> maxTokens = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--scenarios" -> scenarios = CliFlags.ids(value, StationScenario::fromId);
          case "--configs" -> variants = CliFlags.ids(value, StationVariant::fromId);
          case "--payg-price" -> price = Double.parseDouble(value);
          case "--out" -> outDir = Path.of(value);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new StationSettings(capacity, duration, burstyDuration, warmup, ptuBurst, maxTokens, seed, scenarios,
        variants, price, outDir);
  }
}
