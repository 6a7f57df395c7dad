package dev.spillway.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what one upload does to the heap of the process it is sent to, through {@link JvmHeapProbe}: the heap
 * after a full collection just before (the live set), the heap every {@code sampleEvery} while the upload is in
 * flight and once more as its answer arrives, the heap after a full collection then, and the bytes the process
 * allocated in between.
 *
 * <p>It samples in one of two ways ({@link Sampling}). {@link Sampling#IN_USE} reads the heap in use, garbage
 * included, with no collection requested: it does not disturb the upload, and it is an upper bound on what the
 * process held, since a body held whole shows in full, but so does every buffer it allocated and dropped until the
 * young generation is next collected. {@link Sampling#LIVE} has the process run a full collection before each read,
 * as the soak does now and then: the upload slows while the process stops for them, and what is left is what the
 * process held at that moment, the answer to "does the upload sit on the heap".
 */
final class UploadHeapMeter {
  private static final double MIB = 1024.0 * 1024.0;

  private final JvmHeapProbe probe;
  private final Duration sampleEvery;

  UploadHeapMeter(JvmHeapProbe probe, Duration sampleEvery) {
    this.probe = probe;
    this.sampleEvery = sampleEvery;
  }

  /** What a sample reads while the upload is in flight. */
  enum Sampling {
    /** The heap in use, garbage included; no collection requested. */
    IN_USE("in use"),
    /** The heap after a full collection requested for the sample. */
    LIVE("live");

    private final String label;

    Sampling(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /**
   * One measured upload.
   *
   * @param sampling what the samples read
   * @param seconds from sending the request until its answer arrived
   * @param status the answer's status
   * @param answer the first characters of its body, for a report when it is not 200
   * @param liveBeforeMiB the heap after a full collection just before the upload
   * @param peakUsedMiB the highest sample, taken while it was in flight or as it was answered
   * @param liveAfterMiB the heap after a full collection once it was answered
   * @param samples how many samples were taken (the one as it was answered included)
   * @param collections collections the process ran while it was in flight, the requested ones included
   * @param allocatedMiB what the process allocated on its heap from just before the upload until just after its
   *     answer, kept or not; -1 when it does not measure it
   */
  record Round(Sampling sampling, double seconds, int status, String answer, double liveBeforeMiB, double peakUsedMiB,
      double liveAfterMiB, int samples, long collections, double allocatedMiB) {

    /** Peak heap growth: the highest sample during the upload over the live heap before it. */
    double peakGrowthMiB() {
      return peakUsedMiB - liveBeforeMiB;
    }

    /** Retained growth: the live heap after the upload over the live heap before it. */
    double retainedGrowthMiB() {
      return liveAfterMiB - liveBeforeMiB;
    }
  }

  /** Sends {@code upload} to {@code url} and measures the heap around and during it, sampling as {@code sampling}. */
  Round measure(Sampling sampling, WavUpload upload, HttpClient client, String url, Map<String, String> headers,
      Duration timeout) {
    JvmHeapProbe.Reading before = probe.read(true);
    long allocatedBefore = probe.allocatedBytes();
    AtomicBoolean inFlight = new AtomicBoolean(true);
    AtomicLong peak = new AtomicLong(before.heapAfterGcBytes());
    AtomicLong samples = new AtomicLong();
    AtomicLong lastCollections = new AtomicLong(before.collections());
    Thread sampler = Thread.ofPlatform().name("upload-heap-sampler").daemon().start(() -> {
      while (inFlight.get()) {
        JvmHeapProbe.Usage u = sample(sampling);
        peak.accumulateAndGet(u.usedBytes(), Math::max);
        lastCollections.set(u.collections());
        samples.incrementAndGet();
        try {
          TimeUnit.NANOSECONDS.sleep(sampleEvery.toNanos());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    WavUpload.Answer answer;
    try {
      answer = upload.send(client, url, headers, timeout);
    } finally {
      inFlight.set(false);
      join(sampler);
    }
    // One more as the answer arrives: an upload shorter than the period is then still seen (its allocations stay in
    // use until the next collection).
    JvmHeapProbe.Usage last = sample(sampling);
    long allocatedAfter = probe.allocatedBytes();
    peak.accumulateAndGet(last.usedBytes(), Math::max);
    lastCollections.set(last.collections());
    samples.incrementAndGet();
    long collections = lastCollections.get() - before.collections();
    JvmHeapProbe.Reading after = probe.read(true);
    double allocated = allocatedBefore < 0 || allocatedAfter < 0 ? -1 : (allocatedAfter - allocatedBefore) / MIB;
    return new Round(sampling, answer.nanos() / 1e9, answer.status(), answer.body(),
        before.heapAfterGcBytes() / MIB, peak.get() / MIB, after.heapAfterGcBytes() / MIB, (int) samples.get(),
        collections, allocated);
  }

  private JvmHeapProbe.Usage sample(Sampling sampling) {
    if (sampling == Sampling.IN_USE) {
      return probe.usage();
    }
    JvmHeapProbe.Reading r = probe.read(true);
    return new JvmHeapProbe.Usage(r.heapAfterGcBytes(), r.collections());
  }

  private static void join(Thread sampler) {
    try {
      sampler.join();
    } catch (InterruptedException e) {
      sampler.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
