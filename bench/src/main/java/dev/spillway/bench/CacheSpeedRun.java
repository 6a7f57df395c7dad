package dev.spillway.bench;

import java.time.Instant;
import java.util.List;

/**
 * What one run of {@link CacheSpeedBenchmark} measured.
 *
 * @param vectorApi whether the JDK's Vector API module was present (Lucene's vector kernels use it)
 * @param embedding the in-process embedder's figures
 * @param lookups one per partition size, the exhaustive one first
 */
record CacheSpeedRun(
    CacheSpeedSettings settings,
    Instant startedAt,
    double loadAverageAtStart,
    double loadAverageAtEnd,
    boolean vectorApi,
    Embedding embedding,
    List<Lookups> lookups,
    List<String> notes) {

  /**
   * @param embedderId the embedder's id
   * @param messageTokens the measured messages' length in o200k tokens (each is exactly this long)
   * @param messages how many different messages were cycled through
   * @param firstCallMillis the first call, the model's load included
   * @param latency the measured calls, warm, one thread
   */
  record Embedding(String embedderId, int messageTokens, int messages, double firstCallMillis,
      LatencySummary latency) {
    boolean pass() {
      return latency.p99Millis() <= CacheSpeedSettings.EMBED_P99_LIMIT_MS;
    }
  }

  /**
   * @param entries entries in the partition searched
   * @param graph whether it was searched through HNSW (else exhaustively)
   * @param dimensions the vectors' length
   * @param buildSeconds putting every entry, graph writes, refreshes and merges included
   * @param heapAfterBuildMiB the heap in use after a full collection, the index built (the whole process's)
   * @param near lookups of a vector at similarity 0.97 to a stored one
   * @param far lookups of a random vector, which no stored one is near
   * @param all both
   * @param nearFound how many near lookups returned the entry they were made from
   */
  record Lookups(int entries, boolean graph, int dimensions, double buildSeconds, double heapAfterBuildMiB,
      LatencySummary near, LatencySummary far, LatencySummary all, long nearFound) {
    double recall() {
      return near.samples() == 0 ? 0 : (double) nearFound / near.samples();
    }

    boolean pass() {
      return all.p99Millis() <= CacheSpeedSettings.LOOKUP_P99_LIMIT_MS;
    }
  }

  /** The lookups through the graph (the large partition). */
  Lookups large() {
    return lookups.stream().filter(Lookups::graph).findFirst().orElseThrow();
  }

  /** Whether the large partition was as large as the target says. */
  boolean atTargetSize() {
    return large().entries() >= CacheSpeedSettings.TARGET_ENTRIES;
  }
}
