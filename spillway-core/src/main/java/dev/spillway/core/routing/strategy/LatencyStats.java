package dev.spillway.core.routing.strategy;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent latency of one backend, for {@link SelectionStrategy#lowestLatency()}: exponentially
 * weighted moving averages (EWMA) of the time to first token and of the time per output token.
 *
 * <p>The two are kept apart (a lesson from LiteLLM's router): a backend can answer its first token
 * quickly and then generate slowly, or the other way round, and which matters depends on how long
 * the answer is. {@link #score(long)} combines them for an expected answer length.
 *
 * <p>Each average starts at its first sample and then moves by {@code alpha × (sample − average)}.
 * With the default {@code alpha = 0.2} a sample's weight halves after about three newer samples,
 * so the average follows roughly the last ten calls. The averages count calls, not time: a backend
 * that gets no traffic keeps its last average until it is measured again.
 *
 * <p>Thread-safe and lock-free: each average is a {@code double} held as bits in an {@link
 * AtomicLong} and updated with a compare-and-swap loop, so concurrent samples are never lost. The
 * two averages are updated one after the other, not as one atomic step.
 */
public final class LatencyStats {
  /** Smoothing factor used by {@link #LatencyStats()}. */
  public static final double DEFAULT_ALPHA = 0.2;

  private static final long NO_SAMPLE = Double.doubleToRawLongBits(Double.NaN);

  private final double alpha;
  private final AtomicLong ttftNanosBits = new AtomicLong(NO_SAMPLE);
  private final AtomicLong nanosPerOutputTokenBits = new AtomicLong(NO_SAMPLE);
  private final AtomicLong samples = new AtomicLong();

  /** With the {@linkplain #DEFAULT_ALPHA default smoothing factor}. */
  public LatencyStats() {
    this(DEFAULT_ALPHA);
  }

  /**
   * @param alpha weight of each new sample, in {@code (0, 1]}; larger follows changes faster, 1
   *     keeps only the last sample
   */
  public LatencyStats(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
  }

  public double alpha() {
    return alpha;
  }

  /**
   * Records one completed call. Called once per successful call, from any thread.
   *
   * <p>The time to first token is averaged when known. The time per output token is {@code
   * (totalNanos − ttftNanos) ÷ outputTokens} when the first token's time is known (a streamed call:
   * generation time only), else {@code totalNanos ÷ outputTokens} (a non-streamed call: the
   * prompt's processing is folded in, which is all that can be known).
   *
   * @param ttftNanos time from sending the request to the first token; negative when unknown
   * @param totalNanos time from sending the request to the last byte; negative when unknown
   * @param outputTokens completion tokens of the answer; when {@code <= 0} the per-token average is
   *     not updated
   */
  public void record(long ttftNanos, long totalNanos, long outputTokens) {
    boolean recorded = false;
    if (ttftNanos >= 0) {
      update(ttftNanosBits, ttftNanos);
      recorded = true;
    }
    if (outputTokens > 0 && totalNanos >= 0) {
      long generationNanos = ttftNanos >= 0 ? Math.max(0, totalNanos - ttftNanos) : totalNanos;
      update(nanosPerOutputTokenBits, (double) generationNanos / outputTokens);
      recorded = true;
    }
    if (recorded) {
      // After the averages, so that samples() > 0 implies an average is there to read.
      samples.incrementAndGet();
    }
  }

  /** Average time to first token in nanos; empty before the first call with a known one. */
  public OptionalDouble ttftNanos() {
    return present(ttftNanosBits.get());
  }

  /** Average nanos per output token; empty before the first call with output tokens. */
  public OptionalDouble nanosPerOutputToken() {
    return present(nanosPerOutputTokenBits.get());
  }

  /** Calls that updated at least one average; 0 means the backend was never measured. */
  public long samples() {
    return samples.get();
  }

  /**
   * Expected nanos for a call producing {@code expectedOutputTokens}: average time to first token
   * plus average time per output token × {@code expectedOutputTokens}. An average with no sample
   * yet counts as 0, so the score is {@code 0.0} before any sample: an unmeasured backend looks
   * fastest. (A backend measured only by non-streamed calls has no TTFT average, but its per-token
   * average already includes the prompt processing.) Allocation-free; lower is better.
   */
  public double score(long expectedOutputTokens) {
    double ttft = Double.longBitsToDouble(ttftNanosBits.get());
    double perToken = Double.longBitsToDouble(nanosPerOutputTokenBits.get());
    return (Double.isNaN(ttft) ? 0 : ttft) + (Double.isNaN(perToken) ? 0 : perToken * expectedOutputTokens);
  }

  private void update(AtomicLong bits, double sample) {
    long prevBits;
    long nextBits;
    do {
      prevBits = bits.get();
      double prev = Double.longBitsToDouble(prevBits);
      double next = Double.isNaN(prev) ? sample : prev + alpha * (sample - prev);
      nextBits = Double.doubleToRawLongBits(next);
    } while (!bits.compareAndSet(prevBits, nextBits));
  }

  private static OptionalDouble present(long bits) {
    double value = Double.longBitsToDouble(bits);
    return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  @Override
  public String toString() {
    return "LatencyStats[ttftNanos=" + ttftNanos() + ", nanosPerOutputToken=" + nanosPerOutputToken()
        + ", samples=" + samples() + "]";
  }
}
