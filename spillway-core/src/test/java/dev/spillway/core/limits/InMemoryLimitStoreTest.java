package dev.spillway.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory store does (eviction, argument checks). The behaviour every store shares
 * is in {@code LimitStoreContract}, run against this store by the gateway module's {@code
 * InMemoryLimitStoreContractTest}.
 */
class InMemoryLimitStoreTest {

  private static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();
  private static final LimitCheck TPM = new LimitCheck("consumer=a", LimitRule.tokensPerMinute(100));
  private static final LimitCheck DAY = new LimitCheck("consumer=a", new LimitRule(LimitKind.TOKENS_PER_DAY, 1000));

  private static Admission reserve(LimitStore store, String id, List<LimitCheck> checks, long tokens, long now) {
    return store.reserve(id, checks, tokens, now).toCompletableFuture().join();
  }

  @Test
  void evictsCountersWhoseWindowEndedAndForgetsStaleReservations() {
    InMemoryLimitStore store = new InMemoryLimitStore(Duration.ofMinutes(5));
    assertThat(reserve(store, "r1", List.of(TPM, DAY), 10, T0)).isInstanceOf(Admission.Allowed.class);
    assertThat(store.counterCount()).isEqualTo(2);
    assertThat(store.pendingReservations()).isEqualTo(1);

    // Ten minutes later: the minute counter has ended, the day counter has not, the reservation expired.
    assertThat(reserve(store, "r2", List.of(), 0, T0 + Duration.ofMinutes(10).toMillis())).isInstanceOf(Admission.Allowed.class);
    assertThat(store.counterCount()).isEqualTo(1);
    assertThat(store.pendingReservations()).isZero();

    // Settling the forgotten r1 is a no-op: its estimate stays counted.
    store.settle("r1", List.of(TPM, DAY), 10, 0, T0 + Duration.ofMinutes(10).toMillis()).toCompletableFuture().join();
    Admission after = reserve(store, "r3", List.of(DAY), 0, T0 + Duration.ofMinutes(10).toMillis());
    assertThat(((Admission.Allowed) after).remaining().getFirst().remaining()).isEqualTo(990);
  }

  @Test
  void aCounterEvictedAndRecreatedStartsFromZero() {
    InMemoryLimitStore store = new InMemoryLimitStore();
    reserve(store, "r1", List.of(TPM), 100, T0);
    long later = T0 + Duration.ofMinutes(2).toMillis();
    Admission again = reserve(store, "r2", List.of(TPM), 100, later);
    assertThat(again).isInstanceOf(Admission.Allowed.class);
    assertThat(store.counterCount()).isEqualTo(1);
  }

  @Test
  void remembersOnlyReservationsThatASettleCanChange() {
    InMemoryLimitStore store = new InMemoryLimitStore();
    reserve(store, "none", List.of(), 10, T0);
    reserve(store, "requests-only", List.of(new LimitCheck("consumer=a", LimitRule.requestsPerMinute(5))), 10, T0);
    assertThat(store.pendingReservations()).isZero();
    reserve(store, "tokens", List.of(TPM), 10, T0);
    assertThat(store.pendingReservations()).isEqualTo(1);
  }

  @Test
  void rejectsTheSameCounterTwiceAndNegativeTokens() {
    InMemoryLimitStore store = new InMemoryLimitStore();
    assertThatThrownBy(() -> store.reserve("r", List.of(TPM, TPM), 1, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consumer=a");
    assertThatThrownBy(() -> store.reserve("r", List.of(TPM), -1, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.settle("r", List.of(TPM), 1, -1, T0)).isInstanceOf(IllegalArgumentException.class);
  }
}
