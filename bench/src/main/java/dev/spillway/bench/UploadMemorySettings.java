package dev.spillway.bench;

import dev.spillway.core.config.Durations;
import dev.spillway.core.config.Sizes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of {@link UploadMemoryBenchmark} does. Immutable; {@link #parse} reads the command line and fails with
 * a message naming the flag.
 *
 * @param uploadBytes the size of the WAV file sent in each measured upload
 * @param repeats how many measured uploads sampling the heap in use ({@link UploadHeapMeter.Sampling#IN_USE})
 * @param liveRepeats how many more sampling the live heap ({@link UploadHeapMeter.Sampling#LIVE}: a full collection
 *     before each sample); 0 for none
 * @param warmups small uploads before the first measured one, unmeasured: the gateway's upload path (classes, JIT,
 *     the upstream connection, the spool directory) is then warm, so the first measured upload does not count the
 *     class metadata and caches a cold path allocates once
 * @param warmupBytes the size of each warm-up upload's file
 * @param sampleEvery how often the gateway's heap in use is read while an upload is in flight
 * @param gatewayHeap the gateway's fixed heap ({@code -Xms} = {@code -Xmx}, pre-touched); empty for the JVM's default
 *     sizing
 * @param baseline whether the same uploads also go to a process that holds each body in memory
 *     ({@link BufferingUploadSink}), measured the same way, as the figure the gateway is compared against
 * @param gatewayJar the shipped {@code spillway.jar} to run the gateway and the simulator from; empty runs the CLI
 *     from this JVM's class path (tests)
 * @param outDir where {@code upload-memory.md} and {@code upload-memory.json} go
 */
public record UploadMemorySettings(
    long uploadBytes,
    int repeats,
    int liveRepeats,
    int warmups,
    long warmupBytes,
    Duration sampleEvery,
    String gatewayHeap,
    boolean baseline,
    Optional<Path> gatewayJar,
    Path outDir) {

  /** The verdict's bound on the peak heap growth during an upload, MiB. */
  static final double PEAK_LIMIT_MIB = 8;

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.UploadMemoryBenchmark [flags]
        --size S                the measured upload's WAV file, e.g. 100MiB (default 100MiB)
        --repeats N             measured uploads sampling the heap in use (default 3)
        --live-repeats N        then measured uploads sampling the live heap, a full GC before each sample
                                (default 3; 0 for none)
        --warmups N             unmeasured small uploads before them (default 5)
        --warmup-size S         each warm-up upload's file (default 1MiB)
        --sample-every D        how often the gateway's heap in use is read during an upload (default 50ms)
        --gateway-heap S        the gateway's fixed heap, -Xms = -Xmx, pre-touched (default 256m; "default" for the
                                JVM's own sizing)
        --baseline B            also measure a process that holds each upload in memory, true/false (default true)
        --gateway-jar JAR       spillway.jar to run `serve` and `simulate` from (default: this class path)
        --out DIR               where upload-memory.md and .json go (default bench/results)
      """;

  public UploadMemorySettings {
    Objects.requireNonNull(sampleEvery, "sampleEvery");
    Objects.requireNonNull(gatewayHeap, "gatewayHeap");
    Objects.requireNonNull(gatewayJar, "gatewayJar");
    Objects.requireNonNull(outDir, "outDir");
    if (uploadBytes < 1024 || warmupBytes < 1024) {
      throw new IllegalArgumentException("--size and --warmup-size must be at least 1KiB");
    }
    if (repeats < 1 || liveRepeats < 0 || warmups < 0) {
      throw new IllegalArgumentException("--repeats must be at least 1, --live-repeats and --warmups not negative");
    }
    if (!sampleEvery.isPositive()) {
      throw new IllegalArgumentException("--sample-every must be positive");
    }
  }

  public static UploadMemorySettings defaults() {
    return new UploadMemorySettings(100L << 20, 3, 3, 5, 1L << 20, Duration.ofMillis(50), "256m", true,
        Optional.empty(), Path.of("bench", "results"));
  }

  /**
   * The gateway's {@code server.maxBodyBytes}: room for the largest file and its form around it, so the limit is
   * never what a measured upload meets.
   */
  long maxBodyBytes() {
    return Math.max(uploadBytes, warmupBytes) + (16L << 20);
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static UploadMemorySettings parse(String... args) {
    UploadMemorySettings s = defaults();
    long size = s.uploadBytes;
    int repeats = s.repeats;
    int liveRepeats = s.liveRepeats;
    int warmups = s.warmups;
    long warmupSize = s.warmupBytes;
    Duration sampleEvery = s.sampleEvery;
    String heap = s.gatewayHeap;
    boolean baseline = s.baseline;
    Optional<Path> jar = s.gatewayJar;
    Path outDir = s.outDir;
    for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--size" -> size = Sizes.parse(value);
          case "--repeats" -> repeats = Integer.parseInt(value);
          case "--live-repeats" -> liveRepeats = Integer.parseInt(value);
          case "--warmups" -> warmups = Integer.parseInt(value);
          case "--warmup-size" -> warmupSize = Sizes.parse(value);
          case "--sample-every" -> sampleEvery = Durations.parse(value);
          case "--gateway-heap" -> heap = value.equals("default") ? "" : value;
          case "--baseline" -> baseline = bool(value);
          case "--gateway-jar" -> jar = Optional.of(Path.of(value));
          case "--out" -> outDir = Path.of(value);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new UploadMemorySettings(size, repeats, liveRepeats, warmups, warmupSize, sampleEvery, heap, baseline, jar,
        outDir);
  }

  private static boolean bool(String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false, was '" + value + "'");
    };
  }
}
