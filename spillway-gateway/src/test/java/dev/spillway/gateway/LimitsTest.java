package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-consumer token limits, end to end: reservation, refusal, headers and settlement with real usage. */
class LimitsTest {
  private TestWorld world;
  private Path dir;
  private String rateKey;
  private String quotaKey;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("spillway-limits");
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    List<ConsumerConfig> consumers = List.of(
        ConsumerConfig.builder().id("rated").team("t1").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.TOKENS_PER_MINUTE, 400L, LimitKind.REQUESTS_PER_MINUTE, 50L), List.of("consumer"))).build(),
        ConsumerConfig.builder().id("quota").team("t2").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.TOKENS_PER_DAY, 150L), List.of("consumer", "model"))).build());
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(Backends.azure("p", world.simUrl(), "payg", Tier.PAYG, 1))))
        .toBuilder()
        .consumers(consumers)
        .auth(new AuthConfig(true, dir.resolve("keys.json"), Optional.of("pepper-0123456789abcdef"), List.of()))
        .admin(AdminConfig.LOOPBACK_ONLY)
        .build();
    world.gateway(config);
    KeyStore keys = world.gateway.keys().orElseThrow();
    rateKey = keys.create("rated", Instant.now()).plaintext();
    quotaKey = keys.create("quota", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private HttpResponse<String> chat(String key, int maxTokens) throws Exception {
    return Http.post(world.url("/v1/chat/completions"),
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],\"max_tokens\":" + maxTokens + "}",
        Map.of("api-key", key));
  }

  @Test
  void responsesCarryTheConsumersOwnLimitsAndTheTokensConsumed() throws Exception {
    HttpResponse<String> r = chat(rateKey, 20);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode usage = Http.json(r).path("usage");
    assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).contains("400");
    assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("50");
    assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).contains("49");
    assertThat(r.headers().firstValue("x-spillway-tokens-consumed")).contains(usage.path("total_tokens").asText());
    // The backend's own PAYG headers are replaced by the consumer's.
    assertThat(Long.parseLong(r.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow())).isLessThan(400);
  }

  @Test
  void overTheRateIs429WithRetryAfterAndTheLimitNamed() throws Exception {
    // Each request reserves its prompt + 150 output tokens against 400 per minute.
    assertThat(chat(rateKey, 150).statusCode()).isEqualTo(200);
    world.listener.nextRequest();
    HttpResponse<String> second = chat(rateKey, 150);
    assertThat(second.statusCode()).isEqualTo(200);
    world.listener.nextRequest();
    HttpResponse<String> third = chat(rateKey, 390);

    assertThat(third.statusCode()).isEqualTo(429);
    JsonNode error = Http.json(third).path("error");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("message").asText()).contains("tokens per minute").contains("resets at");
    long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
  }

  @Test
  void theReservationIsSettledWithTheRealUsage() throws Exception {
    // The first request reserves its estimate; once it ends, only its real usage stays counted.
    HttpResponse<String> first = chat(rateKey, 3);
    long used = Http.json(first).path("usage").path("total_tokens").asLong();
    world.listener.nextRequest();
    HttpResponse<String> second = chat(rateKey, 3);
    long remaining = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    long usedSecond = Http.json(second).path("usage").path("total_tokens").asLong();
    // After the first settled, only its real usage counts; the second's own reservation is counted too.
    long secondReservation = 400 - remaining - used;
    assertThat(secondReservation).isBetween(usedSecond - 2, usedSecond + 20);
  }

  @Test
  void overTheQuotaIs403InsufficientQuota() throws Exception {
    assertThat(chat(quotaKey, 100).statusCode()).isEqualTo(200);
    world.listener.nextRequest();
    HttpResponse<String> over = chat(quotaKey, 100);

    assertThat(over.statusCode()).isEqualTo(403);
    JsonNode error = Http.json(over).path("error");
    assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("message").asText()).contains("tokens per day");
  }
}
