package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.ObjectsConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The object registry's options: defaults, checks, and the values taken from {@code objects:}. No Redis needed. */
class RedisObjectOptionsTest {
  @Test
  void builderStartsAtLocalRedisWithThirtyDaysAndTheLimitStoresTimeouts() {
    RedisObjectOptions options = RedisObjectOptions.builder().build();

    assertThat(options.connectionString()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(options.keyPrefix()).isEqualTo("spillway:obj:");
    assertThat(options.ttl()).isEqualTo(Duration.ofDays(30));
    assertThat(options.commandTimeout()).isEqualTo(RedisLimitOptions.builder().build().commandTimeout());
    assertThat(options.probeInterval()).isEqualTo(RedisLimitOptions.builder().build().probeInterval());
    assertThat(options.maxPoolSize()).isEqualTo(8);
  }

  @Test
  void theObjectsSectionGivesUrlPrefixAndTtl() {
    ObjectsConfig objects = ObjectsConfig.builder()
        .store(ObjectsConfig.Store.REDIS)
        .redisUrl("rediss://:pw@cache.example:6380")
        .keyPrefix("eu:obj:")
        .ttl(Duration.ofDays(90))
        .build();

    RedisObjectOptions options = RedisObjectOptions.builder(objects).commandTimeout(Duration.ofSeconds(1)).build();

    assertThat(options.connectionString()).isEqualTo("rediss://:pw@cache.example:6380");
    assertThat(options.keyPrefix()).isEqualTo("eu:obj:");
    assertThat(options.ttl()).isEqualTo(Duration.ofDays(90));
    assertThat(options.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.endpoint()).isEqualTo("cache.example:6380");
    assertThat(options.toString()).doesNotContain("pw");
    assertThatThrownBy(() -> RedisObjectOptions.builder(ObjectsConfig.DEFAULTS)).hasMessageContaining("redisUrl");
  }

  @Test
  void buildRejectsWhatCannotWork() {
    assertThatThrownBy(() -> RedisObjectOptions.builder().connectionString("http://127.0.0.1:6379").build())
        .hasMessage("connectionString must start with redis:// or rediss://");
    assertThatThrownBy(() -> RedisObjectOptions.builder().ttl(Duration.ZERO).build()).hasMessageContaining("ttl");
    assertThatThrownBy(() -> RedisObjectOptions.builder().commandTimeout(Duration.ZERO).build())
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> RedisObjectOptions.builder().probeInterval(Duration.ofMillis(-1)).build())
        .hasMessageContaining("probeInterval");
    assertThatThrownBy(() -> RedisObjectOptions.builder().maxPoolSize(0).build()).hasMessageContaining("maxPoolSize");
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    RedisObjectOptions options = RedisObjectOptions.builder().keyPrefix("t:").maxPoolSize(2).build();
    RedisObjectOptions copy = options.toBuilder().probeInterval(Duration.ZERO).build();
    assertThat(copy.probeInterval()).isZero();
    assertThat(copy.toBuilder().probeInterval(Duration.ofSeconds(1)).build()).isEqualTo(options);
  }
}
