package dev.spillway.core.auth.keys;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway stores about one key: never the secret, only its salted, keyed hash (see {@link
 * KeyHasher}). Immutable; the arrays are copied in and out. {@link #toString} shows the salt not at
 * all and the hash only as a short fingerprint.
 *
 * @param keyId the key's public lookup handle (see {@link GatewayKeyFormat})
 * @param consumerId the consumer the key authenticates as
 * @param salt the per-key random salt
 * @param hash {@code HMAC-SHA256(pepper, salt ‖ secret)}
 * @param createdAt when it was issued (wall clock)
 * @param revokedAt when it was revoked; empty while active
 */
public record KeyRecord(
    String keyId, String consumerId, byte[] salt, byte[] hash, Instant createdAt, Optional<Instant> revokedAt) {

  public KeyRecord {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(consumerId, "consumerId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    if (!GatewayKeyFormat.isKeyId(keyId)) {
      throw new IllegalArgumentException("malformed key id: " + keyId);
    }
    if (consumerId.isBlank()) {
      throw new IllegalArgumentException("consumer id cannot be blank");
    }
    salt = Objects.requireNonNull(salt, "salt").clone();
    hash = Objects.requireNonNull(hash, "hash").clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  public boolean isActive() {
    return revokedAt.isEmpty();
  }

  /** This record revoked at {@code now}; an already revoked record keeps its first revocation time. */
  public KeyRecord revoked(Instant now) {
    return isActive() ? new KeyRecord(keyId, consumerId, salt, hash, createdAt, Optional.of(now)) : this;
  }

  /** Checks a presented secret against this record's hash (constant-time compare), active or not. */
  boolean matches(KeyHasher hasher, String secret) {
    return hasher.matches(salt, secret, hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRecord r
        && keyId.equals(r.keyId)
        && consumerId.equals(r.consumerId)
        && Arrays.equals(salt, r.salt)
        && Arrays.equals(hash, r.hash)
        && createdAt.equals(r.createdAt)
        && revokedAt.equals(r.revokedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyId, consumerId, Arrays.hashCode(salt), Arrays.hashCode(hash), createdAt, revokedAt);
  }

  @Override
  public String toString() {
    String fingerprint = HexFormat.of().formatHex(hash, 0, Math.min(4, hash.length));
    return "KeyRecord[keyId=" + keyId + ", consumerId=" + consumerId + ", hash=" + fingerprint + "…, createdAt="
        + createdAt + ", revokedAt=" + revokedAt.map(Instant::toString).orElse("-") + "]";
  }
}
