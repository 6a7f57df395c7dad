package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedLruTest {
  record E(String id, long weight, long expiresAt) {}

  private static BoundedLru<E> lru(long entries, long bytes) {
    return new BoundedLru<>(entries, bytes, E::weight, E::expiresAt);
  }

  @Test
  void theLeastRecentlyUsedEntryGoesFirstWhenTheCountIsReached() {
    BoundedLru<E> m = lru(2, 1000);
    m.put("a", new E("a", 1, 100), 0);
    m.put("b", new E("b", 1, 100), 0);
    assertThat(m.get("a", 1)).isPresent(); // a is now the most recent
    assertThat(m.put("c", new E("c", 1, 100), 1)).extracting(E::id).containsExactly("b");
    assertThat(m.get("b", 1)).isEmpty();
    assertThat(m.size()).isEqualTo(2);
    assertThat(m.evictions()).isEqualTo(1);
  }

  @Test
  void theByteBoundHoldsAndAnEntryLargerThanItIsNotStored() {
    BoundedLru<E> m = lru(100, 10);
    m.put("a", new E("a", 4, 100), 0);
    m.put("b", new E("b", 4, 100), 0);
    m.put("c", new E("c", 4, 100), 0);
    assertThat(m.bytes()).isEqualTo(8);
    assertThat(m.get("a", 0)).isEmpty();
    assertThat(m.put("big", new E("big", 11, 100), 0)).isEmpty();
    assertThat(m.get("big", 0)).isEmpty();
    assertThat(m.bytes()).isEqualTo(8);
  }

  @Test
  void expiredEntriesAreNotReturnedAndGoBeforeLiveOnes() {
    BoundedLru<E> m = lru(2, 1000);
    m.put("old", new E("old", 1, 10), 0);
    m.put("live", new E("live", 1, 100), 0);
    assertThat(m.get("old", 10)).isEmpty();
    m.put("x", new E("x", 1, 100), 11);
    m.put("y", new E("y", 1, 5), 11); // already expired by 11: dropped first when room is needed, not the eldest
    assertThat(m.get("live", 11)).isPresent();
    assertThat(m.get("x", 11)).isPresent();
    assertThat(m.get("y", 11)).isEmpty();
  }

  @Test
  void replacingAnEntryCountsItsBytesOnce() {
    BoundedLru<E> m = lru(10, 100);
    m.put("a", new E("a", 30, 100), 0);
    m.put("a", new E("a", 20, 100), 0);
    assertThat(m.bytes()).isEqualTo(20);
    assertThat(m.removeIf(e -> e.id().equals("a"))).hasSize(1);
    assertThat(m.bytes()).isZero();
  }
}
