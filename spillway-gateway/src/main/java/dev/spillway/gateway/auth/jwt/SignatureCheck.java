package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which algorithms may ever be used, and signature verification with a key whose type fits the
 * algorithm. Pairing the verifier with the key type (RSA for RS/PS, EC on the right curve for ES) is
 * what defeats algorithm confusion: a token that says {@code HS256} never reaches a MAC verifier
 * fed with a public key, because no such verifier is ever built here.
 */
final class SignatureCheck {
  private SignatureCheck() {}

  /** True for {@code none} and every HMAC algorithm: refused whatever the configuration says. */
  static boolean neverAllowed(String algorithm) {
    String upper = algorithm.toUpperCase(Locale.ROOT);
    return upper.equals("NONE") || upper.startsWith("HS");
  }

  /** True for the algorithms this class can verify: the RSA (RS*, PS*) and EC (ES*) families. */
  static boolean supported(JWSAlgorithm algorithm) {
    return JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm);
  }

  /** True when some candidate key of the right type verifies the token's signature. */
  static boolean verifiedByAny(SignedJWT jwt, List<JWK> candidates) {
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    for (JWK key : candidates) {
      Optional<JWSVerifier> verifier = verifierFor(algorithm, key);
      try {
        if (verifier.isPresent() && jwt.verify(verifier.get())) {
          return true;
        }
      } catch (JOSEException e) {
        // this key cannot verify this algorithm (e.g. a malformed key); try the next one
      }
    }
    return false;
  }

  private static Optional<JWSVerifier> verifierFor(JWSAlgorithm algorithm, JWK key) {
    try {
      if (JWSAlgorithm.Family.RSA.contains(algorithm) && key instanceof RSAKey rsa) {
        return Optional.of(new RSASSAVerifier(rsa));
      }
      if (JWSAlgorithm.Family.EC.contains(algorithm)
          && key instanceof ECKey ec
          && Curve.forJWSAlgorithm(algorithm).contains(ec.getCurve())) {
        return Optional.of(new ECDSAVerifier(ec));
      }
    } catch (JOSEException e) {
      // a published key the JDK cannot use: treat it as not matching
    }
    return Optional.empty();
  }
}
