package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.Tier;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A day of traffic, 120,000 requests with a daytime peak and varied sizes, replayed for eight candidates with a PTU
 * wait budget. The test checks that every request is accounted for and only reports how long the replay took (a
 * wall-clock figure is no unit test's business; the README quotes it).
 */
class ReplayTimingTest {
  static ArrivalSeries aDay(int requests, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long day = Duration.ofDays(1).toNanos();
    ArrivalSeries.Builder b = ArrivalSeries.builder("gpt-4o", day);
    for (int i = 0; i < requests; i++) {
      // arrivals denser in the day's middle: accept a uniform time with probability following a raised sine
      long t;
      do {
        t = random.nextLong(day);
      } while (random.nextDouble() > 0.25 + 0.75 * Math.sin(Math.PI * t / day));
      long prompt = 200 + random.nextLong(3_000);
      b.add(t, prompt, random.nextInt(4) == 0 ? prompt / 2 : 0, 50 + random.nextLong(600));
    }
    return b.build();
  }

  @Test
  void replaysADayOfAHundredThousandRequestsForEightCandidates() {
    ArrivalSeries day = aDay(120_000, 42);
    BackendConfig payg = BackendConfig.builder().id("payg").url(URI.create("http://127.0.0.1:1")).deployment("d")
        .tier(Tier.PAYG).build();
    CapacityReplay replay = new CapacityReplay(ReplaySettings.builder()
        .model(ModelConfig.builder().name("gpt-4o").maxWaitForPtu(Duration.ofMillis(1_500)).backends(List.of(payg)).build())
        .throughput(PublishedPtuFigures.of("gpt-4o").orElseThrow())
        .paygPrice(new PaygPrice(new BigDecimal("0.0025"), new BigDecimal("0.01"), new BigDecimal("0.00125")))
        .ptuUnitMonthly(new BigDecimal("260"))
        .build());
    List<Integer> candidates = List.of(0, 15, 30, 45, 60, 75, 90, 105);

    long started = System.nanoTime();
    List<CandidateResult> results = candidates.stream().map(n -> replay.run(day, n)).toList();
    long elapsed = System.nanoTime() - started;

    System.out.printf(Locale.ROOT, "replay timing: %d requests x %d candidates in %d ms (%.2f s per candidate, one thread)%n",
        day.size(), candidates.size(), elapsed / 1_000_000, elapsed / 1e9 / candidates.size());
    for (CandidateResult r : results) {
      assertThat(r.ptuRequests() + r.paygRequests() + r.rejectedRequests()).isEqualTo(day.size());
    }
    assertThat(results.getFirst().spillShare()).isEqualTo(1.0);
    assertThat(results.getLast().spillShare()).isLessThan(results.get(1).spillShare());
  }
}
