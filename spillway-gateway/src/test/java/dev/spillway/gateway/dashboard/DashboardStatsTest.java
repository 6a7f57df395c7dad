package dev.spillway.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.RequestOutcome;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The dashboard's aggregates, driven by hand-made outcomes and a manual ticker: no sleeping, no network. */
class DashboardStatsTest {
  private final ManualTicker ticker = new ManualTicker();
  private final BackendConfig ptu = backend("ptu-1", Tier.PTU, new BackendCapacity(OptionalLong.of(60_000), OptionalLong.empty()));
  private final BackendConfig payg = backend("payg-1", Tier.PAYG, BackendCapacity.UNDECLARED);
  private final Pool pool = new Pool(ModelConfig.builder()
      .name("gpt-4o")
      .strategy(RoutingStrategy.PRIORITY)
      .backends(List.of(ptu, payg))
      .build());
  private final DashboardStats stats = new DashboardStats(Map.of("gpt-4o", pool), ticker, "1.2.3");

  private static BackendConfig backend(String id, Tier tier, BackendCapacity capacity) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment(id)
        .apiVersion("2024-10-21")
        .auth(BackendAuth.apiKey("k"))
        .tier(tier)
        .priority(tier == Tier.PTU ? 1 : 2)
        .region("eastus")
        .capacity(capacity)
        .build();
  }

  private static RequestOutcome served(BackendConfig backend, String consumer, long tokens, long millis, Long ttftMillis) {
    return RequestOutcome.builder("r", 200).operation(Operation.CHAT_COMPLETIONS).model("gpt-4o").backend(backend)
        .stream(ttftMillis != null).usage(TokenUsage.of(tokens - 10, 10)).durationNanos(millis * 1_000_000)
        .timeToFirstTokenNanos(ttftMillis == null ? OptionalLong.empty() : OptionalLong.of(ttftMillis * 1_000_000)).attempts(1)
        .caller(new RequestOutcome.Caller(consumer, "team-" + consumer, "127.0.0.1")).upstreamNanos(millis * 1_000_000).build();
  }

  private static RequestOutcome refused(int status, String consumer, String code, Optional<String> limit) {
    return RequestOutcome.builder("r", status).operation(Operation.CHAT_COMPLETIONS).model("gpt-4o").durationNanos(1_000_000)
        .caller(new RequestOutcome.Caller(consumer, "t", "127.0.0.1")).refusal(new RequestOutcome.Refusal(code, limit)).build();
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNull() ? null : n.asLong()));
    return out;
  }

  @Test
  void requestsAreCountedPerSecondByStatusUpToTheLastCompleteSecond() {
    for (int i = 0; i < 3; i++) {
      stats.onRequest(served(payg, "app", 100, 50, null));
    }
    ticker.advance(Duration.ofSeconds(1));
    stats.onRequest(refused(429, "app", "rate_limit_exceeded", Optional.of("tpm")));
    ticker.advance(Duration.ofSeconds(2));
    stats.onRequest(served(payg, "app", 100, 50, null)); // in the current second: not in the series yet

    JsonNode s = stats.snapshot();

    assertThat(s.get("version").asText()).isEqualTo("1.2.3");
    assertThat(s.get("uptimeSeconds").asLong()).isEqualTo(3);
    assertThat(s.get("points").asInt()).isEqualTo(3);
    assertThat(longs(s.get("requests").get("200"))).containsExactly(3L, 0L, 0L);
    assertThat(longs(s.get("requests").get("429"))).containsExactly(0L, 1L, 0L);
    assertThat(s.get("current").get("requestsByStatus").get("200").asLong()).isEqualTo(4);
  }

  private static RequestOutcome cached(dev.spillway.core.cache.CacheStatus status, Optional<TokenUsage> saved) {
    return RequestOutcome.builder("r", 200).operation(Operation.CHAT_COMPLETIONS).model("gpt-4o").durationNanos(300_000)
        .cache(new dev.spillway.core.cache.CacheStatus.Outcome(status, saved)).build();
  }

  @Test
  void theCachePanelCountsEachLayerAndPricesTheTokensSavedAtPaygPrices() {
    stats.priceCacheSavings(new dev.spillway.core.config.CostsConfig("USD", Map.of(),
        Map.of("gpt-4o", new dev.spillway.core.config.PaygPrice(new java.math.BigDecimal("0.01"),
            new java.math.BigDecimal("0.03"), null)), Optional.empty()));
    stats.onRequest(cached(dev.spillway.core.cache.CacheStatus.MISS, Optional.empty()));
    stats.onRequest(cached(dev.spillway.core.cache.CacheStatus.HIT, Optional.of(TokenUsage.of(1000, 100))));
    ticker.advance(Duration.ofSeconds(1));
    stats.onRequest(cached(dev.spillway.core.cache.CacheStatus.SEMANTIC_HIT, Optional.of(TokenUsage.of(2000, 0))));
    stats.onRequest(cached(dev.spillway.core.cache.CacheStatus.BYPASS, Optional.empty()));
    stats.onRequest(served(payg, "app", 100, 50, null)); // not cacheable: not in the panel
    ticker.advance(Duration.ofSeconds(1));

    JsonNode c = stats.snapshot().get("cache");

    assertThat(longs(c.get("series").get("exact"))).containsExactly(1L, 0L);
    assertThat(longs(c.get("series").get("semantic"))).containsExactly(0L, 1L);
    assertThat(longs(c.get("series").get("miss"))).containsExactly(1L, 0L);
    assertThat(longs(c.get("series").get("bypass"))).containsExactly(0L, 1L);
    assertThat(c.get("exactHitRatio").asDouble()).isEqualTo(1.0 / 3);
    assertThat(c.get("semanticHitRatio").asDouble()).isEqualTo(1.0 / 3);
    assertThat(c.get("savedPromptTokens").asLong()).isEqualTo(3000);
    assertThat(c.get("savedCompletionTokens").asLong()).isEqualTo(100);
    // 3,000 prompt tokens at 0.01 and 100 completion tokens at 0.03 per 1k: 0.03 + 0.003.
    assertThat(c.get("savedCost").asDouble()).isEqualTo(0.033);
    assertThat(c.get("currency").asText()).isEqualTo("USD");
  }

  @Test
  void tokensPerMinuteAreByModelAndTierOverTheTrailingTenSeconds() {
    stats.onRequest(served(ptu, "app", 1_000, 50, null));
    stats.onRequest(served(payg, "app", 500, 50, null));
    ticker.advance(Duration.ofSeconds(20));
    stats.onRequest(served(ptu, "app", 1_000, 50, null));
    ticker.advance(Duration.ofSeconds(1));

    JsonNode tpm = stats.snapshot().get("tokensPerMinute");

    List<Long> ptuSeries = longs(tpm.get("gpt-4o ptu"));
    assertThat(ptuSeries).hasSize(21);
    // Second 0 alone: 1000 tokens in 1 s is 60,000/min; then averaged over 2 s, ... up to 10 s.
    assertThat(ptuSeries.get(0)).isEqualTo(60_000L);
    assertThat(ptuSeries.get(1)).isEqualTo(30_000L);
    assertThat(ptuSeries.get(9)).isEqualTo(6_000L);
    assertThat(ptuSeries.get(10)).isZero();
    assertThat(ptuSeries.get(20)).isEqualTo(6_000L);
    assertThat(longs(tpm.get("gpt-4o payg")).get(0)).isEqualTo(30_000L);
  }

  @Test
  void currentPercentilesCoverTheLastMinuteOnly() {
    for (int i = 0; i < 50; i++) {
      stats.onRequest(served(payg, "app", 10, 3_000, 900L));
    }
    ticker.advance(Duration.ofSeconds(61));
    for (int i = 0; i < 50; i++) {
      stats.onRequest(served(payg, "app", 10, 200, 100L));
    }

    JsonNode current = stats.snapshot().get("current");

    assertThat(current.get("latencyMs").get("count").asLong()).isEqualTo(50);
    assertThat(current.get("latencyMs").get("p99").asDouble()).isCloseTo(200, within(15.0));
    assertThat(current.get("ttftMs").get("p50").asDouble()).isCloseTo(100, within(8.0));
  }

  @Test
  void latencySeriesArePercentilesOfTheTrailingTenSecondsAndNullWithoutRequests() {
    stats.onRequest(served(payg, "app", 10, 1_000, null));
    ticker.advance(Duration.ofSeconds(15));

    JsonNode latency = stats.snapshot().get("latencyMs");

    assertThat(latency.get("p95").get(0).asDouble()).isCloseTo(1_000, within(70.0));
    assertThat(latency.get("p95").get(9).asDouble()).isCloseTo(1_000, within(70.0));
    assertThat(latency.get("p95").get(10).isNull()).isTrue();
    assertThat(stats.snapshot().get("ttftMs").get("p50").get(0).isNull()).isTrue();
  }

  @Test
  void onlyRefusalsByALimitCountAsLimitRejections() {
    stats.onRequest(refused(429, "batch", "rate_limit_exceeded", Optional.of("tpm")));
    stats.onRequest(refused(429, "batch", "rate_limit_exceeded", Optional.of("tpm")));
    stats.onRequest(refused(403, "nightly", "insufficient_quota", Optional.of("tpd")));
    stats.onRequest(refused(403, "batch", "model_not_allowed", Optional.empty()));
    // A 429 because every backend was throttled is not a limit rejection.
    stats.onRequest(RequestOutcome.builder("r", 429).operation(Operation.CHAT_COMPLETIONS).model("gpt-4o").backend(ptu)
        .durationNanos(1).attempts(2).build());
    ticker.advance(Duration.ofSeconds(1));

    JsonNode s = stats.snapshot();

    assertThat(longs(s.get("limitRejections"))).containsExactly(3L);
    assertThat(s.get("current").get("limitRejections").asLong()).isEqualTo(3);
    assertThat(s.get("rejections").get(0).get("consumer").asText()).isEqualTo("batch");
    assertThat(s.get("rejections").get(0).get("limit").asText()).isEqualTo("tpm");
    assertThat(s.get("rejections").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(s.get("rejections").get(1).get("limit").asText()).isEqualTo("tpd");
    assertThat(s.get("requests").get("429").get(0).asLong()).isEqualTo(3);
  }

  @Test
  void topConsumersAreRankedByTokensWithTheirTeam() {
    stats.onRequest(served(payg, "small", 100, 10, null));
    stats.onRequest(served(payg, "big", 5_000, 10, null));
    stats.onRequest(served(ptu, "big", 1_000, 10, null));

    JsonNode top = stats.snapshot().get("topConsumers");

    assertThat(top).hasSize(2);
    assertThat(top.get(0).get("consumer").asText()).isEqualTo("big");
    assertThat(top.get(0).get("team").asText()).isEqualTo("team-big");
    assertThat(top.get(0).get("tokens").asLong()).isEqualTo(6_000);
    assertThat(top.get(0).get("requests").asLong()).isEqualTo(2);
    assertThat(top.get(1).get("consumer").asText()).isEqualTo("small");
  }

  @Test
  void consumersBeyondTheLimitPerSecondAreCountedTogether() {
    for (int i = 0; i < SecondSlot.MAX_KEYS + 10; i++) {
      stats.onRequest(served(payg, "c" + i, 10, 10, null));
    }

    JsonNode top = stats.snapshot().get("topConsumers");

    assertThat(top.get(0).get("consumer").asText()).isEqualTo(SecondSlot.OTHERS);
    assertThat(top.get(0).get("requests").asLong()).isEqualTo(10);
  }

  @Test
  void secondsOlderThanTheWindowAreForgotten() {
    stats.onRequest(served(ptu, "app", 1_000, 10, 5L));
    stats.onRequest(refused(429, "app", "rate_limit_exceeded", Optional.of("rpm")));
    ticker.advance(Duration.ofSeconds(DashboardStats.WINDOW_SECONDS + 100));

    JsonNode s = stats.snapshot();

    assertThat(s.get("points").asInt()).isEqualTo(DashboardStats.WINDOW_SECONDS - 1);
    assertThat(s.get("requests").size()).isZero();
    assertThat(s.get("topConsumers").size()).isZero();
    assertThat(s.get("rejections").size()).isZero();
    assertThat(s.get("current").get("limitRejections").asLong()).isZero();
    assertThat(s.get("current").get("latencyMs").get("p50").isNull()).isTrue();
  }

  @Test
  void slidingWindowsStayExactAfterTheRingWrapped() {
    ticker.advance(Duration.ofSeconds(DashboardStats.WINDOW_SECONDS + 50));
    for (int i = 0; i < 20; i++) {
      stats.onRequest(served(ptu, "app", 600, 100, null));
      ticker.advance(Duration.ofSeconds(1));
    }

    JsonNode s = stats.snapshot();
    List<Long> tpm = longs(s.get("tokensPerMinute").get("gpt-4o ptu"));
    JsonNode p50 = s.get("latencyMs").get("p50");

    assertThat(tpm).hasSize(DashboardStats.WINDOW_SECONDS - 1);
    assertThat(tpm.get(tpm.size() - 1)).isEqualTo(36_000L);
    assertThat(tpm.get(tpm.size() - 21)).isZero();
    assertThat(tpm.get(tpm.size() - 20)).isEqualTo(3_600L);
    assertThat(p50.get(p50.size() - 1).asDouble()).isCloseTo(100, within(7.0));
    assertThat(p50.get(p50.size() - 21).isNull()).isTrue();
  }

  @Test
  void ptuUtilizationIsTheReportedValueWhileFreshThenSentTokensOverCapacity() {
    pool.backend("ptu-1").orElseThrow().reportUtilization(80.0, ticker.read());
    stats.onAttempt(new AttemptOutcome("gpt-4o", ptu, AttemptResult.OK, 200, false, 1));
    stats.onRequest(served(ptu, "app", 30_000, 10, null));
    ticker.advance(Duration.ofSeconds(20));

    JsonNode s = stats.snapshot();
    List<Long> series = longs(s.get("ptuUtilization").get("ptu-1"));

    assertThat(series.get(0)).isEqualTo(80L);
    assertThat(series.get(14)).isEqualTo(80L);
    // No fresh report: 30,000 tokens sent in the trailing minute over a declared 60,000/min.
    assertThat(series.get(15)).isEqualTo(50L);
    assertThat(s.get("ptuUtilization").has("payg-1")).isFalse();
  }

  @Test
  void backendsShowTheRoutersStateNow() {
    pool.backend("ptu-1").orElseThrow().throttleUntil(ticker.read() + Duration.ofSeconds(3).toNanos());
    stats.onRequest(served(payg, "app", 1_200, 10, null));
    ticker.advance(Duration.ofSeconds(1));

    JsonNode backends = stats.snapshot().get("backends");

    assertThat(backends).hasSize(2);
    JsonNode first = backends.get(0);
    assertThat(first.get("id").asText()).isEqualTo("ptu-1");
    assertThat(first.get("tier").asText()).isEqualTo("ptu");
    assertThat(first.get("state").asText()).isEqualTo("throttled");
    assertThat(first.get("label").asText()).isEqualTo("429 2.0s");
    assertThat(first.get("throttledForMs").asLong()).isEqualTo(2_000);
    assertThat(first.get("breaker").asText()).isEqualTo("closed");
    JsonNode second = backends.get(1);
    assertThat(second.get("state").asText()).isEqualTo("available");
    assertThat(second.get("tokensLastMinute").asLong()).isEqualTo(1_200);
    assertThat(second.has("utilizationPercent")).isFalse();
  }
}
