package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.SpillwayConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code cache.store}, {@code cache.redisUrl} and {@code cache.keyPrefix}: where the gateway keeps its answers. */
class CacheStoreKeysTest {
  /** Seven lines: the section under test starts on line 8. */
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - id: a
              url: https://a.example
              deployment: d
              tier: ptu
      """;

  private static final Map<String, String> ENV = Map.of("CACHE_REDIS", "redis://:env-secret-pass@10.0.0.5:6379/2");

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", ENV::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("the config is refused").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  private static CacheSettings gateway(SpillwayConfig config) {
    return config.policySettings().get(CacheSettings.class).orElseThrow();
  }

  @Test
  void withoutAStoreTheAnswersAreKeptInMemory() {
    CacheSettings settings = gateway(parse("cache: { ttl: 10m }\n"));
    assertThat(settings.store()).isEmpty();
    assertThat(settings.storeOrDefault()).isEqualTo(CacheStore.MEMORY);
    assertThat(CacheSettings.NONE.storeOrDefault().shared()).isFalse();
    assertThat(gateway(parse("cache: { store: memory }\n")).storeOrDefault()).isEqualTo(CacheStore.MEMORY);
  }

  @Test
  void theRedisStoreTakesItsUrlAndKeyPrefix() {
    CacheStore store = gateway(parse("""
        cache:
          store: redis
          redisUrl: rediss://cache.example:6380
          keyPrefix: "gw-eu:cache:"
        """)).storeOrDefault();
    assertThat(store).isEqualTo(CacheStore.redis("rediss://cache.example:6380", "gw-eu:cache:"));
    assertThat(store.shared()).isTrue();
    assertThat(store.endpoint()).isEqualTo("cache.example:6380");
    assertThat(gateway(parse("cache: { store: redis, redisUrl: \"redis://10.0.0.7:6379\" }\n")).storeOrDefault()
        .keyPrefix()).isEqualTo("spillway:cache:");
  }

  @Test
  void aPasswordInTheUrlNeverAppearsInTheSettingsText() {
    CacheSettings settings = gateway(parse("cache: { store: redis, redisUrl: \"${CACHE_REDIS}\" }\n"));
    assertThat(settings.storeOrDefault().redisUrl()).contains("redis://:env-secret-pass@10.0.0.5:6379/2");
    assertThat(settings.toString()).doesNotContain("env-secret-pass").contains("10.0.0.5:6379");
  }

  @Test
  void theRedisStoreWithoutAUrlIsAProblemAtItsStoreLine() {
    assertThat(problems("""
        cache:
          ttl: 10m
          store: redis
        """)).containsExactly("spillway.yaml:10: cache.store: redis needs a Redis URL: set cache.redisUrl");
  }

  @Test
  void badValuesAreReportedWithTheirKeysAndLinesAndTheUrlIsNeverEchoed() {
    assertThat(problems("""
        cache:
          store: disk
          redisUrl: http://user:secret-pass@127.0.0.1:6379
          keyPrefix: " "
        """)).containsExactly(
        "spillway.yaml:9: cache.store: must be one of memory, redis, got \"disk\"",
        "spillway.yaml:10: cache.redisUrl: must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379",
        "spillway.yaml:11: cache.keyPrefix: must not be empty");
  }

  @Test
  void aConsumerMayNotChooseTheStoreAndInheritsTheGateways() {
    assertThat(problems("""
        cache: { store: redis, redisUrl: "redis://10.0.0.7:6379" }
        consumers:
          - id: app
            team: red
            models: ["*"]
            cache:
              enabled: true
              store: memory
              redisUrl: redis://10.0.0.8:6379
        auth: { required: false }
        """)).containsExactly(
        "spillway.yaml:15: consumers[0].cache.store: only the gateway's own cache section (at the root) chooses where"
            + " answers are kept",
        "spillway.yaml:16: consumers[0].cache.redisUrl: only the gateway's own cache section (at the root) chooses"
            + " where answers are kept");

    SpillwayConfig config = parse("""
        cache: { store: redis, redisUrl: "redis://10.0.0.7:6379" }
        consumers:
          - { id: app, team: red, models: ["*"], cache: { ttl: 5m } }
        auth: { required: false }
        """);
    CacheSettings own = config.consumer("app").orElseThrow().policySettings().get(CacheSettings.class).orElseThrow();
    assertThat(own.store()).isEmpty();
    assertThat(own.orElse(gateway(config)).storeOrDefault()).isEqualTo(CacheStore.redis("redis://10.0.0.7:6379",
        "spillway:cache:"));
  }

  @Test
  void builtInCodeTheSameRulesHold() {
    assertThatThrownBy(() -> new CacheStore(CacheStore.Kind.REDIS, Optional.empty(), "p:"))
        .hasMessageContaining("redisUrl");
    assertThatThrownBy(() -> CacheStore.redis("http://h:1", "p:")).hasMessageContaining("redis://");
    assertThatThrownBy(() -> CacheStore.redis("redis://h:1", " ")).hasMessageContaining("keyPrefix");
    assertThat(CacheStore.redis("redis://:pw@h:1", "p:").toString()).isEqualTo("CacheStore[redis, h:1, p:]");
  }
}
