package dev.spillway.core.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ledger's keyed hash of a prompt's first tokens ({@link UsageRecord.CacheFacts#promptPrefixHash}): HMAC-SHA256 of
 * the token ids (4 bytes each, big-endian), its first 8 bytes read as a long.
 *
 * <p>Why keyed: a plain hash of a known system prompt or template could be recomputed by anyone who can read the
 * ledger or a report, and would then say which consumer sent it. The key is the ledger's own random salt (kept in the
 * ledger database, shared by every gateway replica writing it), mixed with {@code auth.keyPepper} when the gateway has
 * one, so that the database alone does not hold the key either. Equal prefixes give equal hashes as long as the key
 * stays the same; a new pepper starts new hashes (stability is only compared between neighbouring rows, so it
 * recovers with the next request).
 *
 * <p>Immutable and thread-safe (a {@link Mac} per call: a few microseconds, not worth a pool).
 */
public final class PromptPrefixHash {
  private static final String HMAC = "HmacSHA256";
  /** The fewest bytes of ledger salt accepted. */
  public static final int MIN_SALT_BYTES = 16;

  private final SecretKeySpec key;

  private PromptPrefixHash(byte[] key) {
    this.key = new SecretKeySpec(key, HMAC);
  }

  /**
   * The hash keyed by {@code salt} (the ledger's) and {@code pepper} (a server secret) when there is one.
   *
   * @throws IllegalArgumentException when the salt is shorter than {@value #MIN_SALT_BYTES} bytes
   */
  public static PromptPrefixHash keyed(byte[] salt, Optional<String> pepper) {
    Objects.requireNonNull(salt, "salt");
    if (salt.length < MIN_SALT_BYTES) {
      throw new IllegalArgumentException("the ledger salt must have at least " + MIN_SALT_BYTES + " bytes");
    }
    byte[] key = pepper.filter(p -> !p.isEmpty())
        .map(p -> mac(p.getBytes(StandardCharsets.UTF_8), salt))
        .orElseGet(() -> Arrays.copyOf(salt, salt.length));
    return new PromptPrefixHash(key);
  }

  /** The hash of these token ids. */
  public long of(int[] tokens) {
    ByteBuffer bytes = ByteBuffer.allocate(tokens.length * Integer.BYTES);
    for (int t : tokens) {
      bytes.putInt(t);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return ByteBuffer.wrap(mac.doFinal(bytes.array())).getLong();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + HMAC, e);
    }
  }

  private static byte[] mac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + HMAC, e);
    }
  }

  @Override
  public String toString() {
    return "PromptPrefixHash[key=***]";
  }
}
