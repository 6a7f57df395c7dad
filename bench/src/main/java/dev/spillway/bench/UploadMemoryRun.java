package dev.spillway.bench;

import java.time.Instant;
import java.util.List;

/**
 * A finished upload-memory run: the gateway's rounds and, when measured, the baseline's (a process that holds each
 * body in memory), each round one {@link UploadHeapMeter.Round}.
 *
 * @param fileBytes the measured uploads' WAV file
 * @param bodyBytes the whole form sent (the file and its multipart framing)
 * @param gatewayCollectors the gateway JVM's collectors, for the report's setup
 * @param gateway the gateway's measured rounds, in order
 * @param baseline the baseline's measured rounds, in order; empty when not measured
 * @param notes what the reader should know (machine load, ...)
 */
record UploadMemoryRun(
    UploadMemorySettings settings,
    Instant startedAt,
    double loadAverageAtStart,
    double loadAverageAtEnd,
    long fileBytes,
    long bodyBytes,
    List<String> gatewayCollectors,
    List<UploadHeapMeter.Round> gateway,
    List<UploadHeapMeter.Round> baseline,
    List<String> notes) {

  private static final double MIB = 1024.0 * 1024.0;

  UploadMemoryRun {
    gatewayCollectors = List.copyOf(gatewayCollectors);
    gateway = List.copyOf(gateway);
    baseline = List.copyOf(baseline);
    notes = List.copyOf(notes);
  }

  double uploadMiB() {
    return bodyBytes / MIB;
  }

  /** The rounds of {@code rounds} that sampled as {@code sampling}. */
  static List<UploadHeapMeter.Round> of(List<UploadHeapMeter.Round> rounds, UploadHeapMeter.Sampling sampling) {
    return rounds.stream().filter(r -> r.sampling() == sampling).toList();
  }

  /** The highest peak growth among {@code rounds} that sampled as {@code sampling}; NaN when there are none. */
  static double peakGrowthMiB(List<UploadHeapMeter.Round> rounds, UploadHeapMeter.Sampling sampling) {
    return of(rounds, sampling).stream().mapToDouble(UploadHeapMeter.Round::peakGrowthMiB).max().orElse(Double.NaN);
  }

  /** The gateway's highest peak growth of the heap in use over its rounds: the verdict's figure. */
  double gatewayPeakGrowthMiB() {
    return peakGrowthMiB(gateway, UploadHeapMeter.Sampling.IN_USE);
  }

  /** The gateway's highest growth of the live heap during an upload; NaN when not measured. */
  double gatewayLiveGrowthMiB() {
    return peakGrowthMiB(gateway, UploadHeapMeter.Sampling.LIVE);
  }

  /** The gateway's highest peak growth as a share of the upload's size (1 = the upload held once). */
  double gatewayRatio() {
    return gatewayPeakGrowthMiB() / uploadMiB();
  }

  /** The gateway's heap allocation per upload (the most of its rounds) as a share of the upload's size. */
  double gatewayAllocatedRatio() {
    return gateway.stream().mapToDouble(UploadHeapMeter.Round::allocatedMiB).max().orElse(Double.NaN) / uploadMiB();
  }

  /** Whether every measured upload, the baseline's included, was answered 200. */
  boolean allAnswered() {
    return gateway.stream().allMatch(r -> r.status() == 200) && baseline.stream().allMatch(r -> r.status() == 200);
  }

  /**
   * The verdict: every gateway upload answered 200, and the peak growth of its heap in use within {@link
   * UploadMemorySettings#PEAK_LIMIT_MIB}.
   */
  boolean pass() {
    return allAnswered() && gatewayPeakGrowthMiB() <= UploadMemorySettings.PEAK_LIMIT_MIB;
  }

  /** The same bound on the live heap's growth during an upload; false when not measured. */
  boolean livePass() {
    return allAnswered() && gatewayLiveGrowthMiB() <= UploadMemorySettings.PEAK_LIMIT_MIB;
  }
}
