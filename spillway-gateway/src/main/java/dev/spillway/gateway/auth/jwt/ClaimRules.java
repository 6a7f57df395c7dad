package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.spillway.core.config.JwtIssuerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The checks on verified claims, as pure functions of {@code (claims, issuer config, now)}: lifetime
 * with skew, audience, and reading string-or-array claims. Kept apart from the I/O so every rule is
 * testable with a fixed instant.
 */
final class ClaimRules {
  private ClaimRules() {}

  /** The first rule the claims break, or empty when they are acceptable at {@code now}. */
  static Optional<String> violation(JWTClaimsSet claims, JwtIssuerConfig issuer, Instant now) {
    Duration skew = issuer.clockSkew();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return Optional.of(JwtOutcome.Invalid.MISSING_EXPIRY);
    }
    if (!now.isBefore(exp.toInstant().plus(skew))) {
      return Optional.of(JwtOutcome.Invalid.EXPIRED);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      return Optional.of(JwtOutcome.Invalid.NOT_YET_VALID);
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
      return Optional.of(JwtOutcome.Invalid.ISSUED_IN_FUTURE);
    }
    List<String> audiences = claims.getAudience();
    if (audiences.stream().noneMatch(issuer.audiences()::contains)) {
      return Optional.of(JwtOutcome.Invalid.AUDIENCE_MISMATCH);
    }
    return Optional.empty();
  }

  /**
   * A claim as a list of strings: a string claim gives one value, an array claim its string
   * elements; anything else (absent, number, object) gives none.
   */
  static List<String> stringValues(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof Collection<?> elements) {
      List<String> strings = new ArrayList<>(elements.size());
      for (Object element : elements) {
        if (element instanceof String s) {
          strings.add(s);
        }
      }
      return List.copyOf(strings);
    }
    return List.of();
  }
}
