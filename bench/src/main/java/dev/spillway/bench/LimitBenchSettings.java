package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one run of {@link LimitAccuracyBenchmark} measures. Immutable; {@link #parse} reads the
 * command line and fails with a message naming the flag.
 *
 * @param limitTokensPerMinute L: the consumer's {@code tokensPerMinute}
 * @param duration D: how long the clients send, per configuration
 * @param clients closed-loop clients per configuration, spread over the replicas round-robin
 * @param seed picks the request sizes and each client's sequence of requests
 * @param alignToMinute start sending at a whole UTC minute (waiting up to a minute for it), so
 *     that a D of whole minutes covers complete limit windows
 * @param zeroLatency the simulator answers at once instead of with realistic generation time
 * @param pauseOn429 what a client waits after a refusal before its next request (jittered ±50 %);
 *     clients ignore {@code Retry-After} on purpose, to keep the limit under constant pressure
 * @param noMaxTokensShare share of requests sent without {@code max_tokens} (the gateway then
 *     reserves {@code limits.defaultMaxTokens}, 1024, and the answer is shorter)
 * @param topologies configurations to run, in order
 * @param redisUrl the Redis the three replicas share
 * @param outDir where {@code limits.md} and {@code limits.json} go
 */
public record LimitBenchSettings(
    long limitTokensPerMinute,
    Duration duration,
    int clients,
    long seed,
    boolean alignToMinute,
    boolean zeroLatency,
    Duration pauseOn429,
    double noMaxTokensShare,
    List<LimitTopology> topologies,
    String redisUrl,
    Path outDir) {

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.LimitAccuracyBenchmark [flags]
        --duration D          how long the clients send, per configuration (default 60s)
        --limit L             the consumer's tokensPerMinute (default 100000)
        --clients N           concurrent closed-loop clients (default 50)
        --seed N              request sizes and order (default 42)
        --align minute|none   wait for the next whole UTC minute before sending (default minute)
        --latency realistic|zero   simulator timing (default realistic)
        --pause-on-429 P      a client's pause after a refusal, jittered +-50% (default 100ms)
        --no-max-tokens-share S    share of requests without max_tokens (default 0.2)
        --configs LIST        comma-separated: one-replica,three-replicas (default both)
        --redis URL           Redis for the three replicas (default redis://127.0.0.1:6379)
        --out DIR             where limits.md and limits.json go (default bench/results)
      """;

  public LimitBenchSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(pauseOn429, "pauseOn429");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(outDir, "outDir");
    topologies = List.copyOf(topologies);
    if (limitTokensPerMinute < 1) {
      throw new IllegalArgumentException("--limit must be positive, was " + limitTokensPerMinute);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (clients < 1) {
      throw new IllegalArgumentException("--clients must be at least 1, was " + clients);
    }
    if (pauseOn429.isNegative()) {
      throw new IllegalArgumentException("--pause-on-429 cannot be negative");
    }
    if (!(noMaxTokensShare >= 0 && noMaxTokensShare <= 1)) {
      throw new IllegalArgumentException("--no-max-tokens-share must be between 0 and 1, was " + noMaxTokensShare);
    }
    if (topologies.isEmpty()) {
      throw new IllegalArgumentException("--configs names no configuration");
    }
    if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
      throw new IllegalArgumentException("--redis must start with redis:// or rediss://");
    }
  }

  public static LimitBenchSettings defaults() {
    return new LimitBenchSettings(
        100_000,
        Duration.ofSeconds(60),
        50,
        42,
        true,
        false,
        Duration.ofMillis(100),
        0.2,
        List.of(LimitTopology.values()),
        "redis://127.0.0.1:6379",
        Path.of("bench", "results"));
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value; the
   *     message {@code help} for {@code --help}
   */
  public static LimitBenchSettings parse(String... args) {
    LimitBenchSettings s = defaults();
    long limit = s.limitTokensPerMinute;
    Duration duration = s.duration;
    int clients = s.clients;
    long seed = s.seed;
    boolean align = s.alignToMinute;
    boolean zero = s.zeroLatency;
    Duration pause = s.pauseOn429;
    double share = s.noMaxTokensShare;
    List<LimitTopology> topologies = s.topologies;
    String redis = s.redisUrl;
    Path out = s.outDir;
    for (CliFlags flags = new CliFlags(args, "unknown flag"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--duration" -> duration = Durations.parse(value);
          case "--limit" -> limit = Long.parseLong(value.replace("_", ""));
          case "--clients" -> clients = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--align" ->
              align =
                  switch (value) {
                    case "minute" -> true;
                    case "none" -> false;
                    default -> throw new IllegalArgumentException("must be minute or none, was '" + value + "'");
                  };
          case "--latency" ->
              zero =
                  switch (value) {
                    case "zero" -> true;
                    case "realistic" -> false;
                    default -> throw new IllegalArgumentException("must be realistic or zero, was '" + value + "'");
                  };
          case "--pause-on-429" -> pause = Durations.parse(value);
          case "--no-max-tokens-share" -> share = Double.parseDouble(value);
          case "--configs" -> topologies = CliFlags.ids(value, LimitTopology::fromId);
          case "--redis" -> redis = value;
          case "--out" -> out = Path.of(value);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new LimitBenchSettings(limit, duration, clients, seed, align, zero, pause, share, topologies, redis, out);
  }

  /** The same settings running only {@code only}. */
  public LimitBenchSettings withTopologies(List<LimitTopology> only) {
    return new LimitBenchSettings(
        limitTokensPerMinute, duration, clients, seed, alignToMinute, zeroLatency, pauseOn429, noMaxTokensShare, only,
        redisUrl, outDir);
  }
}
