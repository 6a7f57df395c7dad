package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import java.text.ParseException;

/**
 * Where an issuer's signing keys come from: an HTTPS endpoint or a local file. {@link JwksCache}
 * decides when to load; a source only loads.
 */
interface JwksSource {

  /**
   * Loads the current key set without blocking the caller. The result holds public keys only and
   * at least one key; a failed future means "keep what you had".
   */
  Future<JWKSet> load();

  /** The URL or path, for logs. */
  String describe();

  /** Parses a JWKS document, keeping public keys only; an empty set is an error. */
  static JWKSet parsePublic(String json) throws ParseException {
    JWKSet keys = JWKSet.parse(json).toPublicJWKSet();
    if (keys.isEmpty()) {
      throw new ParseException("the JWKS holds no public keys", 0);
    }
    return keys;
  }
}
