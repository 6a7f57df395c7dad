package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Locally generated keys and signed tokens for the JWT tests. */
final class Tokens {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String ISSUER = "https://login.example.test/tenant-1/v2.0";
  static final String AUDIENCE = "api://spillway";

  private Tokens() {}

  static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Claims that pass every check at {@link #NOW}: ten minutes left, consumer claims set. */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("user-1")
        .issueTime(Date.from(NOW.minusSeconds(60)))
        .notBeforeTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(NOW.plusSeconds(600)))
        .claim("oid", "0000-oid-1")
        .claim("groups", List.of("group-a", "group-b"))
        .claim("roles", List.of("Spillway.Admin"));
  }

  static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
      return sign(signer, new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rs256(RSAKey key, JWTClaimsSet claims) {
    return sign(key, JWSAlgorithm.RS256, claims);
  }

  /** The classic confusion attack: HS256 keyed with the bytes of the issuer's RSA public key. */
  static String hs256WithPublicKey(RSAKey key, JWTClaimsSet claims) {
    try {
      byte[] secret = key.toRSAPublicKey().getEncoded();
      return sign(new MACSigner(secret), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
