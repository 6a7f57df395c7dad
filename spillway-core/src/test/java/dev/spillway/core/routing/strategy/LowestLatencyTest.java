package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LowestLatencyTest {
  /** No random exploration, so picks are deterministic apart from ties. */
  private final SelectionStrategy greedy = SelectionStrategy.lowestLatency(256, 0);
  private final SplittableRandom random = new SplittableRandom(11);

  @Test
  void prefersTheFastestBackendOnceMeasured() {
    List<FakeCandidate> candidates = List.of(
        new FakeCandidate(0, 10).measured(300, 20),
        FakeCandidate.at(1).measured(200, 10),
        new FakeCandidate(2, 10).measured(900, 15));
    for (int i = 0; i < 1_000; i++) {
      assertThat(greedy.pick(candidates, random)).isEqualTo(1);
    }
  }

  @Test
  void triesAnUnmeasuredBackendFirstThenJudgesItByItsSample() {
    FakeCandidate fresh = FakeCandidate.at(2);
    List<FakeCandidate> candidates =
        List.of(FakeCandidate.at(0).measured(300, 20), FakeCandidate.at(1).measured(200, 10), fresh);
    assertThat(greedy.pick(candidates, random)).isEqualTo(2);

    fresh.measured(2_000, 50);
    assertThat(greedy.pick(candidates, random)).isEqualTo(1);
  }

  @Test
  void doesNotHerdOntoAnUnmeasuredBackendWhoseFirstCallIsInFlight() {
    List<FakeCandidate> candidates =
        List.of(FakeCandidate.at(0).measured(300, 20), FakeCandidate.at(1).withInFlight(1));
    assertThat(greedy.pick(candidates, random)).isZero();
  }

  @Test
  void picksByWeightWhenNothingIsMeasuredAndEveryBackendIsBusy() {
    List<FakeCandidate> candidates =
        List.of(new FakeCandidate(0, 1).withInFlight(1), new FakeCandidate(1, 3).withInFlight(1));
    int[] counts = new int[2];
    for (int i = 0; i < 10_000; i++) {
      counts[greedy.pick(candidates, random)]++;
    }
    assertThat(counts[1]).isCloseTo(7_500, within(375));
  }

  @Test
  void weighsTimeToFirstTokenAgainstGenerationSpeedByExpectedAnswerLength() {
    List<FakeCandidate> candidates = List.of(
        FakeCandidate.at(0).measured(100, 10), // quick to start, slow to generate
        FakeCandidate.at(1).measured(1_000, 5)); // slow to start, quick to generate
    assertThat(SelectionStrategy.lowestLatency(10, 0).pick(candidates, random)).isZero();
    assertThat(SelectionStrategy.lowestLatency(1_000, 0).pick(candidates, random)).isEqualTo(1);
  }

  @Test
  void breaksEqualScoresInProportionToWeight() {
    List<FakeCandidate> candidates =
        List.of(new FakeCandidate(0, 1).measured(300, 20), new FakeCandidate(1, 3).measured(300, 20));
    int[] counts = new int[2];
    for (int i = 0; i < 10_000; i++) {
      counts[greedy.pick(candidates, random)]++;
    }
    assertThat(counts[1]).isCloseTo(7_500, within(375));
  }

  @Test
  void exploresAtRandomInAboutFivePercentOfPicksByDefault() {
    SelectionStrategy strategy = SelectionStrategy.lowestLatency();
    List<FakeCandidate> candidates = List.of(
        FakeCandidate.at(0).measured(100, 5),
        FakeCandidate.at(1).measured(900, 50),
        FakeCandidate.at(2).measured(900, 50));
    int[] counts = new int[3];
    for (int i = 0; i < 10_000; i++) {
      counts[strategy.pick(candidates, random)]++;
    }
    // 5 % uniformly random: each slow backend gets a third of those, about 167 picks.
    assertThat(counts[1]).isBetween(110, 230);
    assertThat(counts[2]).isBetween(110, 230);
  }

  @Test
  void rejectsSettingsOutOfRange() {
    assertThatThrownBy(() -> SelectionStrategy.lowestLatency(-1, 0.05))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expectedOutputTokens");
    assertThatThrownBy(() -> SelectionStrategy.lowestLatency(256, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explorationProbability");
    assertThatThrownBy(() -> SelectionStrategy.lowestLatency(256, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
