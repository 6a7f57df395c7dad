package dev.spillway.core.cache;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A map bounded by entry count and by bytes, that drops its least recently used entries to stay within both, and
 * whose entries expire at a time each carries. Time is the caller's ({@code nowMillis}), so tests need no clock.
 *
 * <p>Thread-safe: every method holds the map's lock briefly (a hash lookup and a relink); nothing slow runs under it.
 *
 * <p>Public for the semantic layer's index ({@code cache.semantic}), which keeps its entries in one.
 *
 * @param <V> the entries; each says its weight in bytes and when it expires
 */
public final class BoundedLru<V> {
  private final long maxEntries;
  private final long maxBytes;
  private final ToLongFunction<V> weigher;
  private final ToLongFunction<V> expiresAt;
  private final LinkedHashMap<String, V> map = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long evictions;

  public BoundedLru(long maxEntries, long maxBytes, ToLongFunction<V> weigher, ToLongFunction<V> expiresAt) {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("maxEntries and maxBytes must be positive");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.weigher = weigher;
    this.expiresAt = expiresAt;
  }

  /** The live entry under {@code key}, now the most recently used; an expired one is removed and not returned. */
  public synchronized Optional<V> get(String key, long nowMillis) {
    V v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (nowMillis >= expiresAt.applyAsLong(v)) {
      remove(key);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /**
   * Stores {@code value} under {@code key} (replacing any), then drops expired and least recently used entries until
   * both bounds hold. An entry heavier than the whole byte bound is not stored.
   *
   * @return the entries dropped to make room (not the replaced one)
   */
  public synchronized List<V> put(String key, V value, long nowMillis) {
    long w = weigher.applyAsLong(value);
    if (w > maxBytes) {
      return List.of();
    }
    V old = map.put(key, value);
    if (old != null) {
      bytes -= weigher.applyAsLong(old);
    }
    bytes += w;
    List<V> dropped = new ArrayList<>(0);
    if (map.size() > maxEntries || bytes > maxBytes) {
      dropExpired(nowMillis, dropped);
    }
    Iterator<Map.Entry<String, V>> it = map.entrySet().iterator();
    while ((map.size() > maxEntries || bytes > maxBytes) && it.hasNext()) {
      Map.Entry<String, V> eldest = it.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      bytes -= weigher.applyAsLong(eldest.getValue());
      dropped.add(eldest.getValue());
      it.remove();
      evictions++;
    }
    return dropped;
  }

  private void dropExpired(long nowMillis, List<V> dropped) {
    Iterator<V> it = map.values().iterator();
    while (it.hasNext()) {
      V v = it.next();
      if (nowMillis >= expiresAt.applyAsLong(v)) {
        bytes -= weigher.applyAsLong(v);
        dropped.add(v);
        it.remove();
      }
    }
  }

  public synchronized Optional<V> remove(String key) {
    V v = map.remove(key);
    if (v != null) {
      bytes -= weigher.applyAsLong(v);
    }
    return Optional.ofNullable(v);
  }

  /** Removes every entry {@code which} accepts; returns them. */
  public synchronized List<V> removeIf(Predicate<V> which) {
    List<V> removed = new ArrayList<>();
    Iterator<V> it = map.values().iterator();
    while (it.hasNext()) {
      V v = it.next();
      if (which.test(v)) {
        bytes -= weigher.applyAsLong(v);
        removed.add(v);
        it.remove();
      }
    }
    return removed;
  }

  public synchronized int size() {
    return map.size();
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized long evictions() {
    return evictions;
  }
}
