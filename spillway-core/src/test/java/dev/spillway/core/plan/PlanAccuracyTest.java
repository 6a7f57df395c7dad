package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.PaygPrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan against an optimum found without the replay: a piecewise-constant load (evenly spaced, equal requests at
 * four levels) whose spill at each PTU count follows from the load alone. A fluid model — PTU serves
 * {@code min(load, capacity)} in every segment, PAYG the rest — gives each count's monthly cost; brute force over the
 * counts gives the cost-optimal one. The replay (router, bucket, retry-after, scheduler) must recommend a count whose
 * cost is within 5 % of that optimum.
 */
class PlanAccuracyTest {
  /** 90 prompt + 10 completion tokens; with an output weight of 4 a request uses 130 tokens of PTU capacity. */
  private static final long PROMPT = 90;
  private static final long COMPLETION = 10;
  private static final double CONVERTED = 130;
  private static final PtuThroughput THROUGHPUT = new PtuThroughput(6_000, BigDecimal.valueOf(4), 1, 1, "test");
  private static final PaygPrice PRICE = new PaygPrice(new BigDecimal("0.0025"), new BigDecimal("0.01"), null);
  private static final BigDecimal UNIT = new BigDecimal("300");
  /** (minutes, requests a minute): 40 % of the time at 300, 30 % at 600, 20 % at 900, 10 % at 1300, interleaved. */
  private static final int[][] SEGMENTS = {
      {24, 300}, {18, 600}, {12, 900}, {6, 1_300}, {24, 300}, {18, 600}, {12, 900}, {6, 1_300}};
  private static final int MAX_PTUS = 32;

  private static ArrivalSeries series;
  private static List<CandidateResult> results;

  @BeforeAll
  static void replayEveryCount() {
    long minutes = 0;
    for (int[] s : SEGMENTS) {
      minutes += s[0];
    }
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", Duration.ofMinutes(minutes).toNanos());
    long start = 0;
    for (int[] s : SEGMENTS) {
      long requests = (long) s[0] * s[1];
      long length = Duration.ofMinutes(s[0]).toNanos();
      for (long k = 0; k < requests; k++) {
        b.add(start + k * length / requests, PROMPT, 0, COMPLETION);
      }
      start += length;
    }
    series = b.build();
    CapacityReplay replay = new CapacityReplay(
        ReplaySettings.builder().throughput(THROUGHPUT).paygPrice(PRICE).ptuUnitMonthly(UNIT).build());
    results = new ArrayList<>();
    for (int n = 0; n <= MAX_PTUS; n++) {
      results.add(replay.run(series, n));
    }
  }

  /** The fluid model's monthly cost of {@code ptus}: their price plus the PAYG price of what exceeds their capacity. */
  private static double fluidMonthlyCost(int ptus) {
    double capacityPerMinute = THROUGHPUT.tokensPerMinute(ptus) / CONVERTED; // requests a minute
    double spilled = 0;
    double minutes = 0;
    for (int[] s : SEGMENTS) {
      spilled += Math.max(0, s[1] - capacityPerMinute) * s[0];
      minutes += s[0];
    }
    double perRequest = (PROMPT * 0.0025 + COMPLETION * 0.01) / 1000;
    return ptus * UNIT.doubleValue() + spilled * perRequest * (CandidateResult.HOURS_PER_MONTH * 60 / minutes);
  }

  private static double fluidSpillShare(int ptus) {
    double capacityPerMinute = THROUGHPUT.tokensPerMinute(ptus) / CONVERTED;
    double spilled = 0;
    double all = 0;
    for (int[] s : SEGMENTS) {
      spilled += Math.max(0, s[1] - capacityPerMinute) * s[0];
      all += (double) s[1] * s[0];
    }
    return spilled / all;
  }

  private static int fluidOptimum() {
    int best = 0;
    for (int n = 1; n <= MAX_PTUS; n++) {
      if (fluidMonthlyCost(n) < fluidMonthlyCost(best)) {
        best = n;
      }
    }
    return best;
  }

  @Test
  void theRecommendationCostsWithinFivePercentOfTheBruteForceOptimum() {
    int optimum = fluidOptimum();
    CandidateResult recommended = Recommendation.choose(results, PlanTarget.NONE).candidate();

    double optimumCost = fluidMonthlyCost(optimum);
    double recommendedFluidCost = fluidMonthlyCost(recommended.ptus());
    double recommendedReplayCost = recommended.monthlyCost().doubleValue();
    System.out.printf(Locale.ROOT,
        "plan accuracy: optimum %d PTU at %.2f a month (fluid model); replay recommends %d PTU at %.2f (replay) / %.2f"
            + " (fluid), %+.2f %% from the optimum's cost%n",
        optimum, optimumCost, recommended.ptus(), recommendedReplayCost, recommendedFluidCost,
        (recommendedReplayCost / optimumCost - 1) * 100);

    assertThat(optimum).as("the constructed load has an optimum inside the range").isBetween(5, MAX_PTUS - 5);
    assertThat(recommended.ptus()).isBetween(optimum - 1, optimum + 1);
    assertThat(recommendedFluidCost).isLessThanOrEqualTo(optimumCost * 1.05);
    assertThat(recommendedReplayCost).isBetween(optimumCost * 0.95, optimumCost * 1.05);
  }

  @Test
  void everyCandidatesCostAndSpillFollowTheFluidModel() {
    double worst = 0;
    for (CandidateResult r : results) {
      double fluid = fluidMonthlyCost(r.ptus());
      worst = Math.max(worst, Math.abs(r.monthlyCost().doubleValue() / fluid - 1));
      assertThat(r.monthlyCost().doubleValue()).as("%d PTU", r.ptus()).isBetween(fluid * 0.97, fluid * 1.03);
      assertThat(r.spillShare()).as("%d PTU", r.ptus()).isBetween(fluidSpillShare(r.ptus()) - 0.01,
          fluidSpillShare(r.ptus()) + 0.01);
      assertThat(r.rejectedRequests()).isZero();
      assertThat(r.requests()).isEqualTo(series.size());
    }
    System.out.printf(Locale.ROOT, "plan accuracy: the largest gap between replay and fluid cost over 0..%d PTU is %.2f %%%n",
        MAX_PTUS, worst * 100);
  }

  @Test
  void withASpillTargetItRecommendsTheFewestPtusThatMeetIt() {
    PlanTarget fivePercent = new PlanTarget(OptionalDouble.of(0.05), Optional.empty());
    int fewest = 0;
    while (fluidSpillShare(fewest) > 0.05) {
      fewest++;
    }
    Recommendation r = Recommendation.choose(results, fivePercent);

    assertThat(r.meetsTarget()).isTrue();
    assertThat(r.candidate().spillShare()).isLessThanOrEqualTo(0.05);
    assertThat(r.candidate().ptus()).isBetween(fewest - 1, fewest + 1);
  }
}
