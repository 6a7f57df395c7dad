package dev.spillway.core.objects;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link ObjectRegistry}: this process's memory, bounded in both time (the TTL) and space ({@code
 * maxEntries}), with time taken from the caller. Objects it knows are lost when the process ends, and other replicas
 * never see them: use the Redis registry when replicas share traffic.
 *
 * <h2>Design</h2>
 *
 * <p>Three indexes over the same entries: by id (a hash map, for {@link #get} and {@link #remove}); by age, oldest
 * first (a tree ordered by {@code createdEpochMillis}, then by a put sequence number to break ties); and per (owner,
 * kind), also by age, for {@link #list}. Every object shares one TTL, so the oldest entry is always the first to
 * expire: the head of the age index is both the next to expire and the next to evict, and in an owner's index the
 * expired entries are exactly a run at its old end. Hence get and remove are O(log n) (the tree removal), put is
 * O(log n), and list is O(log n + limit + entries it finds expired) — it never looks at other owners' objects.
 *
 * <p><b>Expiry without a timer.</b> No background thread and no wall clock: an expired entry is dropped when a get
 * or list meets it, and every {@link #put} first drops up to {@value #SWEEP_PER_PUT} expired entries from the head of
 * the age index. Since a put adds one entry and sweeps up to two, expired entries never pile up for long under
 * traffic; under none they wait, within the bound, for the next call.
 *
 * <p><b>The bound.</b> When a put takes the registry past {@code maxEntries}, the oldest entry is forgotten (the new
 * one itself, if it is older than all others). An entry forgotten before its TTL is an <em>eviction</em>, counted in
 * {@link #evictions()}: its object becomes unreachable through the gateway (404) although its backend still has it,
 * so {@code maxEntries} should exceed the number of objects one TTL's traffic creates, and a rising eviction count
 * says it does not. Each entry costs a few hundred bytes (its strings and three index nodes).
 *
 * <p>Thread-safe: one lock guards the indexes; every operation is short and never waits on anything else inside it.
 * Stages are already complete when returned.
 */
public final class InMemoryObjectRegistry implements ObjectRegistry {

  /** How many entries are kept unless configured otherwise. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** Expired entries a put drops from the head of the age index before adding its own. */
  static final int SWEEP_PER_PUT = 2;

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private record Entry(OwnedObject object, long sequence) {}

  private record OwnerKind(String owner, ObjectKind kind) {}

  private static final Comparator<Entry> OLDEST_FIRST =
      Comparator.comparingLong((Entry e) -> e.object().createdEpochMillis()).thenComparingLong(Entry::sequence);

  private final long ttlMillis;
  private final int maxEntries;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> byId = new HashMap<>();
  private final TreeSet<Entry> byAge = new TreeSet<>(OLDEST_FIRST);
  private final Map<OwnerKind, TreeSet<Entry>> byOwner = new HashMap<>();
  private final LongAdder evictions = new LongAdder();
  /** Claims, by token: when each was made, in the order made (so the oldest, first to expire, is first). */
  private final LinkedHashMap<String, Long> claims = new LinkedHashMap<>();
  private long nextSequence;

  /** A registry with the {@link #DEFAULT_TTL} and {@link #DEFAULT_MAX_ENTRIES}. */
  public InMemoryObjectRegistry() {
    this(DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
  }

  /**
   * @param ttl how long after its creation an object stays known; at least a millisecond
   * @param maxEntries the most entries kept; at least 1
   */
  public InMemoryObjectRegistry(Duration ttl, int maxEntries) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1ms, got " + ttl);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    this.ttlMillis = ttl.toMillis();
    this.maxEntries = maxEntries;
  }

  @Override
  public CompletionStage<Void> put(OwnedObject object, long nowEpochMillis) {
    Objects.requireNonNull(object, "object");
    lock.lock();
    try {
      Entry previous = byId.remove(object.id());
      if (previous != null) {
        unlink(previous);
      }
      if (expired(object, nowEpochMillis)) {
        return DONE;
      }
      sweep(nowEpochMillis);
      Entry entry = new Entry(object, nextSequence++);
      byId.put(object.id(), entry);
      byAge.add(entry);
      byOwner.computeIfAbsent(new OwnerKind(object.owner(), object.kind()), k -> new TreeSet<>(OLDEST_FIRST)).add(entry);
      if (byId.size() > maxEntries) {
        // Live: had the sweep found the head expired it would have dropped it and made room.
        drop(byAge.first());
        evictions.increment();
      }
      return DONE;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<Optional<OwnedObject>> get(String id, long nowEpochMillis) {
    Objects.requireNonNull(id, "id");
    lock.lock();
    try {
      Entry entry = byId.get(id);
      if (entry == null) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      if (expired(entry.object(), nowEpochMillis)) {
        drop(entry);
        return CompletableFuture.completedFuture(Optional.empty());
      }
      return CompletableFuture.completedFuture(Optional.of(entry.object()));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<Void> remove(String id) {
    Objects.requireNonNull(id, "id");
    lock.lock();
    try {
      Entry entry = byId.remove(id);
      if (entry != null) {
        unlink(entry);
      }
      return DONE;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletionStage<List<OwnedObject>> list(String owner, ObjectKind kind, int limit, long nowEpochMillis) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(kind, "kind");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    lock.lock();
    try {
      TreeSet<Entry> owned = byOwner.get(new OwnerKind(owner, kind));
      while (owned != null && !owned.isEmpty() && expired(owned.first().object(), nowEpochMillis)) {
        drop(owned.first()); // removes the set itself with its last entry
      }
      if (owned == null || owned.isEmpty()) {
        return CompletableFuture.completedFuture(List.of());
      }
      List<OwnedObject> newestFirst = new ArrayList<>(Math.min(limit, owned.size()));
      Iterator<Entry> entries = owned.descendingIterator();
      while (entries.hasNext() && newestFirst.size() < limit) {
        newestFirst.add(entries.next().object());
      }
      return CompletableFuture.completedFuture(List.copyOf(newestFirst));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Claims live as long as objects and share their bound: past {@code maxEntries} claims the oldest is forgotten (a
   * token claimed that long ago could then be claimed again).
   */
  @Override
  public CompletionStage<Boolean> claim(String token, long nowEpochMillis) {
    Objects.requireNonNull(token, "token");
    lock.lock();
    try {
      Long claimed = claims.get(token);
      if (claimed != null && nowEpochMillis - claimed < ttlMillis) {
        return CompletableFuture.completedFuture(false);
      }
      claims.remove(token);
      Iterator<Map.Entry<String, Long>> oldest = claims.entrySet().iterator();
      while (oldest.hasNext()) {
        Map.Entry<String, Long> head = oldest.next();
        if (nowEpochMillis - head.getValue() < ttlMillis && claims.size() < maxEntries) {
          break;
        }
        oldest.remove(); // expired, or the oldest while full
      }
      claims.put(token, nowEpochMillis);
      return CompletableFuture.completedFuture(true);
    } finally {
      lock.unlock();
    }
  }

  /** Entries forgotten before their TTL because the registry was full, since start. */
  public long evictions() {
    return evictions.sum();
  }

  /** Entries held now, including expired ones not yet dropped. */
  public int size() {
    lock.lock();
    try {
      return byId.size();
    } finally {
      lock.unlock();
    }
  }

  public int maxEntries() {
    return maxEntries;
  }

  public Duration ttl() {
    return Duration.ofMillis(ttlMillis);
  }

  private boolean expired(OwnedObject object, long now) {
    return now - object.createdEpochMillis() >= ttlMillis;
  }

  /** Drops up to {@link #SWEEP_PER_PUT} expired entries, oldest first. Under the lock. */
  private void sweep(long now) {
    for (int i = 0; i < SWEEP_PER_PUT && !byAge.isEmpty() && expired(byAge.first().object(), now); i++) {
      drop(byAge.first());
    }
  }

  /** Removes {@code entry} from every index. Under the lock. */
  private void drop(Entry entry) {
    byId.remove(entry.object().id(), entry);
    unlink(entry);
  }

  /** Removes {@code entry} from the age and owner indexes (not from {@link #byId}). Under the lock. */
  private void unlink(Entry entry) {
    byAge.remove(entry);
    OwnerKind key = new OwnerKind(entry.object().owner(), entry.object().kind());
    TreeSet<Entry> owned = byOwner.get(key);
    if (owned != null && owned.remove(entry) && owned.isEmpty()) {
      byOwner.remove(key);
    }
  }

  @Override
  public String toString() {
    return "InMemoryObjectRegistry[ttl=" + ttl() + ", maxEntries=" + maxEntries + "]";
  }
}
