package dev.spillway.core.auth.keys;

import dev.spillway.core.auth.keys.GatewayKeyFormat.ParsedKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link KeyStore} logic both implementations share: minting, the transitions of {@link
 * KeyBook}, and the timing-safe {@link #authenticate}. Subclasses decide where a book lives by
 * overriding {@link #beforeWrite} (catch up with outside changes), {@link #persist} (make the
 * next book durable before it is published), {@link #afterWrite} (release what {@code beforeWrite}
 * took, however the write ended) and {@link #stamp} (the precision the store keeps times in).
 *
 * <p>Threading: the current book is a volatile immutable snapshot read without locks; every write
 * runs under {@link #lock}, persists, and only then publishes, so a failed write changes nothing.
 */
abstract class AbstractKeyStore implements KeyStore {
  /** Guards writes and reloads; subclasses take it too. */
  final Object lock = new Object();

  final KeyHasher hasher;
  private volatile KeyBook book;
  private final byte[] decoySalt;
  private final byte[] decoyHash;
  /**
   * Keys that verified, by key id: the book they verified against, the secret and the answer. A hit in the same book
   * (identity: any write or reload publishes a new book, so a revoke, rotation or file change empties this in
   * effect) with an equal secret answers without the keyed hash, which is most of the cost of a request's
   * authentication. Only verified keys enter, one entry per key id of the book, so it holds no more entries than the
   * store has keys, and a wrong secret for a known id still pays the hash (its timing is that of an uncached miss).
   * The secrets it holds are those the process already received in requests; nothing here is logged or shown.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Verified(KeyBook book, String secret, Optional<String> consumer) {
    @Override
    public String toString() {
      return "Verified[***]";
    }
  }

  AbstractKeyStore(KeyHasher hasher, KeyBook initial) {
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.book = Objects.requireNonNull(initial, "initial");
    this.decoySalt = hasher.newSalt();
    this.decoyHash = hasher.hash(decoySalt, GatewayKeyFormat.newSecret(hasher.random()));
  }

  /** Called under {@link #lock} before a write; returns the book to apply the write to. */
  KeyBook beforeWrite(KeyBook current) {
    return current;
  }

  /** Called under {@link #lock} with the book about to be published; throws to abort the write. */
  abstract void persist(KeyBook next);

  /** Called under {@link #lock} after every write that called {@link #beforeWrite}, persisted or not. */
  void afterWrite() {}

  /** {@code now} as the store can keep it (a database may keep microseconds), so a reload reads back what was issued. */
  Instant stamp(Instant now) {
    return now;
  }

  final KeyBook book() {
    return book;
  }

  /** Publishes {@code next} without persisting it (reloads); caller holds {@link #lock}. */
  final void replaceBook(KeyBook next) {
    publish(next);
  }

  /** Makes {@code next} the book {@link #authenticate} reads, forgetting the keys verified against older books. */
  private void publish(KeyBook next) {
    this.book = next;
    verified.clear();
  }

  @Override
  public final IssuedKey create(String consumerId, Instant now) {
    return issue(consumerId, now, false);
  }

  @Override
  public final IssuedKey rotate(String consumerId, Instant now) {
    return issue(consumerId, now, true);
  }

  private IssuedKey issue(String consumerId, Instant now, boolean rotate) {
    Objects.requireNonNull(consumerId, "consumerId");
    Objects.requireNonNull(now, "now");
    if (consumerId.isBlank()) {
      throw new IllegalArgumentException("consumer id cannot be blank");
    }
    Instant at = stamp(now);
    synchronized (lock) {
      try {
        return issue(beforeWrite(book), consumerId, at, rotate);
      } finally {
        afterWrite();
      }
    }
  }

  private IssuedKey issue(KeyBook current, String consumerId, Instant now, boolean rotate) {
    String keyId;
    do {
      keyId = GatewayKeyFormat.newKeyId(hasher.random());
    } while (current.contains(keyId));
    String secret = GatewayKeyFormat.newSecret(hasher.random());
    byte[] salt = hasher.newSalt();
    KeyRecord record = new KeyRecord(keyId, consumerId, salt, hasher.hash(salt, secret), now, Optional.empty());
    KeyBook next;
    List<String> revoked;
    if (rotate) {
      KeyBook.Rotation rotation = current.rotate(record, now);
      next = rotation.book();
      revoked = rotation.revokedKeyIds();
    } else {
      next = current.with(record);
      revoked = List.of();
    }
    persist(next);
    publish(next);
    return new IssuedKey(GatewayKeyFormat.format(keyId, secret), record, revoked);
  }

  @Override
  public final boolean revoke(String keyId, Instant now) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(now, "now");
    Instant at = stamp(now);
    synchronized (lock) {
      try {
        KeyBook current = beforeWrite(book);
        KeyBook next = current.revoke(keyId, at);
        if (next == current) {
          return false;
        }
        persist(next);
        publish(next);
        return true;
      } finally {
        afterWrite();
      }
    }
  }

  @Override
  public final List<String> revokeAll(String consumerId, Instant now) {
    Objects.requireNonNull(consumerId, "consumerId");
    Objects.requireNonNull(now, "now");
    Instant at = stamp(now);
    synchronized (lock) {
      try {
        KeyBook current = beforeWrite(book);
        List<String> active = current.of(consumerId).stream().filter(KeyRecord::isActive).map(KeyRecord::keyId).toList();
        if (active.isEmpty()) {
          return List.of();
        }
        KeyBook next = current.revokeAll(consumerId, at);
        persist(next);
        publish(next);
        return active;
      } finally {
        afterWrite();
      }
    }
  }

  @Override
  public final List<KeyRecord> list(String consumerId) {
    return book.of(Objects.requireNonNull(consumerId, "consumerId"));
  }

  @Override
  public final List<KeyRecord> listAll() {
    return book.all();
  }

  @Override
  public final Optional<String> authenticate(String presentedKey) {
    Optional<ParsedKey> parsed = GatewayKeyFormat.parse(presentedKey);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    String keyId = parsed.get().keyId();
    String secret = parsed.get().secret();
    KeyBook current = book;
    Verified known = verified.get(keyId);
    if (known != null && known.book == current && constantTimeEquals(known.secret, secret)) {
      return known.consumer;
    }
    Optional<KeyRecord> found = current.find(keyId);
    if (found.isEmpty()) {
      // Spend the same hash and compare as a real key so timing does not reveal which ids exist.
      hasher.matches(decoySalt, secret, decoyHash);
      return Optional.empty();
    }
    KeyRecord record = found.get();
    boolean matches = record.matches(hasher, secret);
    if (!matches || !record.isActive()) {
      return Optional.empty();
    }
    Optional<String> consumer = Optional.of(record.consumerId());
    verified.put(keyId, new Verified(current, secret, consumer));
    return consumer;
  }

  /**
   * Equal strings, compared in time that depends on their lengths only (not on where they differ), without copying
   * them to bytes.
   */
  static boolean constantTimeEquals(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < a.length(); i++) {
      difference |= a.charAt(i) ^ b.charAt(i);
    }
    return difference == 0;
  }
}
