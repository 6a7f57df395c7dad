package dev.spillway.core.auth.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a key file (records only, never a plaintext key):
 *
 * <pre>{@code
 * {
 *   "format" : "spillway-keys",
 *   "version" : 1,
 *   "hash" : "HMAC-SHA256(auth.keyPepper, salt || secret)",
 *   "keys" : [ {
 *     "keyId" : "Q3xv9TzK1bWm",
 *     "consumer" : "search-app",
 *     "salt" : "<16 bytes, base64url>",
 *     "hash" : "<32 bytes, base64url>",
 *     "createdAt" : "2025-01-31T10:15:30Z",
 *     "revokedAt" : null
 *   } ]
 * }
 * }</pre>
 *
 * Keys are in creation order (rotation relies on it). Unknown fields are ignored so a newer
 * gateway's additions do not break an older CLI. Stateless and thread-safe.
 */
final class KeyFileCodec {
  static final String FORMAT = "spillway-keys";
  static final int VERSION = 1;
  static final String HASH_DESCRIPTION = "HMAC-SHA256(auth.keyPepper, salt || secret)";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Base64.Encoder B64_ENCODE = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

  private KeyFileCodec() {}

  static byte[] write(KeyBook book) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("hash", HASH_DESCRIPTION);
    ArrayNode keys = root.putArray("keys");
    for (KeyRecord r : book.all()) {
      ObjectNode key = keys.addObject();
      key.put("keyId", r.keyId());
      key.put("consumer", r.consumerId());
      key.put("salt", B64_ENCODE.encodeToString(r.salt()));
      key.put("hash", B64_ENCODE.encodeToString(r.hash()));
      key.put("createdAt", r.createdAt().toString());
      if (r.revokedAt().isPresent()) {
        key.put("revokedAt", r.revokedAt().get().toString());
      } else {
        key.putNull("revokedAt");
      }
    }
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise key records", e);
    }
  }

  /**
   * @param source how messages name the file
   * @throws KeyStoreException naming the file and the first problem
   */
  static KeyBook read(byte[] bytes, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new KeyStoreException(source + ": not valid JSON");
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new KeyStoreException(source + ": expected a JSON object with \"keys\"");
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new KeyStoreException(source + ": not a Spillway key file (format must be \"" + FORMAT + "\")");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new KeyStoreException(source + ": unsupported key file version " + root.path("version")
          + " (this build reads version " + VERSION + ")");
    }
    JsonNode keys = root.path("keys");
    if (!keys.isArray()) {
      throw new KeyStoreException(source + ": \"keys\" must be an array");
    }
    List<KeyRecord> records = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      records.add(record(keys.get(i), source + ": keys[" + i + "]"));
    }
    try {
      return KeyBook.of(records);
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException(source + ": " + e.getMessage());
    }
  }

  private static KeyRecord record(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new KeyStoreException(where + ": expected an object");
    }
    String keyId = text(node, "keyId", where);
    if (!GatewayKeyFormat.isKeyId(keyId)) {
      throw new KeyStoreException(where + ".keyId: malformed key id");
    }
    String consumer = text(node, "consumer", where);
    if (consumer.isBlank()) {
      throw new KeyStoreException(where + ".consumer: cannot be blank");
    }
    byte[] salt = bytes(node, "salt", KeyHasher.SALT_BYTES, where);
    byte[] hash = bytes(node, "hash", KeyHasher.HASH_BYTES, where);
    Instant createdAt = instant(text(node, "createdAt", where), where + ".createdAt");
    JsonNode revoked = node.path("revokedAt");
    Optional<Instant> revokedAt =
        revoked.isMissingNode() || revoked.isNull()
            ? Optional.empty()
            : Optional.of(instant(revoked.asText(), where + ".revokedAt"));
    return new KeyRecord(keyId, consumer, salt, hash, createdAt, revokedAt);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new KeyStoreException(where + "." + field + ": missing or not a string");
    }
    return value.asText();
  }

  private static byte[] bytes(JsonNode node, String field, int length, String where) {
    byte[] decoded;
    try {
      decoded = B64_DECODE.decode(text(node, field, where));
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException(where + "." + field + ": not base64url");
    }
    if (decoded.length != length) {
      throw new KeyStoreException(where + "." + field + ": expected " + length + " bytes, found " + decoded.length);
    }
    return decoded;
  }

  private static Instant instant(String text, String where) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new KeyStoreException(where + ": not an ISO-8601 instant");
    }
  }
}
