package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.time.ManualTicker;
import org.junit.jupiter.api.Test;

class PaygQuotaTest {
  private final ManualTicker ticker = new ManualTicker(-7_000_000_000L);

  @Test
  void reportsLimitsRemainingAndResetOnAdmission() {
    PaygQuota quota = new PaygQuota(1_000, 3);

    Admission a = quota.tryAdmit(400, ticker.read());

    assertThat(a.admitted()).isTrue();
    assertThat(a.headers())
        .containsEntry("x-ratelimit-limit-requests", "3")
        .containsEntry("x-ratelimit-remaining-requests", "2")
        .containsEntry("x-ratelimit-reset-requests", "1m0s")
        .containsEntry("x-ratelimit-limit-tokens", "1000")
        .containsEntry("x-ratelimit-remaining-tokens", "600")
        .containsEntry("x-ratelimit-reset-tokens", "1m0s");
  }

  @Test
  void rejectsOverTokenQuotaUntilTheWindowEnds() {
    PaygQuota quota = new PaygQuota(1_000, 0);
    quota.tryAdmit(700, ticker.read());
    ticker.advanceMillis(15_250);

    Admission rejected = quota.tryAdmit(400, ticker.read());

    assertThat(rejected.admitted()).isFalse();
    assertThat(rejected.exceededLimit()).isEqualTo("token rate limit");
    assertThat(rejected.retryAfterMillis()).isEqualTo(44_750);
    assertThat(rejected.retryAfterSeconds()).isEqualTo(45);
    assertThat(rejected.headers())
        .containsEntry("x-ratelimit-remaining-tokens", "300")
        .containsEntry("x-ratelimit-reset-tokens", "44.75s")
        .doesNotContainKey("x-ratelimit-limit-requests");

    assertThat(quota.tryAdmit(300, ticker.read()).admitted()).isTrue();
    ticker.advanceMillis(44_750);
    Admission fresh = quota.tryAdmit(400, ticker.read());
    assertThat(fresh.admitted()).isTrue();
    assertThat(fresh.headers()).containsEntry("x-ratelimit-remaining-tokens", "600");
  }

  @Test
  void rejectsOverRequestQuota() {
    PaygQuota quota = new PaygQuota(0, 2);
    assertThat(quota.tryAdmit(1, ticker.read()).admitted()).isTrue();
    assertThat(quota.tryAdmit(1, ticker.read()).admitted()).isTrue();

    Admission rejected = quota.tryAdmit(1, ticker.read());

    assertThat(rejected.admitted()).isFalse();
    assertThat(rejected.exceededLimit()).isEqualTo("call rate limit");
    assertThat(rejected.headers()).containsEntry("x-ratelimit-remaining-requests", "0")
        .doesNotContainKey("x-ratelimit-limit-tokens");
    assertThat(rejected.retryAfterSeconds()).isEqualTo(60);
  }

  @Test
  void requestBiggerThanTheQuotaFitsOnlyAnEmptyWindow() {
    PaygQuota quota = new PaygQuota(100, 0);
    assertThat(quota.tryAdmit(150, ticker.read()).admitted()).isTrue();
    assertThat(quota.tryAdmit(1, ticker.read()).admitted()).isFalse();
    ticker.advanceMillis(60_000);
    assertThat(quota.tryAdmit(1, ticker.read()).admitted()).isTrue();
  }

  @Test
  void unlimitedQuotaSendsNoHeaders() {
    PaygQuota quota = new PaygQuota(0, 0);
    Admission a = quota.tryAdmit(1_000_000, ticker.read());
    assertThat(a.admitted()).isTrue();
    assertThat(a.headers()).isEmpty();
  }

  @Test
  void decideIsPure() {
    PaygQuota quota = new PaygQuota(1_000, 10);
    PaygQuota.State state = new PaygQuota.State(true, 0, 9, 500);

    PaygQuota.Decision d = quota.decide(state, 100, 30_000_000_000L);

    assertThat(d.admitted()).isTrue();
    assertThat(d.next()).isEqualTo(new PaygQuota.State(true, 0, 10, 600));
    assertThat(d.remainingRequests()).isZero();
    assertThat(d.resetRequestsNanos()).isEqualTo(30_000_000_000L);
    assertThat(quota.decide(d.next(), 1, 30_000_000_000L).admitted()).isFalse();
    assertThat(quota.decide(d.next(), 1, 60_000_000_000L).next())
        .isEqualTo(new PaygQuota.State(true, 60_000_000_000L, 1, 1));
  }
}
