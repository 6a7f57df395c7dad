package dev.spillway.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A trusted issuer of bearer JWTs (Entra ID or any OIDC provider).
 *
 * @param issuer the exact {@code iss} value
 * @param audiences accepted {@code aud} values (at least one must match)
 * @param jwksUrl where the signing keys are published; exactly one of jwksUrl / jwksFile
 * @param jwksFile a local JWKS file instead
 * @param algorithms accepted {@code alg} values; never {@code none}, never HMAC
 * @param consumerClaim the claim whose value names the consumer ({@code oid}, {@code appid},
 *     {@code azp}, {@code groups}, {@code roles}, ...); array claims match on any element
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param jwksMinRefreshInterval the JWKS is re-fetched for an unknown {@code kid} at most this often
 * @param jwksMaxAge the JWKS is re-fetched when older than this
 */
public record JwtIssuerConfig(
    String issuer,
    Set<String> audiences,
    Optional<URI> jwksUrl,
    Optional<Path> jwksFile,
    Set<String> algorithms,
    String consumerClaim,
    Duration clockSkew,
    Duration jwksMinRefreshInterval,
    Duration jwksMaxAge) {

  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  public JwtIssuerConfig {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(consumerClaim, "consumerClaim");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(jwksMinRefreshInterval, "jwksMinRefreshInterval");
    Objects.requireNonNull(jwksMaxAge, "jwksMaxAge");
    audiences = Set.copyOf(audiences);
    algorithms = Set.copyOf(algorithms);
    jwksUrl = jwksUrl == null ? Optional.empty() : jwksUrl;
    jwksFile = jwksFile == null ? Optional.empty() : jwksFile;
    if (jwksUrl.isPresent() == jwksFile.isPresent()) {
      throw new IllegalArgumentException("an issuer needs exactly one of jwksUrl and jwksFile");
    }
    if (audiences.isEmpty()) {
      throw new IllegalArgumentException("an issuer needs at least one audience");
    }
    for (String alg : algorithms) {
      if (alg.equalsIgnoreCase("none") || alg.toUpperCase(java.util.Locale.ROOT).startsWith("HS")) {
        throw new IllegalArgumentException("algorithm " + alg + " is not allowed (no 'none', no HMAC)");
      }
    }
  }

  /** An issuer with default algorithms, 60 s skew, 30 s minimum JWKS refresh, 1 h JWKS age. */
  public static JwtIssuerConfig of(String issuer, Set<String> audiences, Optional<URI> jwksUrl, Optional<Path> jwksFile, String consumerClaim) {
    return new JwtIssuerConfig(issuer, audiences, jwksUrl, jwksFile, DEFAULT_ALGORITHMS, consumerClaim,
        Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofHours(1));
  }
}
