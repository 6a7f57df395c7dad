package dev.spillway.core.routing.breaker;

import static dev.spillway.core.routing.breaker.BreakerState.CLOSED;
import static dev.spillway.core.routing.breaker.BreakerState.DISABLED;
import static dev.spillway.core.routing.breaker.BreakerState.FORCED_OPEN;
import static dev.spillway.core.routing.breaker.BreakerState.HALF_OPEN;
import static dev.spillway.core.routing.breaker.BreakerState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BreakerStateTest {

  /** The table from the design, written out independently of the implementation. */
  private static final Map<BreakerState, Set<BreakerState>> LEGAL = new EnumMap<>(Map.of(
      CLOSED, EnumSet.of(OPEN, FORCED_OPEN, DISABLED),
      OPEN, EnumSet.of(HALF_OPEN, CLOSED, FORCED_OPEN, DISABLED),
      HALF_OPEN, EnumSet.of(CLOSED, OPEN, FORCED_OPEN, DISABLED),
      FORCED_OPEN, EnumSet.of(CLOSED, DISABLED),
      DISABLED, EnumSet.of(CLOSED, FORCED_OPEN)));

  @Test
  void legalTransitionsAreExactlyTheDesignedOnes() {
    for (BreakerState from : BreakerState.values()) {
      for (BreakerState to : BreakerState.values()) {
        assertThat(from.canTransitionTo(to)).as(from + " -> " + to).isEqualTo(LEGAL.get(from).contains(to));
      }
    }
  }

  @Test
  void legalTransitionsPassTheCheck() {
    LEGAL.forEach((from, tos) -> tos.forEach(to ->
        assertThatCode(() -> BreakerState.requireLegal(from, to)).doesNotThrowAnyException()));
  }

  @Test
  void illegalTransitionsAreRefusedAsBugs() {
    assertThatThrownBy(() -> BreakerState.requireLegal(CLOSED, HALF_OPEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED -> HALF_OPEN");
    assertThatThrownBy(() -> BreakerState.requireLegal(FORCED_OPEN, HALF_OPEN)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> BreakerState.requireLegal(DISABLED, OPEN)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> BreakerState.requireLegal(FORCED_OPEN, OPEN)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> BreakerState.requireLegal(OPEN, OPEN)).isInstanceOf(IllegalStateException.class);
    for (BreakerState s : BreakerState.values()) {
      assertThatThrownBy(() -> BreakerState.requireLegal(s, s)).isInstanceOf(IllegalStateException.class);
    }
  }
}
