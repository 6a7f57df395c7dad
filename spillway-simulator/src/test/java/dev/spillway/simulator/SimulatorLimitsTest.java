package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.time.ManualTicker;
import java.net.http.HttpResponse;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PTU and PAYG throttling over HTTP, with time driven by a manual ticker (no sleeps). */
class SimulatorLimitsTest {
  private static final int PROMPT_TOKENS =
      CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT)).promptTokens();
  private static SimHarness harness;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void withoutRetryAfterMsA429CarriesOnlyWholeSeconds() {
    ManualTicker ticker = new ManualTicker();
    SimulatorConfig config = SimHarness.fast(DeploymentConfig.ptu("gpt-4o-ptu", 600)).toBuilder().retryAfterMs(false).build();
    Simulator sim = harness.start(config, ticker);
    String body = SimHarness.chat(null, "\"max_tokens\":40");
    String url = "/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21";
    assertThat(harness.post(sim, url, body).statusCode()).isEqualTo(200);

    HttpResponse<String> throttled = harness.post(sim, url, body);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("retry-after-ms")).isEmpty();
    long expectedMillis = (2 * (PROMPT_TOKENS + 40) - 100) * 100;
    assertThat(throttled.headers().firstValue("retry-after")).hasValue(Long.toString((expectedMillis + 999) / 1000));
    assertThat(SimulatorConfig.parse("retryAfterMs: false\ndeployments: [{name: p, kind: chat, tier: ptu, capacityTokensPerMinute: 600}]")
        .retryAfterMs()).isFalse();
  }

  @Test
  void ptuAnswers429WithRetryAfterOnceCapacityIsExceeded() {
    ManualTicker ticker = new ManualTicker();
    // 600 tokens/minute → 10 tokens/s; the default 10 s burst → a 100-token bucket.
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.ptu("gpt-4o-ptu", 600)), ticker);
    String body = SimHarness.chat(null, "\"max_tokens\":40");
    String url = "/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21";
    long cost = PROMPT_TOKENS + 40;

    HttpResponse<String> ok = harness.post(sim, url, body);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("azure-openai-deployment-utilization"))
        .hasValue(String.format(Locale.ROOT, "%.1f%%", (double) cost));
    assertThat(sim.utilizationPercent("gpt-4o-ptu")).isCloseTo(cost, within(1e-9));

    HttpResponse<String> throttled = harness.post(sim, url, body);
    assertThat(throttled.statusCode()).isEqualTo(429);
    long expectedMillis = (2 * cost - 100) * 100; // tokens over the bucket ÷ 10 tokens/s
    assertThat(throttled.headers().firstValue("retry-after-ms")).hasValue(Long.toString(expectedMillis));
    long seconds = (expectedMillis + 999) / 1000;
    assertThat(throttled.headers().firstValue("retry-after")).hasValue(Long.toString(seconds));
    assertThat(throttled.headers().firstValue("azure-openai-deployment-utilization"))
        .hasValue(String.format(Locale.ROOT, "%.1f%%", (double) cost));
    assertThat(SimHarness.json(throttled).path("error").path("code").asText()).isEqualTo("429");
    assertThat(SimHarness.json(throttled).path("error").path("message").asText())
        .startsWith("Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21")
        .contains("Please retry after " + seconds + " second");

    ticker.advanceMillis(expectedMillis);
    assertThat(harness.post(sim, url, body).statusCode()).isEqualTo(200);
    assertThat(sim.utilizationPercent("gpt-4o-ptu")).isCloseTo(100, within(1e-6));
    assertThat(sim.stats().deployment("gpt-4o-ptu").throttled()).isEqualTo(1);
    assertThat(sim.stats().deployment("gpt-4o-ptu").succeeded()).isEqualTo(2);
  }

  @Test
  void paygSendsRateLimitHeadersAndThrottlesOverQuota() {
    ManualTicker ticker = new ManualTicker();
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o-payg", 1_000, 2)), ticker);
    String body = SimHarness.chat("gpt-4o-payg", "\"max_tokens\":10");
    long cost = PROMPT_TOKENS + 10;

    HttpResponse<String> first = harness.post(sim, "/v1/chat/completions", body);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().map()).containsEntry("x-ratelimit-limit-requests", java.util.List.of("2"))
        .containsEntry("x-ratelimit-limit-tokens", java.util.List.of("1000"))
        .containsEntry("x-ratelimit-remaining-requests", java.util.List.of("1"))
        .containsEntry("x-ratelimit-remaining-tokens", java.util.List.of(Long.toString(1000 - cost)))
        .containsEntry("x-ratelimit-reset-requests", java.util.List.of("1m0s"))
        .containsEntry("x-ratelimit-reset-tokens", java.util.List.of("1m0s"));
    assertThat(sim.utilizationPercent("gpt-4o-payg")).isZero();

    ticker.advanceMillis(20_000);
    assertThat(harness.post(sim, "/v1/chat/completions", body).headers().firstValue("x-ratelimit-reset-requests"))
        .hasValue("40s");

    HttpResponse<String> throttled = harness.post(sim, "/v1/chat/completions", body);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("retry-after-ms")).hasValue("40000");
    assertThat(throttled.headers().firstValue("retry-after")).hasValue("40");
    assertThat(throttled.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(SimHarness.json(throttled).path("error").path("message").asText()).contains("call rate limit");

    ticker.advanceMillis(40_000);
    assertThat(harness.post(sim, "/v1/chat/completions", body).statusCode()).isEqualTo(200);
  }

  @Test
  void paygTokenQuotaCountsMaxTokens() {
    ManualTicker ticker = new ManualTicker();
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("p", 500, 0)), ticker);
    assertThat(harness.post(sim, "/v1/chat/completions", SimHarness.chat("p", "\"max_tokens\":300")).statusCode())
        .isEqualTo(200);
    HttpResponse<String> throttled = harness.post(sim, "/v1/chat/completions", SimHarness.chat("p", "\"max_tokens\":300"));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    assertThat(SimHarness.json(throttled).path("error").path("message").asText()).contains("token rate limit");
  }

  @Test
  void embeddingsCountAgainstTheirDeploymentsQuota() {
    ManualTicker ticker = new ManualTicker();
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.embeddings("e", 4).withQuotas(0, 1)), ticker);
    assertThat(harness.post(sim, "/v1/embeddings", "{\"model\":\"e\",\"input\":\"a\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> throttled = harness.post(sim, "/v1/embeddings", "{\"model\":\"e\",\"input\":\"a\"}");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(SimHarness.json(throttled).path("error").path("message").asText()).contains("Embeddings_Create");
  }
}
