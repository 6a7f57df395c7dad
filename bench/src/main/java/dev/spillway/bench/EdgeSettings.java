package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one run of {@link EdgeBenchmark} measures. Immutable; {@link #parse} reads the command line
 * and fails with a message naming the flag.
 *
 * @param scenarios which of overhead, streaming, footprint to run, in that order
 * @param participants overhead participants: direct, nginx, spillway, portkey (a missing peer is skipped and said so)
 * @param peakDuration closed-loop run per participant that measures its peak
 * @param latencyDuration fixed-rate window per participant that measures latency
 * @param warmup load before each measured run, not counted
 * @param connections connections of every load run, the same for every participant
 * @param rateFraction the fixed rate as a fraction of Spillway's peak
 * @param loadTool wrk, java, or auto (wrk when installed)
 * @param streams concurrent SSE stream counts, one step each
 * @param streamTokens output tokens per stream ({@code max_tokens}; the simulator generates exactly that many)
 * @param tokensPerSecond the simulator's pacing of streamed tokens
 * @param ramp how long opening all of a step's streams takes
 * @param footprintRepeats gateway starts timed for the footprint
 * @param gatewayJar the {@code spillway.jar} to run (built as {@code spillway-cli/target/spillway.jar}); empty = the
 *     CLI from this class path
 * @param simulatorJar the {@code spillway.jar} whose {@code simulate} is the upstream; empty = the same as {@code
 *     gatewayJar} (bench/run-compare holds it fixed while the gateway jar changes)
 * @param portkeyDir the {@code npm install --prefix} directory holding Portkey
 * @param loadCpus {@code taskset -c} list for wrk and the upstream simulator (the Java generator runs in this JVM: pin
 *     it from the script)
 * @param serverCpus {@code taskset -c} list for the participant under test (its upstream runs on {@code loadCpus})
 * @param outDir where {@code edge.md} and {@code edge.json} go
 */
public record EdgeSettings(
    List<String> scenarios,
    List<String> participants,
    Duration peakDuration,
    Duration latencyDuration,
    Duration warmup,
    int connections,
    double rateFraction,
    String loadTool,
    List<Integer> streams,
    int streamTokens,
    double tokensPerSecond,
    Duration ramp,
    int footprintRepeats,
    Optional<Path> gatewayJar,
    Optional<Path> simulatorJar,
    Optional<Path> portkeyDir,
    Optional<String> loadCpus,
    Optional<String> serverCpus,
    Path outDir) {

  static final Set<String> SCENARIOS = Set.of("overhead", "streaming", "footprint");
  static final Set<String> PARTICIPANTS = Set.of("direct", "nginx", "spillway", "portkey");

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.EdgeBenchmark [flags]
        --scenarios LIST      overhead,streaming,footprint (default all)
        --participants LIST   direct,nginx,spillway,portkey (default all; a missing peer is skipped)
        --peak-duration D     closed-loop run measuring each participant's peak (default 15s)
        --latency-duration D  fixed-rate window measuring each participant's latency (default 15s)
        --warmup D            load before each measured run (default 5s)
        --connections N       connections of every load run (default 64)
        --rate-fraction F     fixed rate as a fraction of Spillway's peak (default 0.5)
        --load-tool T         peak load tool: wrk, java or auto (default auto: wrk when installed)
        --streams LIST        concurrent SSE streams per step (default 1000,5000,10000; the last step
                              shrinks to what the open-file limit allows, one socket per stream)
        --stream-tokens N     output tokens per stream (default 40)
        --tokens-per-second R simulator pacing of streamed tokens (default 2: 10k streams then make 20k
                              chunks/s, which the simulator and the SSE clients on one core keep up with;
                              the direct baseline's figures show it)
        --ramp D              time to open all streams of a step (default 10s)
        --footprint-repeats N gateway starts timed (default 5)
        --gateway-jar FILE    spillway.jar to run, e.g. spillway-cli/target/spillway.jar (default: the CLI
                              from this class path)
        --simulator-jar FILE  spillway.jar whose simulator is the upstream (default: the same as
                              --gateway-jar; bench/run-compare keeps it fixed across the builds)
        --portkey-dir DIR     npm --prefix directory with @portkey-ai/gateway installed
        --load-cpus LIST      taskset -c list for wrk and the upstream simulator (e.g. 0)
        --server-cpus LIST    taskset -c list for the participant under test (e.g. 1; the upstream
                              simulator runs on --load-cpus)
        --out DIR             where edge.md and edge.json go (default bench/results)
      """;

  public EdgeSettings {
    scenarios = List.copyOf(scenarios);
    participants = List.copyOf(participants);
    streams = List.copyOf(streams);
    for (String s : scenarios) {
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException("--scenarios: unknown scenario '" + s + "'");
      }
    }
    for (String p : participants) {
      if (!PARTICIPANTS.contains(p)) {
        throw new IllegalArgumentException("--participants: unknown participant '" + p + "'");
      }
    }
    if (!Set.of("wrk", "java", "auto").contains(loadTool)) {
      throw new IllegalArgumentException("--load-tool must be wrk, java or auto, was '" + loadTool + "'");
    }
    if (connections < 1 || streamTokens < 1 || footprintRepeats < 1 || streams.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("--connections, --streams, --stream-tokens and --footprint-repeats must be at least 1");
    }
    if (!(rateFraction > 0) || !(tokensPerSecond > 0)) {
      throw new IllegalArgumentException("--rate-fraction and --tokens-per-second must be positive");
    }
  }

  public static EdgeSettings defaults() {
    return new EdgeSettings(
        List.of("overhead", "streaming", "footprint"),
        List.of("direct", "nginx", "spillway", "portkey"),
        Duration.ofSeconds(15),
        Duration.ofSeconds(15),
        Duration.ofSeconds(5),
        64,
        0.5,
        "auto",
        defaultStreams(ProcStats.openFileLimit()),
        40,
        2,
        Duration.ofSeconds(10),
        5,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Path.of("bench", "results"));
  }

  /** The largest stream step the issue asks for. */
  static final int TARGET_STREAMS = 10_000;

  /** File descriptors the gateway needs besides its sockets (jars, epoll, log, ledger), with room to spare. */
  static final int GATEWAY_OTHER_FDS = 256;

  /**
   * 1k, 5k and 10k streams; where the open-file limit ({@code fdLimit}, -1 for none) cannot hold 10k through the
   * gateway (one socket per stream), the last step is the most streams that fit, rounded down to 500.
   */
  static List<Integer> defaultStreams(long fdLimit) {
    long fit = streamsThatFit(fdLimit);
    int top = fit >= TARGET_STREAMS ? TARGET_STREAMS : (int) Math.max(1_000, fit / 500 * 500);
    return Stream.concat(Stream.of(1000, 5000).filter(n -> n < top), Stream.of(top)).toList();
  }

  /**
   * How many streams a gateway can hold under the open-file limit {@code fdLimit} (-1 for none): one socket each, the
   * client's, as the streaming scenario's gateway reaches the simulator over HTTP/2 (its streams share at most {@value
   * #UPSTREAM_HTTP2_CONNECTIONS} connections).
   */
  static long streamsThatFit(long fdLimit) {
    return fdLimit <= 0 ? Long.MAX_VALUE : Math.max(0, fdLimit - GATEWAY_OTHER_FDS - UPSTREAM_HTTP2_CONNECTIONS);
  }

  /** The gateway's HTTP/2 connections at most to one backend endpoint. */
  static final int UPSTREAM_HTTP2_CONNECTIONS = 64;

  /** The jar whose simulator is the upstream: {@link #simulatorJar}, else the gateway's. */
  Optional<Path> upstreamJar() {
    return simulatorJar.or(() -> gatewayJar);
  }

  /** The peak load tool this run uses. */
  String effectiveLoadTool() {
    return loadTool.equals("auto") ? (WrkRunner.available() ? "wrk" : "java") : loadTool;
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static EdgeSettings parse(String... args) {
    EdgeSettings s = defaults();
    List<String> scenarios = s.scenarios;
    List<String> participants = s.participants;
    Duration peak = s.peakDuration;
    Duration latency = s.latencyDuration;
    Duration warmup = s.warmup;
    int connections = s.connections;
    double fraction = s.rateFraction;
    String tool = s.loadTool;
    List<Integer> streams = s.streams;
    int tokens = s.streamTokens;
    double tps = s.tokensPerSecond;
    Duration ramp = s.ramp;
    int repeats = s.footprintRepeats;
    Optional<Path> jar = s.gatewayJar;
    Optional<Path> simulatorJar = s.simulatorJar;
    Optional<Path> portkey = s.portkeyDir;
    Optional<String> loadCpus = s.loadCpus;
    Optional<String> serverCpus = s.serverCpus;
    Path out = s.outDir;
    for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
      String v = flags.value();
      try {
        switch (flags.flag()) {
          case "--scenarios" -> scenarios = CliFlags.ids(v, x -> x);
          case "--participants" -> participants = CliFlags.ids(v, x -> x);
          case "--peak-duration" -> peak = Durations.parse(v);
          case "--latency-duration" -> latency = Durations.parse(v);
          case "--warmup" -> warmup = Durations.parse(v);
          case "--connections" -> connections = Integer.parseInt(v);
          case "--rate-fraction" -> fraction = Double.parseDouble(v);
          case "--load-tool" -> tool = v;
          case "--streams" -> streams = CliFlags.ids(v, Integer::parseInt);
          case "--stream-tokens" -> tokens = Integer.parseInt(v);
          case "--tokens-per-second" -> tps = Double.parseDouble(v);
          case "--ramp" -> ramp = Durations.parse(v);
          case "--footprint-repeats" -> repeats = Integer.parseInt(v);
          case "--gateway-jar" -> jar = Optional.of(Path.of(v));
          case "--simulator-jar" -> simulatorJar = Optional.of(Path.of(v));
          case "--portkey-dir" -> portkey = Optional.of(Path.of(v));
          case "--load-cpus" -> loadCpus = Optional.of(v).filter(x -> !x.isBlank());
          case "--server-cpus" -> serverCpus = Optional.of(v).filter(x -> !x.isBlank());
          case "--out" -> out = Path.of(v);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new EdgeSettings(
        scenarios, participants, peak, latency, warmup, connections, fraction, tool, streams, tokens, tps, ramp, repeats,
        jar, simulatorJar, portkey, loadCpus, serverCpus, out);
  }
}
