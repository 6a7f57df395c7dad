package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of {@link SoakBenchmark} does. Immutable; {@link #parse} reads the command line and fails with a
 * message naming the flag.
 *
 * @param duration how long the open-loop load runs
 * @param loadFraction the offered rate as a fraction of the measured peak
 * @param streamPercent share of the requests that are streamed, 0..100
 * @param faultPercent chance that the simulator fails a request on its own (each deployment), 0..100
 * @param peakWarmup closed-loop load before the peak is measured (JIT warm-up, unmeasured)
 * @param peakDuration the closed-loop peak measurement
 * @param peakConnections connections of the closed-loop peak measurement
 * @param settle open-loop load at the soak's rate after the peak and before the soak, unmeasured, as the soak's
 *     consumer: the gateway's JIT and pools settle at the soak's own mix, so that the first compared span measures
 *     the gateway and not its warm-up (a run without it saw p99 fall from 1.4 s in the first minute to 0.15 s)
 * @param sampleEvery how often the gateway's process is sampled and a latency window closes
 * @param fullGcEvery how often a sample first has the gateway run a full collection, to read its live heap; a
 *     multiple of {@code sampleEvery}
 * @param databaseOutageAt when the PostgreSQL outage (blackhole) starts, as a fraction of {@code duration}
 * @param databaseOutage how long it lasts
 * @param redisOutageAt when the Redis outage (refused connections) starts, as a fraction of {@code duration}
 * @param redisOutage how long it lasts
 * @param maxTokens {@code max_tokens} of every request
 * @param seed the simulator's seed
 * @param gatewayJar the shipped {@code spillway.jar} to run the gateway and the simulator from; empty runs the CLI
 *     from this JVM's class path (tests)
 * @param gatewayHeap the gateway's heap, fixed ({@code -Xms} = {@code -Xmx}, pre-touched) as a server is run: with the
 *     JVM's default ergonomics the heap grows through the run, and RSS and p99 drift with it (a run with default flags
 *     saw RSS +6.8 % and p99 -26 % between the first and last five minutes while the live heap held at 58 MiB); empty
 *     runs the gateway with the default flags
 * @param outDir where {@code soak.md} and {@code soak.json} go
 */
public record SoakSettings(
    Duration duration,
    double loadFraction,
    int streamPercent,
    double faultPercent,
    Duration peakWarmup,
    Duration peakDuration,
    int peakConnections,
    Duration settle,
    Duration sampleEvery,
    Duration fullGcEvery,
    double databaseOutageAt,
    Duration databaseOutage,
    double redisOutageAt,
    Duration redisOutage,
    int maxTokens,
    long seed,
    Optional<Path> gatewayJar,
    String gatewayHeap,
    Path outDir) {

  /** The span compared at the start and at the end of a run of the full length; shorter runs compare a sixth. */
  static final Duration COMPARED_SPAN = Duration.ofMinutes(5);

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.SoakBenchmark [flags]
        --duration D            open-loop load after the peak measurement (default 30m)
        --load F                offered rate as a fraction of the measured peak (default 0.5)
        --stream-percent P      share of streamed requests (default 30)
        --fault-percent P       requests each simulated deployment fails on its own (default 5)
        --peak-warmup D         unmeasured closed-loop load before the peak measurement (default 15s)
        --peak-duration D       closed-loop peak measurement (default 20s)
        --peak-connections N    its connections (default 32)
        --settle D              unmeasured open-loop load at the soak's rate before the soak (default 5m)
        --gateway-heap S        the gateway's fixed heap, -Xms = -Xmx, pre-touched (default 512m; "default" for the
                                JVM's own sizing)
        --sample-every D        sampling period and latency window (default 10s)
        --full-gc-every D       how often a sample reads the live heap after a full GC it requests (default 60s)
        --db-outage-at F        PostgreSQL blackhole start, fraction of --duration (default 0.4)
        --db-outage D           its length (default 30s)
        --redis-outage-at F     Redis refusal start, fraction of --duration (default 0.6)
        --redis-outage D        its length (default 30s)
        --max-tokens N          max_tokens of every request (default 16)
        --seed N                simulator seed (default 42)
        --gateway-jar JAR       spillway.jar to run `serve` and `simulate` from (default: this class path)
        --out DIR               where soak.md and soak.json go (default bench/results)
      """;

  public SoakSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(peakWarmup, "peakWarmup");
    Objects.requireNonNull(peakDuration, "peakDuration");
    Objects.requireNonNull(settle, "settle");
    if (settle.isNegative()) {
      throw new IllegalArgumentException("--settle must not be negative");
    }
    Objects.requireNonNull(sampleEvery, "sampleEvery");
    Objects.requireNonNull(fullGcEvery, "fullGcEvery");
    Objects.requireNonNull(databaseOutage, "databaseOutage");
    Objects.requireNonNull(redisOutage, "redisOutage");
    Objects.requireNonNull(gatewayJar, "gatewayJar");
    Objects.requireNonNull(outDir, "outDir");
    if (!duration.isPositive()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (!(loadFraction > 0 && loadFraction <= 1)) {
      throw new IllegalArgumentException("--load must be above 0 and at most 1, was " + loadFraction);
    }
    if (streamPercent < 0 || streamPercent > 100) {
      throw new IllegalArgumentException("--stream-percent must be 0..100, was " + streamPercent);
    }
    if (!(faultPercent >= 0 && faultPercent <= 100)) {
      throw new IllegalArgumentException("--fault-percent must be 0..100, was " + faultPercent);
    }
    if (peakWarmup.isNegative() || !peakDuration.isPositive() || peakConnections < 1) {
      throw new IllegalArgumentException("--peak-warmup must not be negative, --peak-duration and --peak-connections"
          + " must be positive");
    }
    if (!sampleEvery.isPositive() || sampleEvery.compareTo(comparedSpan(duration)) > 0) {
      throw new IllegalArgumentException("--sample-every must be positive and at most a sixth of --duration");
    }
    if (!fullGcEvery.isPositive() || fullGcEvery.toNanos() % sampleEvery.toNanos() != 0) {
      throw new IllegalArgumentException("--full-gc-every must be a positive multiple of --sample-every");
    }
    outage("--db-outage", databaseOutageAt, databaseOutage, duration);
    outage("--redis-outage", redisOutageAt, redisOutage, duration);
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--max-tokens must be at least 1, was " + maxTokens);
    }
  }

  private static void outage(String flag, double at, Duration length, Duration duration) {
    if (!(at >= 0 && at < 1) || length.isNegative()) {
      throw new IllegalArgumentException(flag + "-at must be in [0, 1) and " + flag + " not negative");
    }
    if (duration.multipliedBy((long) (at * 1000)).dividedBy(1000).plus(length).compareTo(duration) > 0) {
      throw new IllegalArgumentException(flag + " must end before the load does");
    }
  }

  public static SoakSettings defaults() {
    return new SoakSettings(Duration.ofMinutes(30), 0.5, 30, 5, Duration.ofSeconds(15), Duration.ofSeconds(20), 32,
        Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(60), 0.4, Duration.ofSeconds(30), 0.6, Duration.ofSeconds(30), 16, 42, Optional.empty(),
        "512m", Path.of("bench", "results"));
  }

  /** The span compared at the start and at the end: five minutes, or a sixth of a shorter run. */
  Duration comparedSpan() {
    return comparedSpan(duration);
  }

  private static Duration comparedSpan(Duration duration) {
    Duration sixth = duration.dividedBy(6);
    return sixth.compareTo(COMPARED_SPAN) < 0 ? sixth : COMPARED_SPAN;
  }

  /** Whether the {@code k}-th sample (1 first) requests a full collection. */
  boolean fullGcAt(long k) {
    return k % (fullGcEvery.toNanos() / sampleEvery.toNanos()) == 0;
  }

  /** Offset from the start of the load at which the PostgreSQL outage begins. */
  Duration databaseOutageStart() {
    return duration.multipliedBy((long) (databaseOutageAt * 1000)).dividedBy(1000);
  }

  /** Offset from the start of the load at which the Redis outage begins. */
  Duration redisOutageStart() {
    return duration.multipliedBy((long) (redisOutageAt * 1000)).dividedBy(1000);
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static SoakSettings parse(String... args) {
    SoakSettings s = defaults();
    Duration duration = s.duration;
    double load = s.loadFraction;
    int streamPercent = s.streamPercent;
    double faultPercent = s.faultPercent;
    Duration peakWarmup = s.peakWarmup;
    Duration peakDuration = s.peakDuration;
    int peakConnections = s.peakConnections;
    Duration settle = s.settle;
    Duration sampleEvery = s.sampleEvery;
    Duration fullGcEvery = s.fullGcEvery;
    double dbAt = s.databaseOutageAt;
    Duration db = s.databaseOutage;
    double redisAt = s.redisOutageAt;
    Duration redis = s.redisOutage;
    int maxTokens = s.maxTokens;
    long seed = s.seed;
    Optional<Path> jar = s.gatewayJar;
    String heap = s.gatewayHeap;
    Path outDir = s.outDir;
    for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--duration" -> duration = Durations.parse(value);
          case "--load" -> load = Double.parseDouble(value);
          case "--stream-percent" -> streamPercent = Integer.parseInt(value);
          case "--fault-percent" -> faultPercent = Double.parseDouble(value);
          case "--peak-warmup" -> peakWarmup = Durations.parse(value);
          case "--peak-duration" -> peakDuration = Durations.parse(value);
          case "--peak-connections" -> peakConnections = Integer.parseInt(value);
          case "--settle" -> settle = Durations.parse(value);
          case "--sample-every" -> sampleEvery = Durations.parse(value);
          case "--full-gc-every" -> fullGcEvery = Durations.parse(value);
          case "--db-outage-at" -> dbAt = Double.parseDouble(value);
          case "--db-outage" -> db = Durations.parse(value);
          case "--redis-outage-at" -> redisAt = Double.parseDouble(value);
          case "--redis-outage" -> redis = Durations.parse(value);
          case "--max-tokens" -> maxTokens = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--gateway-jar" -> jar = Optional.of(Path.of(value));
          case "--gateway-heap" -> heap = value.equals("default") ? "" : value;
          case "--out" -> outDir = Path.of(value);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new SoakSettings(duration, load, streamPercent, faultPercent, peakWarmup, peakDuration, peakConnections,
        settle, sampleEvery, fullGcEvery, dbAt, db, redisAt, redis, maxTokens, seed, jar, heap, outDir);
  }
}
