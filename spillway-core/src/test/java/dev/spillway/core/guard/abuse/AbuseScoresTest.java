package dev.spillway.core.guard.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AbuseScoresTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final AbuseSettings SETTINGS = new AbuseSettings(Duration.ofDays(7), 10, 1000, Optional.of(0.3),
      Optional.of(0.5), 100, Optional.of(0.8));
  private static final EndUser ABUSIVE = new EndUser("app", "u-abusive");
  private static final EndUser OCCASIONAL = new EndUser("app", "u-occasional");
  private static final EndUser CLEAN = new EndUser("app", "u-clean");

  @Test
  void anAbusiveUserScoresAboveAnOccasionalOneAboveACleanOne() {
    AbuseScores scores = new AbuseScores(SETTINGS);
    long t = 0;
    for (int i = 0; i < 40; i++, t += 60_000) {
      scores.record(ABUSIVE, i % 4 == 3 ? Harm.NONE : new Harm("violence", 6, true), t);
      scores.record(OCCASIONAL, i == 10 ? new Harm("hate", 2, false) : Harm.NONE, t);
      scores.record(CLEAN, Harm.NONE, t);
    }
    double abusive = scores.score(ABUSIVE, t).orElseThrow().score();
    double occasional = scores.score(OCCASIONAL, t).orElseThrow().score();
    double clean = scores.score(CLEAN, t).orElseThrow().score();
    assertThat(abusive).isGreaterThan(occasional).isGreaterThan(0.5);
    assertThat(occasional).isGreaterThan(clean).isLessThan(0.3);
    assertThat(clean).isZero();
    assertThat(SETTINGS.actionFor(abusive)).isEqualTo(AbuseAction.THROTTLE);
    assertThat(SETTINGS.actionFor(occasional)).isEqualTo(AbuseAction.NONE);
    Score s = scores.score(ABUSIVE, t).orElseThrow();
    assertThat(s.requests()).isEqualTo(40);
    assertThat(s.flagged()).isEqualTo(30);
    assertThat(s.categories()).containsEntry("violence", 30L);
    // Only flagged users are listed, worst first.
    assertThat(scores.top(10, t)).extracting(Score::user).containsExactly(ABUSIVE, OCCASIONAL);
  }

  @Test
  void oneBadRequestOfANewUserIsNotAScoreOfOneAndIncidentsFade() {
    AbuseScores scores = new AbuseScores(SETTINGS);
    Score first = scores.record(ABUSIVE, new Harm("self_harm", 7, true), 0);
    assertThat(first.score()).isEqualTo(0.1); // harm 1 over the minimum of 10 requests
    for (int i = 1; i < 20; i++) {
      scores.record(ABUSIVE, new Harm("self_harm", 7, true), i);
    }
    double now = scores.score(ABUSIVE, 20).orElseThrow().score();
    assertThat(now).isEqualTo(1.0);
    // A week of nothing halves harm and requests alike, so the ratio holds until the minimum takes over...
    assertThat(scores.score(ABUSIVE, 7 * DAY).orElseThrow().score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    // ...and after a month the decayed requests are under the minimum: the score fades.
    assertThat(scores.score(ABUSIVE, 30 * DAY).orElseThrow().score()).isLessThan(0.2);
  }

  @Test
  void theTrendFollowsWhatAUserDidLately() {
    AbuseScores scores = new AbuseScores(SETTINGS);
    long t = 0;
    for (int i = 0; i < 100; i++, t += DAY / 10) {
      scores.record(OCCASIONAL, Harm.NONE, t);
    }
    for (int i = 0; i < 20; i++, t += 60_000) {
      scores.record(OCCASIONAL, new Harm("hate", 4, true), t);
    }
    assertThat(scores.score(OCCASIONAL, t).orElseThrow().trend()).isEqualTo("rising");
    for (int i = 0; i < 200; i++, t += DAY / 20) {
      scores.record(OCCASIONAL, Harm.NONE, t);
    }
    assertThat(scores.score(OCCASIONAL, t).orElseThrow().trend()).isEqualTo("falling");
  }

  @Test
  void theLongestUnseenUserIsDroppedPastTheBound() {
    AbuseScores scores = new AbuseScores(new AbuseSettings(Duration.ofDays(7), 10, 2, Optional.empty(), Optional.empty(),
        0, Optional.empty()));
    scores.record(ABUSIVE, Harm.NONE, 0);
    scores.record(OCCASIONAL, Harm.NONE, 1);
    scores.record(ABUSIVE, Harm.NONE, 2);
    scores.record(CLEAN, Harm.NONE, 3);
    assertThat(scores.size()).isEqualTo(2);
    assertThat(scores.score(OCCASIONAL, 4)).isEmpty();
    assertThat(scores.score(ABUSIVE, 4)).isPresent();
    // Two consumers' users of one id are two people.
    assertThat(new EndUser("a", "u")).isNotEqualTo(new EndUser("b", "u"));
  }
}
