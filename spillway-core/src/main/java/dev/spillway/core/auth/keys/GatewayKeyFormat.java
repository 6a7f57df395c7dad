package dev.spillway.core.auth.keys;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The shape of a gateway key: {@code sk-spw-<keyId>_<secret>}.
 *
 * <ul>
 *   <li>{@code keyId}: {@value #KEY_ID_LENGTH} characters from {@code [A-Za-z0-9]} (about 71 bits).
 *       It is a lookup handle, not a secret: it is stored in clear, listed by {@code spillway keys
 *       list} and may appear in logs. It never contains {@code _}, so the first {@code _} after the
 *       prefix separates it from the secret.
 *   <li>{@code secret}: {@value #SECRET_BYTES} bytes from {@link SecureRandom}, base64url without
 *       padding ({@value #SECRET_LENGTH} characters from {@code [A-Za-z0-9_-]}). Only its salted,
 *       keyed hash is ever stored (see {@link KeyHasher}).
 * </ul>
 *
 * The prefix makes a leaked key easy to recognise for secret scanners and lets the edge tell a
 * gateway key from a JWT in an {@code Authorization: Bearer} header. Stateless and thread-safe.
 */
public final class GatewayKeyFormat {
  public static final String PREFIX = "sk-spw-";
  public static final int KEY_ID_LENGTH = 12;
  public static final int SECRET_BYTES = 32;
  /** Characters of the base64url (unpadded) encoding of {@link #SECRET_BYTES} bytes. */
  public static final int SECRET_LENGTH = (SECRET_BYTES * 4 + 2) / 3;
  /** Length of every well-formed key. */
  public static final int KEY_LENGTH = PREFIX.length() + KEY_ID_LENGTH + 1 + SECRET_LENGTH;

  private static final char SEPARATOR = '_';
  private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private GatewayKeyFormat() {}

  /**
   * The two halves of a well-formed presented key. {@link #toString} never shows the secret.
   *
   * @param keyId the lookup handle
   * @param secret the secret half, to be hashed and compared, never stored or logged
   */
  public record ParsedKey(String keyId, String secret) {
    @Override
    public String toString() {
      return "ParsedKey[keyId=" + keyId + ", secret=***]";
    }
  }

  /**
   * Splits a presented key into key id and secret.
   *
   * @param presented what the client sent, may be null
   * @return empty for anything that is not exactly a well-formed key (wrong prefix or length,
   *     characters outside the alphabets, missing separator); never throws
   */
  public static Optional<ParsedKey> parse(String presented) {
    if (presented == null || presented.length() != KEY_LENGTH || !presented.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int idStart = PREFIX.length();
    int separator = idStart + KEY_ID_LENGTH;
    if (presented.charAt(separator) != SEPARATOR) {
      return Optional.empty();
    }
    String keyId = presented.substring(idStart, separator);
    String secret = presented.substring(separator + 1);
    if (!isKeyId(keyId) || !isSecret(secret)) {
      return Optional.empty();
    }
    return Optional.of(new ParsedKey(keyId, secret));
  }

  /**
   * The gateway-key candidate in a request's headers: {@code api-key} (Azure style) first, else the
   * token of {@code Authorization: Bearer <token>} (scheme case-insensitive) when it starts with
   * {@link #PREFIX}. A bearer token without the prefix is left alone (it may be a JWT).
   *
   * @param apiKeyHeader the {@code api-key} header value, null when absent
   * @param authorizationHeader the {@code Authorization} header value, null when absent
   * @return the candidate to pass to {@link KeyStore#authenticate}, not yet checked for shape
   */
  public static Optional<String> fromHeaders(String apiKeyHeader, String authorizationHeader) {
    if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
      return Optional.of(apiKeyHeader.strip());
    }
    if (authorizationHeader != null) {
      String value = authorizationHeader.strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = value.substring(7).strip();
        if (token.startsWith(PREFIX)) {
          return Optional.of(token);
        }
      }
    }
    return Optional.empty();
  }

  /** True when {@code keyId} has the shape of a key id (used to validate CLI input and stored records). */
  public static boolean isKeyId(String keyId) {
    if (keyId == null || keyId.length() != KEY_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < keyId.length(); i++) {
      char c = keyId.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSecret(String secret) {
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  static String newKeyId(SecureRandom random) {
    char[] id = new char[KEY_ID_LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = KEY_ID_ALPHABET.charAt(random.nextInt(KEY_ID_ALPHABET.length()));
    }
    return new String(id);
  }

  static String newSecret(SecureRandom random) {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  static String format(String keyId, String secret) {
    return PREFIX + keyId + SEPARATOR + secret;
  }
}
