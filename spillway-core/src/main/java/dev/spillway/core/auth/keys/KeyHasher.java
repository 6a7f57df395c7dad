package dev.spillway.core.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes and checks gateway-key secrets: {@code HMAC-SHA256(key = pepper, message = salt ‖
 * UTF-8(secret))}.
 *
 * <h2>Why a keyed hash</h2>
 *
 * The key store file holds only per-key random salts and these hashes. The pepper ({@code
 * auth.keyPepper}) lives in the server's config or environment, not in that file, so a stolen key
 * file alone cannot be brute-forced or checked against guesses: every guess needs the pepper. The
 * secrets are 256 random bits anyway, so a slow password hash would buy nothing and cost latency
 * on every request; the salt makes equal secrets hash differently and the HMAC makes the file
 * useless without the pepper. Changing the pepper invalidates every key.
 *
 * <p>Comparison uses {@link MessageDigest#isEqual}, which takes time independent of where the
 * arrays differ (for equal lengths), so response times do not leak how much of a hash matched.
 *
 * <p>Thread-safe: a fresh {@link Mac} per call ({@code Mac} instances are not thread-safe and are
 * cheap next to a network request). {@link #toString} never shows the pepper.
 */
public final class KeyHasher {
  public static final String ALGORITHM = "HmacSHA256";
  public static final int MIN_PEPPER_LENGTH = 16;
  public static final int SALT_BYTES = 16;
  public static final int HASH_BYTES = 32;

  private final SecretKeySpec pepper;
  private final SecureRandom random;

  /**
   * @param pepper the server secret, at least {@value #MIN_PEPPER_LENGTH} characters
   * @throws IllegalArgumentException when the pepper is too short (the message never echoes it)
   */
  public KeyHasher(String pepper) {
    this(pepper, new SecureRandom());
  }

  KeyHasher(String pepper, SecureRandom random) {
    Objects.requireNonNull(pepper, "pepper");
    if (pepper.strip().length() < MIN_PEPPER_LENGTH) {
      throw new IllegalArgumentException(
          "auth.keyPepper must be at least " + MIN_PEPPER_LENGTH + " characters long");
    }
    this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A fresh random salt of {@value #SALT_BYTES} bytes. */
  public byte[] newSalt() {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return salt;
  }

  /** {@code HMAC-SHA256(pepper, salt ‖ UTF-8(secret))}, {@value #HASH_BYTES} bytes. */
  public byte[] hash(byte[] salt, String secret) {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(secret, "secret");
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(pepper);
      mac.update(salt);
      return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** True when {@code secret} hashes to {@code expectedHash} under {@code salt}; constant time in the hash comparison. */
  public boolean matches(byte[] salt, String secret, byte[] expectedHash) {
    return constantTimeEquals(hash(salt, secret), expectedHash);
  }

  /** The only comparison of hashes in this package: {@link MessageDigest#isEqual}. */
  static boolean constantTimeEquals(byte[] actual, byte[] expected) {
    return MessageDigest.isEqual(actual, expected);
  }

  SecureRandom random() {
    return random;
  }

  @Override
  public String toString() {
    return "KeyHasher[" + ALGORITHM + ", pepper=***]";
  }
}
