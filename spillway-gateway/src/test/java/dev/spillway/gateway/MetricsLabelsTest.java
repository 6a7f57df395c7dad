package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TelemetryConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.simulator.DeploymentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limit rejections, gateway overhead and the opt-in consumer and team labels, read back from {@code /metrics}. */
class MetricsLabelsTest {
  private TestWorld world;
  private String rateKey;
  private String quotaKey;

  @AfterEach
  void stop() {
    world.close();
  }

  private void start(TelemetryConfig telemetry) throws Exception {
    Path dir = Files.createTempDirectory("spillway-metric-labels");
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    List<ConsumerConfig> consumers = List.of(
        ConsumerConfig.builder().id("rated").team("t1").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.REQUESTS_PER_MINUTE, 1L), List.of("consumer"))).build(),
        ConsumerConfig.builder().id("quota").team("t2").models(List.of("*")).priorityClass(PriorityClass.STANDARD).jwtSubjects(List.of()).limits(new LimitSettings(Map.of(LimitKind.TOKENS_PER_DAY, 5L), List.of("consumer"))).build());
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(Backends.azure("p", world.simUrl(), "payg", Tier.PAYG, 1))))
        .toBuilder()
        .consumers(consumers)
        .auth(new AuthConfig(true, dir.resolve("keys.json"), Optional.of("pepper-0123456789abcdef"), List.of()))
        .admin(AdminConfig.LOOPBACK_ONLY)
        .telemetry(telemetry)
        .build();
    world.gateway(config);
    KeyStore keys = world.gateway.keys().orElseThrow();
    rateKey = keys.create("rated", Instant.now()).plaintext();
    quotaKey = keys.create("quota", Instant.now()).plaintext();
  }

  /** One answered request by "rated", then one over its rate, then one over "quota"'s daily quota. */
  private String traffic() throws Exception {
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", rateKey)).statusCode())
        .isEqualTo(200);
    world.listener.nextRequest();
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", rateKey)).statusCode())
        .isEqualTo(429);
    world.listener.nextRequest();
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", quotaKey)).statusCode())
        .isEqualTo(403);
    world.listener.nextRequest();
    return Http.get(world.url("/metrics")).body();
  }

  @Test
  void limitRejectionsAndOverheadAreCountedWithoutCallerLabelsByDefault() throws Exception {
    start(TelemetryConfig.DEFAULTS);
    String text = traffic();

    assertThat(text).containsPattern(
        "spillway_limit_rejections_total\\{gen_ai_request_model=\"gpt-4o\",limit=\"rpm\"\\} 1\\.0");
    assertThat(text).containsPattern(
        "spillway_limit_rejections_total\\{gen_ai_request_model=\"gpt-4o\",limit=\"tpd\"\\} 1\\.0");
    assertThat(text).doesNotContain("consumer=").doesNotContain("team=");
    // Overhead: one observation for the one proxied request, and less than its whole duration.
    assertThat(value(text, "spillway_gateway_overhead_seconds_count\\{[^}]*http_response_status_code=\"200\"[^}]*\\}"))
        .isEqualTo(1.0);
    double overhead = value(text, "spillway_gateway_overhead_seconds_sum\\{[^}]*http_response_status_code=\"200\"[^}]*\\}");
    double duration = value(text, "gen_ai_server_request_duration_seconds_sum\\{[^}]*http_response_status_code=\"200\"[^}]*\\}");
    assertThat(overhead).isGreaterThan(0.0).isLessThan(duration);
  }

  @Test
  void optInLabelsNameTheConsumerAndTeam() throws Exception {
    start(new TelemetryConfig(true, true, Optional.empty()));
    String text = traffic();

    assertThat(text).containsPattern(
        "spillway_requests_total\\{consumer=\"rated\",[^}]*http_response_status_code=\"200\"[^}]*team=\"t1\"\\} 1\\.0");
    assertThat(text).containsPattern(
        "spillway_limit_rejections_total\\{consumer=\"quota\",gen_ai_request_model=\"gpt-4o\",limit=\"tpd\",team=\"t2\"\\} 1\\.0");
    assertThat(text).containsPattern(
        "(?m)^gen_ai_client_token_usage_count\\{consumer=\"rated\",[^}]*gen_ai_token_type=\"input\"[^}]*team=\"t1\"\\} 1$");
  }

  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(exposition);
    assertThat(m.find()).as("series %s in%n%s", series, exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
