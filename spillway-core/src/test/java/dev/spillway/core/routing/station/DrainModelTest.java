package dev.spillway.core.routing.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.config.PriorityClass;
import org.junit.jupiter.api.Test;

/** The drain model's arithmetic and what it learns; and the demand meter's average. */
class DrainModelTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aRefusalSetsTheRoomSoThatTheRefusedRequestFitsWhenTheHintSays() {
    DrainModel m = DrainModel.initial(60_000).sent(500, 0).throttled(500, 300_000_000L, 0);
    assertThat(m.knownAt(0)).isTrue();
    assertThat(m.roomAt(0)).isEqualTo(200, within(1e-6));
    assertThat(m.fits(500, 299_000_000L)).isFalse();
    assertThat(m.fits(500, 300_000_000L)).isTrue();
    assertThat(m.nanosUntilFits(1000, 0)).isEqualTo(800_000_000L);
  }

  @Test
  void sendingTakesRoomAndSaturationEndsOnceASecondOfDrainIsUnused() {
    DrainModel m = DrainModel.initial(60_000).throttled(500, 0, 0).sent(500, 0);
    assertThat(m.roomAt(0)).isEqualTo(0, within(1e-6));
    assertThat(m.knownAt(S - 1)).isTrue();
    assertThat(m.knownAt(S)).isFalse();
    assertThat(m.fits(1_000_000, S)).isTrue(); // out of saturation: the router sends freely until told otherwise
  }

  @Test
  void anUndeclaredRateIsLearnedFromTwoRefusalsOfOneSaturatedStretch() {
    // A deployment draining 1,000 tokens a second. Refused at 0 (fits at 0.2 s); 2,000 tokens sent and taken; the
    // next refusal at 1.9 s says its request fits at 2.2 s: 2,000 tokens drained in 2 s.
    DrainModel m = DrainModel.initial(0).sent(500, 0).throttled(500, 200_000_000L, 0);
    assertThat(m.hasRate()).isFalse();
    assertThat(m.knownAt(0)).isFalse();
    for (int i = 0; i < 4; i++) {
      m = m.sent(500, 300_000_000L + i * 400_000_000L);
    }
    m = m.sent(500, 1_900_000_000L).throttled(500, 300_000_000L, 1_900_000_000L);
    assertThat(m.tokensPerMinute()).isEqualTo(60_000, within(1e-6));
    assertThat(m.knownAt(1_900_000_000L)).isTrue();
  }

  @Test
  void aDeclaredRateIsNotRelearned() {
    DrainModel m = DrainModel.initial(120_000).throttled(500, 200_000_000L, 0);
    m = m.sent(5000, 300_000_000L).sent(500, 1_900_000_000L).throttled(500, 300_000_000L, 1_900_000_000L);
    assertThat(m.tokensPerMinute()).isEqualTo(120_000, within(1e-6));
  }

  @Test
  void aSaturatedModelTheDeploymentCallsUnderusedForgetsTheRoom() {
    DrainModel m = DrainModel.initial(60_000).throttled(500, 300_000_000L, 0);
    assertThat(m.utilization(97.5, 0).knownAt(0)).isTrue();
    assertThat(m.utilization(60, 0).knownAt(0)).isFalse();
    assertThat(m.utilization(60, 0).fits(500, 0)).isTrue();
  }

  @Test
  void aRefusalWhileSaturatedTeachesTheCostScaleAndOneAfterAPauseDoesNot() {
    // 1,000 tokens a second. Refused at 0; at 0.5 s the room is exactly 500 and a 500-token request goes, but the
    // deployment charges 550 for it: refused, fitting after 50 ms.
    DrainModel m = DrainModel.initial(60_000).throttled(500, 0, 0).sent(500, 0); // room 0
    DrainModel taught = m.sent(500, 500_000_000L).throttled(500, 50_000_000L, 500_000_000L);
    assertThat(taught.costScale()).isCloseTo(1.105, within(1e-9)); // 550 / 500, plus the margin
    // The same refusal after a pause of 0.9 s (room up to 900, more than a request and a half): no lesson.
    DrainModel paused = m.sent(500, 900_000_000L).throttled(500, 50_000_000L, 900_000_000L);
    assertThat(paused.costScale()).isEqualTo(1.0);
    // One refusal moves the scale by a quarter at most.
    DrainModel big = m.sent(500, 500_000_000L).throttled(500, 400_000_000L, 500_000_000L);
    assertThat(big.costScale()).isEqualTo(1.25);
  }

  @Test
  void remainingTokensSetTheRoom() {
    DrainModel m = DrainModel.initial(60_000).remaining(300, 0);
    assertThat(m.fits(300, 0)).isTrue();
    assertThat(m.fits(301, 0)).isFalse();
  }

  @Test
  void theDemandMeterAveragesOverItsWindowByClassAndAbove() {
    DemandMeter meter = new DemandMeter(10 * S, 2 * S);
    assertThat(meter.tokensPerNano(PriorityClass.STANDARD, 0)).isEqualTo(-1);
    for (int second = 0; second < 30; second++) {
      meter.record(PriorityClass.CRITICAL, 100, second * S);
      meter.record(PriorityClass.STANDARD, 300, second * S);
      meter.record(PriorityClass.BATCH, 1000, second * S);
    }
    long now = 30 * S - 1;
    assertThat(meter.tokensPerNano(PriorityClass.CRITICAL, now) * S).isCloseTo(100, within(10.0));
    assertThat(meter.tokensPerNano(PriorityClass.STANDARD, now) * S).isCloseTo(400, within(40.0));
    assertThat(meter.tokensPerNano(PriorityClass.BATCH, now) * S).isCloseTo(1400, within(140.0));
    // Silence: the window empties.
    assertThat(meter.tokensPerNano(PriorityClass.BATCH, 60 * S)).isZero();
  }
}
