package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CandidateSizesTest {
  private static final PtuThroughput GPT_4O = PublishedPtuFigures.of("gpt-4o").orElseThrow();

  @Test
  void readsCountsRangesAndSteppedRangesSortedWithoutRepeats() {
    assertThat(CandidateSizes.parse("0..5")).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(CandidateSizes.parse("30, 0,15,15")).containsExactly(0, 15, 30);
    assertThat(CandidateSizes.parse("0,15..40/5")).containsExactly(0, 15, 20, 25, 30, 35, 40);
    assertThat(CandidateSizes.parse("10..12/5")).containsExactly(10);
  }

  @Test
  void aListThatCannotBeReadSaysWhatIsExpected() {
    assertThatThrownBy(() -> CandidateSizes.parse("0..twenty")).hasMessage(
        "candidates must be PTU counts and ranges such as 0,15,20 or 0..40 or 15..100/5, got \"0..twenty\"");
    assertThatThrownBy(() -> CandidateSizes.parse("20..10")).hasMessageContaining("\"20..10\" is an empty range");
    assertThatThrownBy(() -> CandidateSizes.parse("1..10/0")).hasMessageContaining("empty range");
    assertThatThrownBy(() -> CandidateSizes.parse("")).hasMessageContaining("got \"\"");
    assertThatThrownBy(() -> CandidateSizes.parse("0..100000")).hasMessageContaining("at most 200 PTU counts");
  }

  @Test
  void byDefaultTheDeployableSizesUpToOneStepPastTheBusiestMinute() {
    // 60,000 converted tokens in the busiest minute need 24 PTUs of 2,500: sizes 15, 20, 25 hold it, 30 is one beyond
    assertThat(CandidateSizes.deployable(GPT_4O, 60_000)).containsExactly(0, 15, 20, 25, 30);
    assertThat(CandidateSizes.deployable(GPT_4O, 1_000)).containsExactly(0, 15, 20);
    assertThat(CandidateSizes.deployable(GPT_4O, 0)).containsExactly(0, 15, 20);
  }

  @Test
  void aLongDefaultListTakesCoarserSteps() {
    // 1,000 PTUs would be 199 steps of 5: at most 40 candidates, in steps that are whole increments
    var sizes = CandidateSizes.deployable(GPT_4O, 2_500_000);
    assertThat(sizes.size()).isLessThanOrEqualTo(41);
    assertThat(sizes.getLast()).isGreaterThanOrEqualTo(1_000);
    assertThat(sizes.subList(1, sizes.size())).allSatisfy(n -> assertThat(GPT_4O.deployable(n)).isTrue());
  }

  @Test
  void regionalSizesFollowTheWrittenMinimumAndIncrement() {
    PtuThroughput regional = new PtuThroughput(2_500, BigDecimal.valueOf(4), 50, 50, "plan.models.gpt-4o");
    assertThat(CandidateSizes.deployable(regional, 200_000)).containsExactly(0, 50, 100, 150);
    assertThat(regional.deployable(75)).isFalse();
    assertThat(regional.deployable(100)).isTrue();
  }
}
