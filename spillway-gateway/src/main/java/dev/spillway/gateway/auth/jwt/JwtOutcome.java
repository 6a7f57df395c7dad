package dev.spillway.gateway.auth.jwt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link JwtAuthenticator#authenticate} decided about one bearer token. Rejections are values,
 * not exceptions, so the edge maps them to a 401 in one place.
 */
public sealed interface JwtOutcome permits JwtOutcome.Valid, JwtOutcome.Invalid {

  /**
   * A token whose signature, issuer, audience and lifetime all checked out.
   *
   * @param issuer the configured issuer that vouched for the token (its exact {@code iss})
   * @param consumerClaimValues the string values of the issuer's consumer claim; never empty
   * @param roles the string values of the {@code roles} claim; empty when absent
   * @param claims every verified claim, as parsed JSON (dates as epoch seconds)
   */
  record Valid(String issuer, List<String> consumerClaimValues, Set<String> roles, Map<String, Object> claims)
      implements JwtOutcome {
    public Valid {
      Objects.requireNonNull(issuer, "issuer");
      consumerClaimValues = List.copyOf(consumerClaimValues);
      roles = Set.copyOf(roles);
      claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }
  }

  /**
   * A rejected token. The reason is short, fixed text meant for logs and metrics; it never contains
   * the token or any claim value.
   */
  record Invalid(String reason) implements JwtOutcome {
    public static final String MALFORMED = "malformed token";
    public static final String TOO_LARGE = "token too large";
    public static final String ALGORITHM_NOT_ALLOWED = "algorithm not allowed";
    public static final String UNKNOWN_ISSUER = "unknown issuer";
    public static final String UNKNOWN_KEY_ID = "unknown key id";
    public static final String JWKS_UNAVAILABLE = "jwks unavailable";
    public static final String SIGNATURE_INVALID = "signature invalid";
    public static final String MISSING_EXPIRY = "missing exp";
    public static final String EXPIRED = "expired";
    public static final String NOT_YET_VALID = "not yet valid";
    public static final String ISSUED_IN_FUTURE = "issued in the future";
    public static final String AUDIENCE_MISMATCH = "audience mismatch";
    public static final String MISSING_CONSUMER_CLAIM = "missing consumer claim";

    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
