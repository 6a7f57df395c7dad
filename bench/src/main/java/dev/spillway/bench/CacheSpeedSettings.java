package dev.spillway.bench;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What one run of {@link CacheSpeedBenchmark} does. Immutable; {@link #parse} reads the command line and fails with a
 * message naming the flag.
 *
 * @param entries entries in the large partition, searched through HNSW (the target is stated at 100,000)
 * @param exactEntries entries in the small partition, searched exhaustively
 * @param exactSearchBelow the index's limit: a partition this large or larger is searched through its graph
 * @param lookups measured lookups per partition size, half of them near a stored entry, half near none
 * @param embeddings measured embeddings of a 30-token message
 * @param warmups unmeasured embeddings and lookups before the measured ones (the JIT's, not the model load's)
 * @param outDir where {@code cache-speed.md} and {@code cache-speed.json} go
 */
public record CacheSpeedSettings(
    int entries, int exactEntries, int exactSearchBelow, int lookups, int embeddings, int warmups, Path outDir) {

  /** The targets of the issue, milliseconds at the 99th percentile. */
  static final double EMBED_P99_LIMIT_MS = 15;
  static final double LOOKUP_P99_LIMIT_MS = 5;
  /** The entries the lookup target is stated at. */
  static final int TARGET_ENTRIES = 100_000;

  public static final String USAGE =
      """
      Usage: java -cp spillway-bench.jar dev.spillway.bench.CacheSpeedBenchmark [flags]
        --entries N             entries in the large partition, searched through HNSW (default 100000)
        --exact-entries N       entries in the small partition, searched exhaustively (default 1000)
        --exact-search-below N  a partition this large or larger is searched through its graph (default 2000)
        --lookups N             measured lookups per partition, half near a stored entry (default 4000)
        --embeddings N          measured embeddings of a 30-token message (default 1000)
        --warmups N             unmeasured embeddings and lookups before the measured ones (default 300)
        --out DIR               where cache-speed.md and .json go (default bench/results)
      """;

  public CacheSpeedSettings {
    Objects.requireNonNull(outDir, "outDir");
    if (entries < 1 || exactEntries < 1 || exactSearchBelow < 1) {
      throw new IllegalArgumentException("--entries, --exact-entries and --exact-search-below must be at least 1");
    }
    if (exactEntries >= exactSearchBelow || entries < exactSearchBelow) {
      throw new IllegalArgumentException("--exact-entries must be below --exact-search-below, and --entries at least"
          + " it, so one partition is searched each way");
    }
    if (lookups < 2 || embeddings < 1 || warmups < 0) {
      throw new IllegalArgumentException("--lookups must be at least 2, --embeddings at least 1, --warmups not"
          + " negative");
    }
  }

  public static CacheSpeedSettings defaults() {
    return new CacheSpeedSettings(TARGET_ENTRIES, 1_000, 2_000, 4_000, 1_000, 300, Path.of("bench", "results"));
  }

  /**
   * Reads {@code --flag value} pairs over the defaults.
   *
   * @throws IllegalArgumentException naming the flag, for an unknown flag or a bad value
   */
  public static CacheSpeedSettings parse(String... args) {
    CacheSpeedSettings s = defaults();
    int entries = s.entries;
    int exactEntries = s.exactEntries;
    int exactBelow = s.exactSearchBelow;
    int lookups = s.lookups;
    int embeddings = s.embeddings;
    int warmups = s.warmups;
    Path outDir = s.outDir;
    for (CliFlags flags = new CliFlags(args, "--"); flags.next(); ) {
      String value = flags.value();
      try {
        switch (flags.flag()) {
          case "--entries" -> entries = Integer.parseInt(value);
          case "--exact-entries" -> exactEntries = Integer.parseInt(value);
          case "--exact-search-below" -> exactBelow = Integer.parseInt(value);
          case "--lookups" -> lookups = Integer.parseInt(value);
          case "--embeddings" -> embeddings = Integer.parseInt(value);
          case "--warmups" -> warmups = Integer.parseInt(value);
          case "--out" -> outDir = Path.of(value);
          default -> throw flags.unknown();
        }
      } catch (IllegalArgumentException e) {
        throw flags.wrap(e);
      }
    }
    return new CacheSpeedSettings(entries, exactEntries, exactBelow, lookups, embeddings, warmups, outDir);
  }
}
