package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code routing.shared} and {@code routing.sharedKeyPrefix}: on by default exactly when the limits are in Redis. */
class SharedRoutingKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: a, url: "https://a.example", deployment: d, tier: ptu }
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.<String, String>of()::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void sharingIsOnByDefaultExactlyWhenTheLimitsAreInRedis() {
    SpillwayConfig memory = parse("");
    assertThat(memory.routing().shared()).isEqualTo(SharedRouting.DEFAULTS);
    assertThat(memory.routing().shared().activeWith(memory.limits())).isFalse();

    SpillwayConfig redis = parse("limits: { store: redis, redisUrl: \"redis://127.0.0.1:6380\" }\n");
    assertThat(redis.routing().shared().activeWith(redis.limits())).isTrue();
    assertThat(redis.routing().shared().keyPrefix()).isEqualTo("spillway:routing:");
  }

  @Test
  void sharingCanBeTurnedOffAndItsPrefixChosen() {
    SpillwayConfig config = parse("""
        routing: { shared: false, sharedKeyPrefix: "eu-prod:routing:" }
        limits: { store: redis }
        """);
    assertThat(config.routing().shared()).isEqualTo(new SharedRouting(Optional.of(false), "eu-prod:routing:"));
    assertThat(config.routing().shared().activeWith(config.limits())).isFalse();
  }

  @Test
  void sharingAskedForWithoutRedisLimitsIsReportedAtItsLine() {
    assertThat(problems("""
        routing:
          shared: true
        """)).singleElement().asString()
        .contains("spillway.yaml:6: routing.shared", "needs limits.store: redis");
    assertThat(problems("routing: { shared: yes please }\n")).singleElement().asString()
        .contains("routing.shared", "must be true or false");
    assertThat(problems("routing: { sharedKeyPrefix: \"\" }\n")).singleElement().asString()
        .contains("routing.sharedKeyPrefix");
  }
}
