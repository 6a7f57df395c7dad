package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedRandomTest {
  private final SelectionStrategy strategy = SelectionStrategy.weightedRandom();
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void picksInProportionToWeightWithinFivePercent() {
    List<FakeCandidate> candidates =
        List.of(new FakeCandidate(0, 2), new FakeCandidate(1, 3), new FakeCandidate(2, 5));
    int[] counts = draw(candidates, 10_000);
    assertThat(counts[0]).isCloseTo(2_000, within(100));
    assertThat(counts[1]).isCloseTo(3_000, within(150));
    assertThat(counts[2]).isCloseTo(5_000, within(250));
  }

  @Test
  void ignoresCallsInFlightAndLatency() {
    List<FakeCandidate> candidates =
        List.of(new FakeCandidate(0, 1).withInFlight(50).measured(5_000, 100), new FakeCandidate(1, 1));
    int[] counts = draw(candidates, 10_000);
    assertThat(counts[0]).isCloseTo(5_000, within(250));
  }

  @Test
  void treatsAWeightBelowOneAsOne() {
    List<FakeCandidate> candidates = List.of(new FakeCandidate(0, 0), new FakeCandidate(1, 1));
    int[] counts = draw(candidates, 10_000);
    assertThat(counts[0]).isCloseTo(5_000, within(250));
  }

  private int[] draw(List<FakeCandidate> candidates, int picks) {
    int[] counts = new int[candidates.size()];
    for (int i = 0; i < picks; i++) {
      counts[strategy.pick(candidates, random)]++;
    }
    return counts;
  }
}
