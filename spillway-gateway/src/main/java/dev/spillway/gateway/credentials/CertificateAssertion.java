package dev.spillway.gateway.credentials;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * A client assertion signed with an application certificate, as the Microsoft identity platform
 * takes in place of a client secret: a JWT with {@code alg} PS256, {@code x5t#S256} (the base64url
 * SHA-256 thumbprint of the certificate's DER encoding), {@code aud} the token endpoint, {@code
 * iss} and {@code sub} the client id, a random {@code jti}, and {@code nbf}..{@code exp} spanning
 * {@link #LIFETIME}. The file is read and the JWT signed on a worker thread for every exchange
 * (about once an hour), so a renewed certificate is picked up without a restart.
 */
final class CertificateAssertion implements ClientAssertion {
  /** How long an assertion may be presented; the identity platform advises 5 to 10 minutes. */
  static final Duration LIFETIME = Duration.ofMinutes(10);
  /** A certificate file holds a few KiB; anything much larger is the wrong file. */
  static final long MAX_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final Path path;
  private final Optional<String> password;
  private final URI audience;
  private final String clientId;
  private final Clock clock;

  /**
   * @param tokenUrl the endpoint the assertion is for; its query, if any, is not part of the audience
   */
  CertificateAssertion(Vertx vertx, Path path, Optional<String> password, URI tokenUrl, String clientId, Clock clock) {
    this.vertx = vertx;
    this.path = path;
    this.password = password;
    this.audience = URI.create(TokenHttp.printable(tokenUrl));
    this.clientId = clientId;
    this.clock = clock;
  }

  @Override
  public Future<String> next() {
    return vertx.executeBlocking(this::sign, false);
  }

  private String sign() {
    byte[] content;
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw new CredentialUnavailableException("certificate file " + path + " is larger than " + MAX_BYTES + " bytes");
      }
      content = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new CredentialUnavailableException("cannot read certificate file " + path + " (" + e.getClass().getSimpleName() + ")", e);
    }
    CertificateFile file = CertificateFile.parse(path, content, password);
    try {
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.PS256)
              .type(JOSEObjectType.JWT)
              .x509CertSHA256Thumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(file.certificate().getEncoded())))
              .build();
      Instant now = clock.instant();
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .audience(audience.toString())
              .issuer(clientId)
              .subject(clientId)
              .jwtID(UUID.randomUUID().toString())
              .notBeforeTime(Date.from(now))
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plus(LIFETIME)))
              .build();
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(file.privateKey()));
      return jwt.serialize();
    } catch (JOSEException | NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new CredentialUnavailableException(
          "certificate file " + path + ": cannot sign a client assertion (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  public String toString() {
    return "clientCertificate[certificate=" + path + "]";
  }
}
