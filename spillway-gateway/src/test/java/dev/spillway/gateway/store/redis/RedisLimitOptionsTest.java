package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's defaults, its checks at build time, and copies made with {@code toBuilder()}. No Redis needed. */
class RedisLimitOptionsTest {
  @Test
  void builderStartsAtLocalRedisFailingOpenOnRedisTime() {
    RedisLimitOptions options = RedisLimitOptions.builder().build();

    assertThat(options.connectionString()).isEqualTo(RedisLimitOptions.DEFAULT_CONNECTION_STRING);
    assertThat(options.keyPrefix()).isEqualTo(RedisLimitOptions.DEFAULT_KEY_PREFIX);
    assertThat(options.failurePolicy()).isEqualTo(FailurePolicy.FAIL_OPEN);
    assertThat(options.commandTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(options.reservationTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(options.probeInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.maxPoolSize()).isEqualTo(8);
    assertThat(options.trustCallerClock()).isFalse();
  }

  @Test
  void buildRejectsAConnectionStringThatIsNotRedis() {
    assertThatThrownBy(() -> RedisLimitOptions.builder().connectionString("http://127.0.0.1:6379").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectionString must start with redis:// or rediss://");
  }

  @Test
  void buildRejectsAZeroCommandTimeout() {
    assertThatThrownBy(() -> RedisLimitOptions.builder().commandTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commandTimeout must be positive, got PT0S");
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    RedisLimitOptions closed =
        RedisLimitOptions.builder().keyPrefix("t:").failurePolicy(FailurePolicy.FAIL_CLOSED).maxPoolSize(2).build();

    RedisLimitOptions copy = closed.toBuilder().trustCallerClock(true).build();

    assertThat(copy.trustCallerClock()).isTrue();
    assertThat(copy.toBuilder().trustCallerClock(false).build()).isEqualTo(closed);
  }
}
