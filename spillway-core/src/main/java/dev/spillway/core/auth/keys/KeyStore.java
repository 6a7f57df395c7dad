package dev.spillway.core.auth.keys;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Issues, rotates, revokes and checks gateway keys. Only salted, keyed hashes are kept (see {@link
 * KeyHasher}); a key's plaintext exists once, in the {@link IssuedKey} returned by {@link #create}
 * or {@link #rotate}.
 *
 * <p>Contract, shared by every implementation and pinned by {@code KeyStoreContractTest}:
 *
 * <ul>
 *   <li>{@link #authenticate} answers the consumer only for a well-formed key whose id exists, which
 *       is active and whose secret matches (constant-time hash compare). An unknown id still costs
 *       one hash computation, so response time does not reveal which ids exist.
 *   <li>{@link #revoke} takes effect for the next {@link #authenticate} on this instance, also for a key that has
 *       authenticated before (a key that verified is remembered, to spare the keyed hash on its next requests, only
 *       until the keys change).
 *   <li>{@link #rotate} leaves the consumer with at most two active keys: the new one and its newest
 *       previous one (the overlap for clients to switch); older active keys are revoked. "Newest" is
 *       creation order in the store, not the timestamps, so a skewed clock cannot reorder keys.
 *   <li>{@link #create} adds a key and revokes nothing.
 * </ul>
 *
 * <p>Thread-safe: {@link #authenticate} and the listings read an immutable snapshot without
 * locking; writes are serialised. Wall time is passed in ({@code now}); nothing here reads a clock.
 */
public interface KeyStore {

  /** An empty store kept in memory only (tests, embedded demos). */
  static KeyStore inMemory(KeyHasher hasher) {
    return new InMemoryKeyStore(hasher);
  }

  /** The JSON file store; see {@link FileKeyStore}. */
  static FileKeyStore file(Path file, KeyHasher hasher) {
    return new FileKeyStore(file, hasher);
  }

  /**
   * Issues a new key for {@code consumerId}; revokes nothing.
   *
   * @param now the creation time recorded with the key
   * @throws KeyStoreException when the store cannot be written (nothing changed then)
   */
  IssuedKey create(String consumerId, Instant now);

  /**
   * Issues a new key for {@code consumerId} and revokes, at {@code now}, every active key of that
   * consumer except the newest previous one. With no previous key it is the same as {@link #create}.
   *
   * @throws KeyStoreException when the store cannot be written (nothing changed then)
   */
  IssuedKey rotate(String consumerId, Instant now);

  /**
   * Revokes the key at once.
   *
   * @return true when the key existed and was active; false when unknown or already revoked
   * @throws KeyStoreException when the store cannot be written (nothing changed then)
   */
  boolean revoke(String keyId, Instant now);

  /**
   * Revokes, at {@code now}, every active key of {@code consumerId} in one write (a consumer being removed). A
   * shared store revokes the keys the shared table holds, including keys this instance has not seen yet.
   *
   * @return the key ids it revoked, in creation order; empty when there were none
   * @throws KeyStoreException when the store cannot be written (nothing changed then)
   */
  List<String> revokeAll(String consumerId, Instant now);

  /** Every key of {@code consumerId}, active and revoked, in creation order. */
  List<KeyRecord> list(String consumerId);

  /** Every key, in creation order. */
  List<KeyRecord> listAll();

  /**
   * The consumer a presented key authenticates as.
   *
   * @param presentedKey what the client sent in {@code api-key} or {@code Authorization: Bearer}
   *     (see {@link GatewayKeyFormat#fromHeaders}); may be null or anything
   * @return the consumer id, or empty when the key is malformed, unknown, revoked or wrong; never
   *     throws and never says which of those it was
   */
  Optional<String> authenticate(String presentedKey);
}
