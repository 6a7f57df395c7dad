package dev.spillway.core.auth.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of every key record, in creation order, with the pure transitions the
 * stores apply ({@code (book, input, now) -> book}). Stores swap whole books, so readers never see
 * half an update.
 */
final class KeyBook {
  static final KeyBook EMPTY = new KeyBook(new LinkedHashMap<>());

  /** The outcome of {@link #rotate}: the next book and the key ids it revoked. */
  record Rotation(KeyBook book, List<String> revokedKeyIds) {}

  private final Map<String, KeyRecord> byId;

  private KeyBook(LinkedHashMap<String, KeyRecord> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  /**
   * A book of {@code records} in the given order.
   *
   * @throws IllegalArgumentException when two records share a key id
   */
  static KeyBook of(List<KeyRecord> records) {
    LinkedHashMap<String, KeyRecord> map = new LinkedHashMap<>();
    for (KeyRecord r : records) {
      if (map.putIfAbsent(r.keyId(), r) != null) {
        throw new IllegalArgumentException("duplicate key id " + r.keyId());
      }
    }
    return new KeyBook(map);
  }

  Optional<KeyRecord> find(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  boolean contains(String keyId) {
    return byId.containsKey(keyId);
  }

  List<KeyRecord> all() {
    return List.copyOf(byId.values());
  }

  List<KeyRecord> of(String consumerId) {
    return byId.values().stream().filter(r -> r.consumerId().equals(consumerId)).toList();
  }

  KeyBook with(KeyRecord added) {
    if (byId.containsKey(added.keyId())) {
      throw new IllegalArgumentException("duplicate key id " + added.keyId());
    }
    LinkedHashMap<String, KeyRecord> next = new LinkedHashMap<>(byId);
    next.put(added.keyId(), added);
    return new KeyBook(next);
  }

  /** Adds {@code added} and revokes every active key of its consumer but the newest previous one. */
  Rotation rotate(KeyRecord added, Instant now) {
    List<KeyRecord> active = of(added.consumerId()).stream().filter(KeyRecord::isActive).toList();
    List<String> revoked = new ArrayList<>();
    LinkedHashMap<String, KeyRecord> next = new LinkedHashMap<>(byId);
    for (int i = 0; i < active.size() - 1; i++) {
      KeyRecord old = active.get(i);
      next.put(old.keyId(), old.revoked(now));
      revoked.add(old.keyId());
    }
    return new Rotation(new KeyBook(next).with(added), revoked);
  }

  /** This book with every active key of {@code consumerId} revoked at {@code now}; the same book when there is none. */
  KeyBook revokeAll(String consumerId, Instant now) {
    KeyBook next = this;
    for (KeyRecord r : of(consumerId)) {
      next = next.revoke(r.keyId(), now);
    }
    return next;
  }

  /** This book with {@code keyId} revoked at {@code now}; the same book when it is unknown or already revoked. */
  KeyBook revoke(String keyId, Instant now) {
    KeyRecord record = byId.get(keyId);
    if (record == null || !record.isActive()) {
      return this;
    }
    LinkedHashMap<String, KeyRecord> next = new LinkedHashMap<>(byId);
    next.put(keyId, record.revoked(now));
    return new KeyBook(next);
  }
}
