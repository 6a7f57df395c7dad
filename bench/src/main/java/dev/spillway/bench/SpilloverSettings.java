package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of {@link SpilloverBenchmark} measures. Immutable; {@link #parse} reads the command
 * line and fails with a message naming the flag.
 *
 * @param capacityTokensPerMinute C: the simulated PTU deployment's capacity
 * @param loadFactor offered load as a multiple of C (1.5 = 50 % more than PTU can take)
 * @param duration D: the measured steady-state window of each configuration
 * @param warmup load offered before the window opens; empty = long enough for a fresh PTU bucket
 *     to fill at the offered load (see {@link #effectiveWarmup()})
 * @param ptuBurst how much capacity the simulated PTU bucket holds, as time (the simulator's
 *     {@code timing.ptuBurst}, 10 s by default, as in its docs)
 * @param maxTokens {@code max_tokens} of every request; the simulator generates exactly that many
 * @param seed the simulator's seed
 * @param variants configurations to run, in order
 * @param outDir where {@code routing.md} and {@code routing.json} go
 * @param jmhResults a JMH JSON result file ({@code -rf json}) of {@link RouterBenchmark} to include
 * @param retryAfterMs whether the simulated 429s carry the exact {@code retry-after-ms} (Azure) or only the
 *     whole-second {@code retry-after} (a coarse hint, as many OpenAI-compatible servers send)
 */
public record SpilloverSettings(
    long capacityTokensPerMinute,
    double loadFactor,
    Duration duration,
    Optional<Duration> warmup,
    Duration ptuBurst,
    int maxTokens,
    long seed,
    List<RoutingVariant> variants,
    Path outDir,
    Optional<Path> jmhResults,
    boolean retryAfterMs) {

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.SpilloverBenchmark [flags]
        --duration D        measured window per configuration (default 60s)
        --capacity C        PTU capacity in tokens/minute (default 60000)
        --load-factor F     offered load as a multiple of C (default 1.5)
        --seed N            simulator seed (default 42)
        --warmup W          load before the window (default: until the PTU bucket is full, + 2s)
        --ptu-burst B       seconds of capacity the PTU bucket holds (default 10s)
        --max-tokens N      max_tokens of every request (default 200)
        --configs LIST      comma-separated: priority-wait,priority,priority-predictive,
                            priority-wait-predictive,round-robin (default all)
        --out DIR           where routing.md and routing.json go (default bench/results)
        --jmh-results FILE  JMH JSON results of RouterBenchmark to put in the report
        --retry-hint ms|s   429s carry retry-after-ms (ms, Azure's exact hint) or only retry-after in whole seconds (s) (default ms)
      """;

  public SpilloverSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(ptuBurst, "ptuBurst");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(jmhResults, "jmhResults");
    variants = List.copyOf(variants);
    if (capacityTokensPerMinute <= 0) {
      throw new IllegalArgumentException("--capacity must be positive, was " + capacityTokensPerMinute);
    }
    if (!(loadFactor > 0) || Double.isInfinite(loadFactor)) {
      throw new IllegalArgumentException("--load-factor must be a positive number, was " + loadFactor);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (warmup.isPresent() && warmup.get().isNegative()) {
      throw new IllegalArgumentException("--warmup cannot be negative");
    }
    if (ptuBurst.isNegative() || ptuBurst.isZero()) {
      throw new IllegalArgumentException("--ptu-burst must be positive");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("--configs names no configuration");
    }
  }

  public static SpilloverSettings defaults() {
    return new SpilloverSettings(
        60_000,
        1.5,
        Duration.ofSeconds(60),
        Optional.empty(),
        Duration.ofSeconds(10),
        200,
        42,
        List.of(RoutingVariant.values()),
        Path.of("bench", "results"),
        Optional.empty(),
        true);
  }

  /** The same settings at another offered load. */
  public SpilloverSettings withLoadFactor(double factor) {
    return new SpilloverSettings(capacityTokensPerMinute, factor, duration, warmup, ptuBurst, maxTokens, seed, variants,
        outDir, jmhResults, retryAfterMs);
  }

  /**
   * The warm-up actually used. A fresh PTU bucket absorbs {@code ptuBurst} worth of capacity before
   * it throttles: at load factor F it fills in {@code ptuBurst ÷ (F − 1)} (20 s at 1.5 with the
   * default 10 s burst). Measuring before that would count the burst as steady-state throughput
   * and report more than 100 % utilization. Default: that fill time + 2 s, at least 3 s, at most 2 min.
   */
  public Duration effectiveWarmup() {
    if (warmup.isPresent()) {
      return warmup.get();
    }
    if (loadFactor <= 1) {
      return Duration.ofSeconds(3);
    }
    long fillNanos = (long) (ptuBurst.toNanos() / (loadFactor - 1));
    Duration d = Duration.ofNanos(fillNanos).plusSeconds(2);
    if (d.compareTo(Duration.ofSeconds(3)) < 0) {
      return Duration.ofSeconds(3);
    }
    return d.compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(2) : d;
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static SpilloverSettings parse(String... args) {
    SpilloverSettings s = defaults();
    long capacity = s.capacityTokensPerMinute;
    double loadFactor = s.loadFactor;
    Duration duration = s.duration;
    Optional<Duration> warmup = s.warmup;
    Duration ptuBurst = s.ptuBurst;
    int maxTokens = s.maxTokens;
    long seed = s.seed;
    List<RoutingVariant> variants = s.variants;
    Path outDir = s.outDir;
    Optional<Path> jmh = s.jmhResults;
    boolean retryAfterMs = s.retryAfterMs;
    for (CliFlags flags = new CliFlags(args, "unknown"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--duration" -> duration = Durations.parse(value);
          case "--capacity" -> capacity = Long.parseLong(value.replace("_", ""));
          case "--load-factor" -> loadFactor = Double.parseDouble(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--warmup" -> warmup = Optional.of(Durations.parse(value));
          case "--ptu-burst" -> ptuBurst = Durations.parse(value);
          case "--max-tokens" -> maxTokens = Integer.parseInt(value);
          case "--configs" -> variants = CliFlags.ids(value, RoutingVariant::fromId);
          case "--out" -> outDir = Path.of(value);
          case "--jmh-results" -> jmh = Optional.of(Path.of(value));
          case "--retry-hint" -> retryAfterMs = switch (value) {
            case "ms" -> true;
            case "s" -> false;
            default -> throw new IllegalArgumentException("expected ms or s, was " + value);
          };
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new SpilloverSettings(
        capacity, loadFactor, duration, warmup, ptuBurst, maxTokens, seed, variants, outDir, jmh, retryAfterMs);
  }
}
