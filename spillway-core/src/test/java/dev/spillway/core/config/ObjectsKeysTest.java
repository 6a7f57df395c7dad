package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code objects:}: where the owners of stateful objects are recorded. */
class ObjectsKeysTest {
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

  private static final Map<String, String> ENV =
      Map.of(
          "REDIS_URL", "redis://:env-secret-pass@10.0.0.5:6379",
          "AOAI_EASTUS_KEY", "east-secret-1111",
          "AOAI_SWEDENCENTRAL_KEY", "sweden-secret-2222",
          "SPILLWAY_KEY_PEPPER", "pepper-secret-0123456789",
          "SPILLWAY_ADMIN_KEY", "admin-secret-0123456789");

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", ENV::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void withoutObjectsTheStoreIsMemoryForThirtyDaysAndAHundredThousandEntries() {
    ObjectsConfig objects = parse("").objects();
    assertThat(objects).isEqualTo(ObjectsConfig.DEFAULTS);
    assertThat(objects.store()).isEqualTo(ObjectsConfig.Store.MEMORY);
    assertThat(objects.ttl()).isEqualTo(Duration.ofDays(30));
    assertThat(objects.maxEntries()).isEqualTo(100_000);
    assertThat(objects.redisUrl()).isEmpty();
    assertThat(objects.keyPrefix()).isEqualTo("spillway:obj:");
    assertThat(parse("objects:\n").objects()).isEqualTo(ObjectsConfig.DEFAULTS);
  }

  @Test
  void everyKeyIsRead() {
    assertThat(parse("""
        objects:
          store: redis
          ttl: 7d
          maxEntries: 5000
          redisUrl: rediss://cache.example:6380
          keyPrefix: "gw-eu:obj:"
        """).objects())
        .isEqualTo(new ObjectsConfig(
            ObjectsConfig.Store.REDIS, Duration.ofDays(7), 5000, Optional.of("rediss://cache.example:6380"), "gw-eu:obj:"));
  }

  @Test
  void theRedisStoreUsesTheLimitsRedisWhenItNamesNoneOfItsOwn() {
    SpillwayConfig shared = parse("""
        limits:
          store: redis
          redisUrl: redis://10.0.0.7:6379
        objects:
          store: redis
        """);
    assertThat(shared.objects().redisUrl()).contains("redis://10.0.0.7:6379");

    SpillwayConfig own = parse("""
        limits: { redisUrl: "redis://10.0.0.7:6379" }
        objects: { store: redis, redisUrl: "redis://10.0.0.8:6379" }
        """);
    assertThat(own.objects().redisUrl()).contains("redis://10.0.0.8:6379");
    assertThat(own.limits().redisUrl()).isEqualTo("redis://10.0.0.7:6379");
  }

  @Test
  void theRedisStoreWithNoRedisUrlAnywhereIsAProblemAtItsStoreLine() {
    String expected =
        "spillway.yaml:9: objects.store: redis needs a Redis URL: set objects.redisUrl, or limits.redisUrl (used when"
            + " objects.redisUrl is absent)";
    assertThat(problems("""
        objects:
          store: redis
        """)).containsExactly(expected);
    // limits' own default (local Redis) is not taken for a URL someone wrote.
    assertThat(problems("""
        objects:
          store: redis
        limits:
          store: redis
        """)).containsExactly(expected);
  }

  @Test
  void aMisspeltKeyIsNamedWithASuggestion() {
    assertThat(problems("""
        objects:
          maxEntrys: 10
          keyprefix: "x:"
        """))
        .containsExactly(
            "spillway.yaml:9: objects.maxEntrys: unknown key; did you mean maxEntries?",
            "spillway.yaml:10: objects.keyprefix: unknown key; did you mean keyPrefix?");
    assertThat(problems("object:\n  store: memory\n"))
        .containsExactly("spillway.yaml:8: object: unknown key; did you mean objects?");
  }

  @Test
  void badValuesAreReportedWithTheirKeysAndLines() {
    assertThat(problems("""
        objects:
          store: disk
          ttl: 30s
          maxEntries: 0
          keyPrefix: " "
        """))
        .containsExactly(
            "spillway.yaml:9: objects.store: must be one of memory, redis, got \"disk\"",
            "spillway.yaml:10: objects.ttl: must be at least 1m (objects would vanish while in use), got \"30s\"",
            "spillway.yaml:11: objects.maxEntries: must be a whole number 1..100000000, got \"0\"",
            "spillway.yaml:12: objects.keyPrefix: must not be empty");
    assertThat(problems("objects: { ttl: 30 }\n"))
        .singleElement()
        .asString()
        .startsWith("spillway.yaml:8: objects.ttl: needs a unit");
    assertThat(problems("objects: { maxEntries: \"5\" }\n"))
        .singleElement()
        .asString()
        .contains("objects.maxEntries: must be a whole number 1..100000000 without quotes");
  }

  @Test
  void aRedisUrlOfAnotherSchemeIsReportedWithoutEchoingIt() {
    assertThat(problems("""
        objects:
          store: redis
          redisUrl: http://user:secret-pass@127.0.0.1:6379
        """))
        .containsExactly(
            "spillway.yaml:10: objects.redisUrl: must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379");
  }

  @Test
  void aPasswordInTheUrlNeverAppearsInTheConfigsText() {
    ObjectsConfig objects = parse("objects: { store: redis, redisUrl: \"${REDIS_URL}\" }\n").objects();
    assertThat(objects.redisUrl()).contains("redis://:env-secret-pass@10.0.0.5:6379");
    assertThat(objects.toString()).doesNotContain("env-secret-pass").contains("10.0.0.5:6379");
  }

  @Test
  void builtInCodeTheSameRulesHold() {
    assertThat(ObjectsConfig.builder().build()).isEqualTo(ObjectsConfig.DEFAULTS);
    assertThat(ObjectsConfig.builder().store(ObjectsConfig.Store.REDIS).redisUrl("redis://127.0.0.1:6379").build()
        .toBuilder().ttl(Duration.ofHours(2)).build())
        .isEqualTo(new ObjectsConfig(
            ObjectsConfig.Store.REDIS, Duration.ofHours(2), 100_000, Optional.of("redis://127.0.0.1:6379"),
            "spillway:obj:"));
    assertThatThrownBy(() -> ObjectsConfig.builder().store(ObjectsConfig.Store.REDIS).build())
        .hasMessageContaining("redisUrl");
    assertThatThrownBy(() -> ObjectsConfig.builder().ttl(Duration.ofSeconds(59)).build()).hasMessageContaining("ttl");
    assertThatThrownBy(() -> ObjectsConfig.builder().maxEntries(0).build()).hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> ObjectsConfig.builder().keyPrefix("").build()).hasMessageContaining("keyPrefix");
    SpillwayConfig config = parse("");
    ObjectsConfig redis = ObjectsConfig.builder().store(ObjectsConfig.Store.REDIS).redisUrl("redis://r:6379").build();
    assertThat(config.toBuilder().objects(redis).build().objects()).isEqualTo(redis);
  }

  @Test
  void theExampleFileDocumentsTheDefaults() throws IOException {
    String yaml = Files.readString(Path.of("../examples/spillway.yaml"));
    assertThat(yaml).contains("\nobjects:");
    // Its limits section writes a redisUrl, which objects would use with store: redis.
    assertThat(ConfigLoader.parse(yaml, "spillway.yaml", ENV::get).objects())
        .isEqualTo(ObjectsConfig.DEFAULTS.toBuilder().redisUrl("redis://127.0.0.1:6379").build());
  }
}
