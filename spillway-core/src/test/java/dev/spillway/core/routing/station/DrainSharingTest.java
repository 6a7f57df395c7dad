package dev.spillway.core.routing.station;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a replica publishes of its drain model, and what a cold replica starts from. */
class DrainSharingTest {
  private static final long S = 1_000_000_000L;
  private static final long NOW = 1_780_000_000_000L;

  /** A model that learned 1,000 tokens a second (60,000 a minute) from {@code measurements} measurements. */
  static DrainModel learned(int measurements) {
    DrainModel m = DrainModel.initial(0).sent(500, 0).throttled(500, 200_000_000L, 0);
    long freeAt = 200_000_000L;
    for (int k = 0; k < measurements; k++) {
      for (int i = 0; i < 4; i++) {
        m = m.sent(500, freeAt + 100_000_000L + i * 10_000_000L); // 2,000 tokens taken after each free moment
      }
      long t = freeAt + 200_000_000L;
      // 2,000 tokens drained in 2 s from the last free moment: the next request fits 2 s after it
      m = m.sent(500, t).throttled(500, freeAt + 2 * S - t, t);
      freeAt += 2 * S;
    }
    return m;
  }

  @Test
  void aModelLearnsItsSamplesOneMeasurementAtATime() {
    assertThat(learned(1).rateSamples()).isEqualTo(1);
    assertThat(learned(3).rateSamples()).isEqualTo(3);
    assertThat(learned(3).tokensPerMinute()).isEqualTo(60_000, within(1.0));
  }

  @Test
  void onlyARateThisReplicaMeasuredIsPublished() {
    assertThat(DrainSharing.toPublish(DrainModel.initial(60_000), Optional.empty(), NOW)).as("declared").isEmpty();
    assertThat(DrainSharing.toPublish(DrainModel.initial(0), Optional.empty(), NOW)).as("unknown").isEmpty();
    DrainModel seed = DrainModel.initial(0).seeded(1e-6);
    assertThat(DrainSharing.toPublish(seed, Optional.empty(), NOW)).as("a seed").isEmpty();
    DrainEstimate e = DrainSharing.toPublish(learned(2), Optional.empty(), NOW).orElseThrow();
    assertThat(e.tokensPerMinute()).isEqualTo(60_000, within(1.0));
    assertThat(e.samples()).isEqualTo(2);
    assertThat(e.atEpochMillis()).isEqualTo(NOW);
  }

  @Test
  void anUnchangedRateIsPublishedAgainOnlyAfterTheRepublishInterval() {
    DrainModel m = learned(2);
    DrainEstimate last = new DrainEstimate(m.tokensPerMinute() * 1.04, 2, NOW);
    assertThat(DrainSharing.toPublish(m, Optional.of(last), NOW + DrainSharing.REPUBLISH_MILLIS - 1)).isEmpty();
    assertThat(DrainSharing.toPublish(m, Optional.of(last), NOW + DrainSharing.REPUBLISH_MILLIS)).isPresent();
    DrainEstimate far = new DrainEstimate(m.tokensPerMinute() * 1.2, 2, NOW);
    assertThat(DrainSharing.toPublish(m, Optional.of(far), NOW + 1)).as("a material change").isPresent();
  }

  @Test
  void aColdReplicaTakesTheFreshSharesSumOverTheReplicasWithItself() {
    Map<String, DrainEstimate> published = Map.of(
        "a", new DrainEstimate(30_000, 3, NOW - 1_000),
        "b", new DrainEstimate(30_000, 1, NOW - 2_000));
    // 60,000 a minute in all, shared by three replicas from now on
    double seedPerMinute = DrainSharing.seedTokensPerNano(published, "c", NOW).orElseThrow() * 60e9;
    assertThat(seedPerMinute).isEqualTo(20_000, within(1e-6));
  }

  @Test
  void staleOwnAndFarFutureEstimatesGiveNoSeed() {
    long stale = NOW - DrainSharing.FRESH_MILLIS - 1;
    assertThat(DrainSharing.seedTokensPerNano(Map.of("a", new DrainEstimate(60_000, 5, stale)), "c", NOW)).isEmpty();
    assertThat(DrainSharing.seedTokensPerNano(Map.of("c", new DrainEstimate(60_000, 5, NOW)), "c", NOW)).isEmpty();
    assertThat(DrainSharing.seedTokensPerNano(
        Map.of("a", new DrainEstimate(60_000, 5, NOW + DrainSharing.FRESH_MILLIS + 1)), "c", NOW)).isEmpty();
    assertThat(DrainSharing.seedTokensPerNano(Map.of("a", new DrainEstimate(60_000, 1, NOW)), "c", NOW)).isPresent();
    assertThat(DrainSharing.seedTokensPerNano(Map.of(), "c", NOW)).isEmpty();
  }

  @Test
  void aSeedNeverReplacesADeclaredOrLearnedRateAndIsLearnedOnFromTheFirstRefusal() {
    assertThat(DrainModel.initial(60_000).seeded(1e-3).tokensPerMinute()).isEqualTo(60_000, within(1e-6));
    DrainModel own = learned(2);
    assertThat(own.seeded(1e-3)).isSameAs(own);

    // Seeded at 1,000 tokens a second: the first refusal already puts the room in step (a cold model needs two).
    DrainModel seeded = DrainModel.initial(0).seeded(1e-6);
    assertThat(seeded.rateSamples()).isZero();
    DrainModel refused = seeded.sent(500, 0).throttled(500, 300_000_000L, 0);
    assertThat(refused.knownAt(0)).isTrue();
    assertThat(refused.nanosUntilFits(500, 0)).isEqualTo(300_000_000L);
    assertThat(DrainModel.initial(0).sent(500, 0).throttled(500, 300_000_000L, 0).knownAt(0)).isFalse();

    // Its own measurement then moves the seed and counts as its first sample.
    DrainModel m = refused;
    for (int i = 0; i < 4; i++) {
      m = m.sent(500, 400_000_000L + i * 10_000_000L);
    }
    m = m.sent(500, 500_000_000L).throttled(500, 2_300_000_000L - 500_000_000L, 500_000_000L); // 2,000 in 2 s
    assertThat(m.rateSamples()).isEqualTo(1);
    assertThat(m.tokensPerMinute()).isEqualTo(60_000, within(1.0));
  }

  @Test
  void anEstimateSurvivesItsTextAndADamagedOneIsRefused() {
    DrainEstimate e = new DrainEstimate(12_345.5, 7, NOW);
    assertThat(DrainEstimate.parse(e.text())).contains(e);
    assertThat(DrainEstimate.parse("12 x 3")).isEmpty();
    assertThat(DrainEstimate.parse("-5 2 3")).isEmpty();
    assertThat(DrainEstimate.parse(null)).isEmpty();
  }
}
