package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Choosing among candidates: the cheapest that meets the target, or the closest when none does. */
class RecommendationTest {
  /** A candidate with {@code paygTokens} of 1000 tokens spilled and the given p99 wait and monthly cost. */
  private static CandidateResult candidate(int ptus, long paygTokens, long p99Millis, String cost) {
    return new CandidateResult(ptus, 100, 100 - paygTokens / 10, paygTokens / 10, 0, 1_000, paygTokens, 0.5,
        Duration.ZERO, Duration.ofMillis(p99Millis), new BigDecimal(cost), BigDecimal.ZERO);
  }

  private static PlanTarget target(double spill, long p99Millis) {
    return new PlanTarget(OptionalDouble.of(spill), Optional.of(Duration.ofMillis(p99Millis)));
  }

  private final List<CandidateResult> candidates = List.of(
      candidate(0, 1_000, 0, "900"),
      candidate(15, 300, 2_500, "700"),
      candidate(20, 80, 1_200, "750"),
      candidate(25, 20, 900, "820"),
      candidate(30, 0, 0, "950"));

  @Test
  void withoutATargetTheCheapestIsRecommended() {
    Recommendation r = Recommendation.choose(candidates, PlanTarget.NONE);
    assertThat(r.candidate().ptus()).isEqualTo(15);
    assertThat(r.meetsTarget()).isTrue();
  }

  @Test
  void theCheapestCandidateThatMeetsEveryLimitIsRecommended() {
    assertThat(Recommendation.choose(candidates, target(0.10, 2_000)).candidate().ptus()).isEqualTo(20);
    assertThat(Recommendation.choose(candidates, target(0.05, 2_000)).candidate().ptus()).isEqualTo(25);
    assertThat(Recommendation.choose(candidates, target(0.05, 500)).candidate().ptus()).isEqualTo(30);
    assertThat(Recommendation.choose(candidates, new PlanTarget(OptionalDouble.of(0.5), Optional.empty()))
        .candidate().ptus()).isEqualTo(15);
  }

  @Test
  void whenNoneMeetsTheTargetTheClosestIsNamedAndFlagged() {
    List<CandidateResult> short_ = List.of(candidate(0, 1_000, 0, "900"), candidate(15, 300, 0, "700"),
        candidate(20, 80, 0, "750"));
    Recommendation r = Recommendation.choose(short_, target(0.05, 2_000));

    assertThat(r.meetsTarget()).isFalse();
    assertThat(r.candidate().ptus()).isEqualTo(20); // 8 % spilled: 60 % over the 5 % limit, the least miss
  }

  @Test
  void aZeroLimitIsMetOnlyByZero() {
    PlanTarget noSpill = new PlanTarget(OptionalDouble.of(0), Optional.empty());
    assertThat(noSpill.isMetBy(candidate(30, 0, 0, "1"))).isTrue();
    assertThat(noSpill.shortfall(candidate(25, 20, 0, "1"))).isGreaterThan(1);
    assertThat(noSpill.describe()).isEqualTo("spill <= 0%");
    assertThat(target(0.025, 2_000).describe()).isEqualTo("spill <= 2.5%, p99 wait <= 2s");
    assertThat(PlanTarget.NONE.describe()).isEqualTo("none (the cheapest)");
  }

  @Test
  void equalCostsPreferFewerPtus() {
    List<CandidateResult> tied = List.of(candidate(20, 0, 0, "800"), candidate(15, 0, 0, "800"));
    assertThat(Recommendation.choose(tied, PlanTarget.NONE).candidate().ptus()).isEqualTo(15);
  }

  @Test
  void thereIsNothingToChooseFromNoCandidates() {
    assertThatThrownBy(() -> Recommendation.choose(List.of(), PlanTarget.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
