package dev.spillway.core.plan;

import dev.spillway.core.config.PaygPrice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;

/**
 * Counts what happened to each request of one replay and turns the counts into a {@link CandidateResult}. PAYG tokens
 * are summed exactly (uncached prompt, cached prompt and completion apart) and priced once at the end in decimal
 * arithmetic, like the chargeback report; waits are kept per request (only the non-zero ones) for the percentiles.
 * Not thread-safe.
 */
final class ReplayTally {
  private long requests;
  private long ptuRequests;
  private long paygRequests;
  private long rejected;
  private long tokens;
  private long paygTokens;
  private long paygUncachedPrompt;
  private long paygCached;
  private long paygCompletion;
  private double ptuConvertedTokens;
  private long[] waits = new long[256];
  private int waited;

  void servedByPtu(long requestTokens, double convertedTokens, long waitedNanos) {
    ptuRequests++;
    ptuConvertedTokens += convertedTokens;
    count(requestTokens, waitedNanos);
  }

  void servedByPayg(long promptTokens, long cachedTokens, long completionTokens, long waitedNanos) {
    paygRequests++;
    paygTokens += promptTokens + completionTokens;
    paygUncachedPrompt += promptTokens - cachedTokens;
    paygCached += cachedTokens;
    paygCompletion += completionTokens;
    count(promptTokens + completionTokens, waitedNanos);
  }

  void rejected(long requestTokens, long waitedNanos) {
    rejected++;
    count(requestTokens, waitedNanos);
  }

  /** Requests counted so far, however they ended. */
  long requests() {
    return requests;
  }

  private void count(long requestTokens, long waitedNanos) {
    requests++;
    tokens += requestTokens;
    if (waitedNanos > 0) {
      if (waited == waits.length) {
        waits = Arrays.copyOf(waits, waited * 2);
      }
      waits[waited++] = waitedNanos;
    }
  }

  /**
   * @param ptus the candidate's PTU count
   * @param ptuTokensPerMinute its capacity in converted tokens a minute
   * @param periodNanos the recorded period, which PAYG costs are scaled from
   */
  CandidateResult result(int ptus, long ptuTokensPerMinute, long periodNanos, BigDecimal ptuUnitMonthly, PaygPrice price) {
    double capacity = ptuTokensPerMinute * (periodNanos / 60e9);
    double utilization = capacity <= 0 ? 0 : ptuConvertedTokens / capacity;
    BigDecimal paygPeriod = BigDecimal.valueOf(paygUncachedPrompt).multiply(price.inputPer1k())
        .add(BigDecimal.valueOf(paygCached).multiply(price.cachedInputPer1k()))
        .add(BigDecimal.valueOf(paygCompletion).multiply(price.outputPer1k()));
    BigDecimal monthNanos = BigDecimal.valueOf(Duration.ofHours(CandidateResult.HOURS_PER_MONTH).toNanos());
    BigDecimal paygMonthly = paygPeriod.multiply(monthNanos)
        .divide(BigDecimal.valueOf(periodNanos).multiply(BigDecimal.valueOf(1000)), 2, RoundingMode.HALF_EVEN);
    BigDecimal ptuMonthly = ptuUnitMonthly.multiply(BigDecimal.valueOf(ptus)).setScale(2, RoundingMode.HALF_EVEN);
    long[] sorted = Arrays.copyOf(waits, waited);
    Arrays.sort(sorted);
    return new CandidateResult(ptus, requests, ptuRequests, paygRequests, rejected, tokens, paygTokens, utilization,
        Duration.ofNanos(percentile(sorted, 0.50)), Duration.ofNanos(percentile(sorted, 0.99)), ptuMonthly, paygMonthly);
  }

  /** Nearest rank over every request, the zero waits (not stored) first. */
  private long percentile(long[] positiveSorted, double p) {
    if (requests == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p * requests);
    long zeros = requests - positiveSorted.length;
    return rank <= zeros ? 0 : positiveSorted[(int) (rank - zeros - 1)];
  }
}
