package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AnswerStore} guarantees; each store's test extends this class. Time is a fake clock passed as
 * {@code now}, far from the machine's: stores judge expiry by the caller's {@code now} and the answer's own expiry, so
 * no test sleeps. Every test gets an empty store of its own (the Redis store under a key prefix of its own).
 */
abstract class AnswerStoreContract {
  /** Monday 2025-03-10 12:00:00 UTC. */
  static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();
  static final long TTL = Duration.ofHours(1).toMillis();
  static final int THREADS = 8;

  private AnswerStore store;

  /** An empty store; called before every test. */
  protected abstract AnswerStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  static CachedAnswer answer(String key, String tenant, String model, String content, long storedAt) {
    String json = "{\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"" + content + "\"}}]}";
    return new CachedAnswer(key, tenant, model, json.getBytes(StandardCharsets.UTF_8), new TokenUsage(12, 30, 42, 4, 2),
        storedAt, storedAt + TTL);
  }

  void put(CachedAnswer a, long now) {
    await(store.put(a, now));
  }

  Optional<CachedAnswer> get(String key, long now) {
    return await(store.get(key, now));
  }

  long invalidate(CacheScope scope) {
    return await(store.invalidate(scope));
  }

  /** {@code actual} holds exactly what {@code expected} does (the record's equals compares its bytes by identity). */
  static void assertSame(Optional<CachedAnswer> actual, CachedAnswer expected) {
    assertThat(actual).isPresent();
    CachedAnswer a = actual.get();
    assertThat(a.key()).isEqualTo(expected.key());
    assertThat(a.tenant()).isEqualTo(expected.tenant());
    assertThat(a.model()).isEqualTo(expected.model());
    assertThat(a.completion()).isEqualTo(expected.completion());
    assertThat(a.usage()).isEqualTo(expected.usage());
    assertThat(a.storedAtMillis()).isEqualTo(expected.storedAtMillis());
    assertThat(a.expiresAtMillis()).isEqualTo(expected.expiresAtMillis());
  }

  @Test
  void whatIsPutIsWhatIsGot() {
    CachedAnswer a = answer("k1", "c:alice", "gpt-4o", "A PTU is provisioned throughput.", T0);
    CachedAnswer b = answer("k2", "*", "gpt-4o-mini", "Zürich ✓ — 東京", T0 + 5);
    put(a, T0);
    put(b, T0 + 5);
    assertSame(get("k1", T0 + 10), a);
    assertSame(get("k2", T0 + 10), b);
  }

  @Test
  void anUnknownKeyIsEmpty() {
    assertThat(get("never-put", T0)).isEmpty();
    put(answer("k1", "c:alice", "gpt-4o", "x", T0), T0);
    assertThat(get("k1x", T0)).isEmpty();
    assertThat(get("K1", T0)).as("keys are case-sensitive").isEmpty();
  }

  @Test
  void aPutReplacesTheAnswerUnderItsKey() {
    put(answer("k1", "c:alice", "gpt-4o", "first", T0), T0);
    CachedAnswer second = answer("k1", "c:alice", "gpt-4o", "second", T0 + 7);
    put(second, T0 + 7);
    assertSame(get("k1", T0 + 8), second);
  }

  @Test
  void anAnswerIsServedUntilItsExpiryAndNotFromIt() {
    put(answer("k1", "c:alice", "gpt-4o", "x", T0), T0);
    assertThat(get("k1", T0 + TTL - 1)).isPresent();
    assertThat(get("k1", T0 + TTL)).isEmpty();
  }

  @Test
  void anAnswerExpiredWhenPutIsNeverServed() {
    put(answer("k1", "c:alice", "gpt-4o", "x", T0 - TTL), T0);
    assertThat(get("k1", T0)).isEmpty();
  }

  @Test
  void aLargeAnswerComesBackByteForByte() {
    StringBuilder content = new StringBuilder();
    while (content.length() < 300_000) {
      content.append("Ünïcödé and ascii, ").append(content.length()).append(' ');
    }
    CachedAnswer big = answer("big", "t:red", "gpt-4o", content.toString(), T0);
    put(big, T0);
    assertSame(get("big", T0 + 1), big);
  }

  @Test
  void invalidatingByKeyRemovesThatAnswerOnlyAndCountsIt() {
    put(answer("k1", "c:alice", "gpt-4o", "x", T0), T0);
    put(answer("k2", "c:alice", "gpt-4o", "y", T0), T0);
    assertThat(invalidate(new CacheScope("", "", "k1"))).isEqualTo(1);
    assertThat(invalidate(new CacheScope("", "", "k1"))).isZero();
    assertThat(invalidate(new CacheScope("", "", "never-put"))).isZero();
    assertThat(get("k1", T0 + 1)).isEmpty();
    assertThat(get("k2", T0 + 1)).isPresent();
  }

  @Test
  void aKeyOfAnotherTenantOrModelIsNotRemoved() {
    put(answer("k1", "c:alice", "gpt-4o", "x", T0), T0);
    assertThat(invalidate(new CacheScope("c:bob", "", "k1"))).isZero();
    assertThat(invalidate(new CacheScope("", "gpt-4o-mini", "k1"))).isZero();
    assertThat(get("k1", T0 + 1)).isPresent();
    assertThat(invalidate(new CacheScope("c:alice", "gpt-4o", "k1"))).isEqualTo(1);
  }

  @Test
  void invalidatingByTenantModelOrBothRemovesExactlyTheMatchingAnswers() {
    put(answer("a4", "c:alice", "gpt-4o", "x", T0), T0);
    put(answer("a4m", "c:alice", "gpt-4o-mini", "x", T0), T0);
    put(answer("b4", "c:bob", "gpt-4o", "x", T0), T0);
    put(answer("b4m", "c:bob", "gpt-4o-mini", "x", T0), T0);
    put(answer("r4", "t:red", "gpt-4o", "x", T0), T0);

    assertThat(invalidate(new CacheScope("c:alice", "gpt-4o-mini", ""))).isEqualTo(1);
    assertThat(get("a4m", T0)).isEmpty();
    assertThat(invalidate(new CacheScope("c:alice", "", ""))).isEqualTo(1);
    assertThat(get("a4", T0)).isEmpty();
    assertThat(invalidate(new CacheScope("", "gpt-4o", ""))).isEqualTo(2);
    assertThat(get("b4", T0)).isEmpty();
    assertThat(get("r4", T0)).isEmpty();
    assertThat(get("b4m", T0)).isPresent();
    assertThat(invalidate(CacheScope.ALL)).isEqualTo(1);
    assertThat(get("b4m", T0)).isEmpty();
    assertThat(invalidate(CacheScope.ALL)).isZero();
  }

  @Test
  void invalidatingEverythingReachesEveryAnswerOfAManyPagedStore() {
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      puts.add(store.put(answer("k" + i, i % 3 == 0 ? "c:alice" : "c:bob", "gpt-4o", "x", T0), T0).toCompletableFuture());
    }
    await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    assertThat(invalidate(new CacheScope("c:alice", "", ""))).isEqualTo(400);
    assertThat(invalidate(CacheScope.ALL)).isEqualTo(800);
    assertThat(get("k1", T0)).isEmpty();
  }

  @Test
  void concurrentPutsFromSeveralThreadsAreAllKept() throws Exception {
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(pool.submit(() -> {
          List<CompletableFuture<Void>> puts = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            puts.add(store.put(answer(thread + "-" + i, "c:alice", "gpt-4o", "x" + i, T0), T0).toCompletableFuture());
          }
          return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }));
      }
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < THREADS; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(get(t + "-" + i, T0)).as("answer %d-%d", t, i).isPresent();
      }
    }
  }
}
