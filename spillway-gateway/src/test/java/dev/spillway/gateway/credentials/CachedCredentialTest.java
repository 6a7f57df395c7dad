package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.CachedCredential.Freshness.EXPIRED;
import static dev.spillway.gateway.credentials.CachedCredential.Freshness.FRESH;
import static dev.spillway.gateway.credentials.CachedCredential.Freshness.STALE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachedCredentialTest {
  private static final CredentialHeader HEADER = CredentialHeader.bearer("t");
  private static final long START = 1_000_000L;

  @Test
  void hourLongTokenRefreshesSixMinutesAheadAndExpiresThirtySecondsEarly() {
    CachedCredential token = CachedCredential.token(HEADER, START, Duration.ofHours(1));

    assertThat(token.freshness(at(Duration.ofMinutes(54).minusNanos(1)))).isEqualTo(FRESH);
    assertThat(token.freshness(at(Duration.ofMinutes(54)))).isEqualTo(STALE);
    assertThat(token.freshness(at(Duration.ofSeconds(3570).minusNanos(1)))).isEqualTo(STALE);
    assertThat(token.freshness(at(Duration.ofSeconds(3570)))).isEqualTo(EXPIRED);
  }

  @Test
  void dayLongTokenRefreshesTenPercentAhead() {
    CachedCredential token = CachedCredential.token(HEADER, START, Duration.ofHours(24));

    assertThat(token.freshness(at(Duration.ofMinutes(1296).minusNanos(1)))).isEqualTo(FRESH);
    assertThat(token.freshness(at(Duration.ofMinutes(1296)))).isEqualTo(STALE);
  }

  @Test
  void shortLivedTokenIsNotRefreshedOnEveryCall() {
    CachedCredential token = CachedCredential.token(HEADER, START, Duration.ofSeconds(60));

    assertThat(token.freshness(at(Duration.ofSeconds(29)))).isEqualTo(FRESH);
    assertThat(token.freshness(at(Duration.ofSeconds(30)))).isEqualTo(STALE);
    assertThat(token.freshness(at(Duration.ofSeconds(54)))).isEqualTo(EXPIRED);
  }

  @Test
  void fileValueIsUsedForItsMaxAgeThenReadAgain() {
    CachedCredential key = CachedCredential.readFor(HEADER, START, Duration.ofSeconds(60));

    assertThat(key.freshness(at(Duration.ofSeconds(60).minusNanos(1)))).isEqualTo(FRESH);
    assertThat(key.freshness(at(Duration.ofSeconds(60)))).isEqualTo(EXPIRED);
  }

  @Test
  void tickerValuesNearOverflowStillWork() {
    CachedCredential token = CachedCredential.token(HEADER, Long.MAX_VALUE - 10, Duration.ofHours(1));

    assertThat(token.freshness(Long.MAX_VALUE - 10 + Duration.ofMinutes(10).toNanos())).isEqualTo(FRESH);
  }

  private static long at(Duration sinceStart) {
    return START + sinceStart.toNanos();
  }
}
