package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastInFlightTest {
  private final SelectionStrategy strategy = SelectionStrategy.leastInFlight();
  private final SplittableRandom random = new SplittableRandom(9);

  @Test
  void picksTheCandidateWithFewestCallsInFlight() {
    List<FakeCandidate> candidates = List.of(
        new FakeCandidate(0, 10).withInFlight(3),
        new FakeCandidate(1, 1).withInFlight(1),
        new FakeCandidate(2, 10).withInFlight(2));
    for (int i = 0; i < 1_000; i++) {
      assertThat(strategy.pick(candidates, random)).isEqualTo(1);
    }
  }

  @Test
  void breaksTiesInProportionToWeight() {
    List<FakeCandidate> candidates = List.of(
        new FakeCandidate(0, 1).withInFlight(2),
        new FakeCandidate(1, 3).withInFlight(2),
        new FakeCandidate(2, 10).withInFlight(5));
    int[] counts = new int[3];
    for (int i = 0; i < 10_000; i++) {
      counts[strategy.pick(candidates, random)]++;
    }
    assertThat(counts[0]).isCloseTo(2_500, within(125));
    assertThat(counts[1]).isCloseTo(7_500, within(375));
    assertThat(counts[2]).isZero();
  }

  @Test
  void spreadsCallsThatStayInFlightEvenly() {
    List<FakeCandidate> candidates = List.of(FakeCandidate.at(0), FakeCandidate.at(1), FakeCandidate.at(2));
    for (int i = 0; i < 30; i++) {
      candidates.get(strategy.pick(candidates, random)).callStarted();
    }
    assertThat(candidates).allSatisfy(c -> assertThat(c.inFlight()).isEqualTo(10));
  }
}
