package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.limits.LimitKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - id: a
              url: https://a.example
              deployment: d
              tier: ptu
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.of("PEPPER", "pepper-0123456789abcdef")::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aConsumersRatesQuotasAndDimensionsAreRead() {
    SpillwayConfig config = parse("""
        consumers:
          - id: app
            team: retail
            models: [gpt-4o]
            limits:
              tokensPerMinute: 100000
              requestsPerMinute: 600
              tokenQuota: { day: 2000000, month: 50000000 }
              per: [consumer, model]
        auth:
          keyPepper: ${PEPPER}
        limits:
          store: redis
          redisUrl: redis://127.0.0.1:6380
          onRedisFailure: failClosed
          defaultMaxTokens: 512
        """);
    LimitSettings limits = config.consumers().getFirst().limits();
    assertThat(limits.limits()).containsEntry(LimitKind.TOKENS_PER_MINUTE, 100_000L)
        .containsEntry(LimitKind.REQUESTS_PER_MINUTE, 600L)
        .containsEntry(LimitKind.TOKENS_PER_DAY, 2_000_000L)
        .containsEntry(LimitKind.TOKENS_PER_MONTH, 50_000_000L)
        .hasSize(4);
    assertThat(limits.per()).containsExactly("consumer", "model");
    assertThat(config.limits()).isEqualTo(new LimitsConfig(LimitsConfig.Store.REDIS, "redis://127.0.0.1:6380", false, 512));
  }

  @Test
  void aRedisUrlOfAnotherSchemeIsNamedWithItsKeyAndLineAndNotEchoed() {
    assertThat(problems("""
        limits:
          store: redis
          redisUrl: http://user:secret-pass@127.0.0.1:6379
        """))
        .containsExactly("spillway.yaml:10: limits.redisUrl: must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379");
    assertThat(parse("limits: { store: redis, redisUrl: rediss://cache.example:6380 }\n").limits().redisUrl())
        .isEqualTo("rediss://cache.example:6380");
  }

  @Test
  void withoutLimitsNothingIsLimitedAndTheStoreIsMemory() {
    SpillwayConfig config = parse("");
    assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULTS);
  }

  @Test
  void badValuesAreReportedWithTheirKeys() {
    assertThat(problems("""
        consumers:
          - id: app
            team: retail
            models: [gpt-4o]
            limits:
              tokensPerMinute: 0
              tokenQuota: { fortnight: 5 }
              per: [consumer, planet]
        auth:
          keyPepper: ${PEPPER}
        limits:
          store: disk
        """))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].limits.tokensPerMinute: must be a whole number >= 1"))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].limits.tokenQuota.fortnight: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].limits.per[1]: must be one of consumer, team"))
        .anySatisfy(p -> assertThat(p).contains("limits.store: must be one of memory, redis"));
  }
}
