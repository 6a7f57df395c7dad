package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.Tier;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The replay request by request on small series whose every step can be followed by hand: the PTU bucket's 429 and
 * retry-after, the router's throttle and spill, a PTU wait, a PAYG quota, and the money.
 */
class CapacityReplayTest {
  private static final long MS = 1_000_000L;
  /** 10 tokens a second per PTU and output tokens that cost nothing: one PTU's bucket holds 100 tokens. */
  private static final PtuThroughput TEN_A_SECOND = new PtuThroughput(600, BigDecimal.ZERO, 1, 1, "test");
  private static final PaygPrice PRICE = new PaygPrice(new BigDecimal("0.002"), new BigDecimal("0.008"), new BigDecimal("0.001"));

  private static ReplaySettings.Builder settings() {
    return ReplaySettings.builder().throughput(TEN_A_SECOND).paygPrice(PRICE).ptuUnitMonthly(new BigDecimal("100"));
  }

  private static ModelConfig model(Duration maxWaitForPtu) {
    BackendConfig payg = BackendConfig.builder().id("payg-real").url(URI.create("http://127.0.0.1:1")).deployment("d")
        .tier(Tier.PAYG).priority(2).build();
    return ModelConfig.builder().name("gpt-4o").maxWaitForPtu(maxWaitForPtu).backends(List.of(payg)).build();
  }

  /** Four requests of 40 prompt tokens at 0, 100, 200 and 300 ms, in a period of one hour. */
  private static ArrivalSeries fourOf40() {
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", Duration.ofHours(1).toNanos());
    for (int i = 0; i < 4; i++) {
      b.add(i * 100 * MS, 40, 0, 0);
    }
    return b.build();
  }

  @Test
  void aFullPtuAnswers429AndTheRouterSpillsUntilItsRetryAfterEnds() {
    CandidateResult r = new CapacityReplay(settings().build()).run(fourOf40(), 1);

    // 40 + 40 fit the 100-token bucket; at 200 ms it holds 78 and 40 more do not fit: 429, retry after 1.8 s, so the
    // third and the fourth go to PAYG.
    assertThat(r.ptuRequests()).isEqualTo(2);
    assertThat(r.paygRequests()).isEqualTo(2);
    assertThat(r.rejectedRequests()).isZero();
    assertThat(r.spillShare()).isEqualTo(0.5);
    assertThat(r.p99Wait()).isEqualTo(Duration.ZERO);
    // 80 tokens of the 600 × 60 one PTU could serve in the hour
    assertThat(r.ptuUtilization()).isCloseTo(80.0 / 36_000, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void aRequestWaitsForThePtuWhenItFreesWithinTheBudgetAndTheNextOneSpills() {
    CandidateResult r = new CapacityReplay(settings().model(model(Duration.ofSeconds(2))).build()).run(fourOf40(), 1);

    // The third waits 1.8 s and fits at 2 s (the bucket has drained to 60); the fourth waited 1.7 s for the same moment,
    // finds the bucket full again and, having waited once, spills.
    assertThat(r.ptuRequests()).isEqualTo(3);
    assertThat(r.paygRequests()).isEqualTo(1);
    assertThat(r.p50Wait()).isEqualTo(Duration.ZERO);
    assertThat(r.p99Wait()).isEqualTo(Duration.ofMillis(1_800));
  }

  @Test
  void aWaitLongerThanTheBudgetSpillsAtOnce() {
    CandidateResult r = new CapacityReplay(settings().model(model(Duration.ofMillis(1_500))).build())
        .run(fourOf40(), 1);

    assertThat(r.ptuRequests()).isEqualTo(2);
    assertThat(r.paygRequests()).isEqualTo(2);
    assertThat(r.p99Wait()).isEqualTo(Duration.ZERO);
  }

  @Test
  void withoutPtuEveryRequestIsPaygAndCostsItsTokensScaledToAMonth() {
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", Duration.ofHours(73).toNanos());
    b.add(0, 1_000, 200, 500).add(5 * MS, 3_000, 0, 1_000);
    CandidateResult r = new CapacityReplay(settings().build()).run(b.build(), 0);

    // (800 × 0.002 + 200 × 0.001 + 500 × 0.008 + 3000 × 0.002 + 1000 × 0.008) ÷ 1000 = 0.0198 in 73 h; × 10 for 730 h
    assertThat(r.paygMonthlyCost()).isEqualByComparingTo("0.20");
    assertThat(r.ptuMonthlyCost()).isEqualByComparingTo("0");
    assertThat(r.monthlyCost()).isEqualByComparingTo("0.20");
    assertThat(r.spillShare()).isEqualTo(1.0);
    assertThat(r.ptuUtilization()).isZero();
    assertThat(r.tokens()).isEqualTo(5_500);
  }

  @Test
  void ptusCostTheirUnitPriceEachAndCachedTokensUseNoPtuCapacity() {
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", Duration.ofHours(1).toNanos());
    b.add(0, 90, 0, 0).add(MS, 300, 290, 0); // 90 + 10 uncached: both fit one PTU's 100 tokens
    CandidateResult r = new CapacityReplay(settings().build()).run(b.build(), 3);

    assertThat(r.ptuRequests()).isEqualTo(2);
    assertThat(r.ptuMonthlyCost()).isEqualByComparingTo("300");
    assertThat(r.paygMonthlyCost()).isEqualByComparingTo("0");
  }

  @Test
  void aDeclaredPaygQuotaTurnsOverflowIntoClient429s() {
    // A PAYG quota of 50 tokens a minute and no PTU: the first request fits, the second passes the quota, the third
    // finds PAYG throttled until the minute ends; the fourth, a minute later, fits again.
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", Duration.ofHours(1).toNanos());
    b.add(0, 40, 0, 0).add(MS, 40, 0, 0).add(2 * MS, 5, 0, 0).add(60_000 * MS, 40, 0, 0);
    CandidateResult r = new CapacityReplay(settings().paygTokensPerMinute(50).build()).run(b.build(), 0);

    assertThat(r.paygRequests()).isEqualTo(2);
    assertThat(r.rejectedRequests()).isEqualTo(2);
    assertThat(r.rejectedShare()).isEqualTo(0.5);
  }

  @Test
  void thePaygQuotaComesFromWhatEveryPaygBackendDeclares() {
    BackendConfig.Builder payg = BackendConfig.builder().url(URI.create("http://127.0.0.1:1")).deployment("d")
        .tier(Tier.PAYG).priority(2);
    BackendConfig a = payg.id("a").capacity(new BackendCapacity(OptionalLong.of(1_000), OptionalLong.empty())).build();
    BackendConfig b = BackendConfig.builder().id("b").url(URI.create("http://127.0.0.1:1")).deployment("d")
        .tier(Tier.PAYG).capacity(new BackendCapacity(OptionalLong.of(500), OptionalLong.empty())).build();
    BackendConfig undeclared = BackendConfig.builder().id("c").url(URI.create("http://127.0.0.1:1")).deployment("d")
        .tier(Tier.PAYG).build();

    assertThat(Planner.paygTokensPerMinute(ModelConfig.builder().name("m").backends(List.of(a, b)).build())).isEqualTo(1_500);
    assertThat(Planner.paygTokensPerMinute(ModelConfig.builder().name("m").backends(List.of(a, undeclared)).build()))
        .isZero();
  }

  @Test
  void theSameInputGivesTheSameResult() {
    CapacityReplay replay = new CapacityReplay(settings().model(model(Duration.ofSeconds(2))).build());
    assertThat(replay.run(fourOf40(), 1)).isEqualTo(replay.run(fourOf40(), 1));
  }
}
