package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.config.JwtIssuerConfig;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates bearer JWTs from the configured issuers (Entra ID or any OIDC provider).
 *
 * <p>Order of checks: shape and size; {@code alg} is never {@code none} or HMAC; the unverified
 * {@code iss} picks the issuer; {@code alg} is on that issuer's allow-list; a key of the matching
 * type and {@code kid} comes from the issuer's {@link JwksCache}; the signature verifies; only then
 * are lifetime ({@code exp} required, {@code nbf}, {@code iat}, all with the issuer's skew) and
 * audience trusted; finally the consumer claim must carry at least one string.
 *
 * <p>Threading: {@link #authenticate} may be called from any event loop or thread and never blocks.
 * A token whose key is cached is decided synchronously (the future is already complete); one that
 * waits for a JWKS load completes back on the caller's Vert.x context.
 */
public final class JwtAuthenticator {
  /** Tokens longer than this are refused before parsing (Entra tokens with groups stay well below). */
  public static final int MAX_TOKEN_CHARS = 32 * 1024;
  /** How often a JWKS file is checked for changes (mtime and size). */
  static final Duration FILE_RECHECK_INTERVAL = Duration.ofSeconds(5);

  private record Issuer(JwtIssuerConfig config, JwksCache keys, boolean fromFile) {}

  private final Map<String, Issuer> issuers;
  private final Clock clock;

  /**
   * @param configs the trusted issuers; {@code iss} values must be distinct and every algorithm
   *     must be RS*, PS* or ES*
   * @param vertx used to read JWKS files
   * @param client used to fetch JWKS URLs; configured (TLS, proxy) by the caller
   * @param ticker drives JWKS refresh timing
   * @param clock wall time for {@code exp}, {@code nbf} and {@code iat}
   * @throws IllegalArgumentException on a duplicate issuer or an unsupported algorithm
   */
  public JwtAuthenticator(List<JwtIssuerConfig> configs, Vertx vertx, HttpClient client, Ticker ticker, Clock clock) {
    Map<String, Issuer> byIssuer = new LinkedHashMap<>();
    for (JwtIssuerConfig config : configs) {
      for (String algorithm : config.algorithms()) {
        if (SignatureCheck.neverAllowed(algorithm) || !SignatureCheck.supported(JWSAlgorithm.parse(algorithm))) {
          throw new IllegalArgumentException(
              "issuer " + config.issuer() + ": algorithm " + algorithm + " is not supported (use RS*, PS* or ES*)");
        }
      }
      Issuer issuer = config.jwksUrl().isPresent()
          ? new Issuer(config, new JwksCache(config.issuer(), new UrlJwksSource(client, config.jwksUrl().get()),
              ticker, config.jwksMinRefreshInterval(), config.jwksMaxAge()), false)
          : new Issuer(config, new JwksCache(config.issuer(), new FileJwksSource(vertx, config.jwksFile().orElseThrow()),
              ticker, FILE_RECHECK_INTERVAL, FILE_RECHECK_INTERVAL), true);
      if (byIssuer.putIfAbsent(config.issuer(), issuer) != null) {
        throw new IllegalArgumentException("issuer " + config.issuer() + " is configured twice");
      }
    }
    this.issuers = Map.copyOf(byIssuer);
    this.clock = clock;
  }

  /**
   * Loads every issuer's keys once, so the first requests do not wait. Fails when a JWKS file cannot
   * be read or parsed (a configuration error); an unreachable JWKS URL is only logged and will be
   * retried on demand.
   */
  public Future<Void> warmUp() {
    List<Future<?>> loads = new ArrayList<>();
    for (Issuer issuer : issuers.values()) {
      Future<?> load = issuer.keys().loadNow();
      loads.add(issuer.fromFile()
          ? load.recover(e -> Future.failedFuture(
              new IllegalStateException("issuer " + issuer.config().issuer() + ": " + e.getMessage(), e)))
          : load.otherwiseEmpty());
    }
    return Future.all(loads).mapEmpty();
  }

  /**
   * True when {@code token} has the shape of a compact JWS: three dot-separated base64url parts, the
   * first two non-empty (an empty signature still counts, so unsigned tokens get a precise
   * rejection rather than being mistaken for a gateway key).
   */
  public static boolean looksLikeJwt(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return false;
    }
    int dots = 0;
    int partLength = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (partLength == 0 || ++dots > 2) {
          return false;
        }
        partLength = 0;
      } else if (isBase64Url(c)) {
        partLength++;
      } else {
        return false;
      }
    }
    return dots == 2;
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /**
   * Decides whether {@code bearerToken} (without the {@code Bearer } prefix) is acceptable now.
   * Always succeeds with an outcome; a failed future means a bug.
   */
  public Future<JwtOutcome> authenticate(String bearerToken) {
    if (bearerToken != null && bearerToken.length() > MAX_TOKEN_CHARS) {
      return invalid(JwtOutcome.Invalid.TOO_LARGE);
    }
    if (!looksLikeJwt(bearerToken)) {
      return invalid(JwtOutcome.Invalid.MALFORMED);
    }
    JWT parsed;
    JWTClaimsSet claims;
    try {
      parsed = JWTParser.parse(bearerToken);
      claims = parsed.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return invalid(JwtOutcome.Invalid.MALFORMED);
    }
    if (!(parsed instanceof SignedJWT jwt) || SignatureCheck.neverAllowed(jwt.getHeader().getAlgorithm().getName())) {
      return invalid(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED);
    }
    Issuer issuer = claims.getIssuer() == null ? null : issuers.get(claims.getIssuer());
    if (issuer == null) {
      return invalid(JwtOutcome.Invalid.UNKNOWN_ISSUER);
    }
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    if (!issuer.config().algorithms().contains(algorithm.getName()) || !SignatureCheck.supported(algorithm)) {
      return invalid(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED);
    }
    JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()));
    Future<JwtOutcome> decided =
        issuer.keys().keysMatching(selector).transform(keys -> Future.succeededFuture(keys.succeeded()
            ? decide(jwt, claims, issuer.config(), keys.result())
            : new JwtOutcome.Invalid(JwtOutcome.Invalid.JWKS_UNAVAILABLE)));
    return onCallerContext(decided);
  }

  private JwtOutcome decide(SignedJWT jwt, JWTClaimsSet claims, JwtIssuerConfig issuer, List<JWK> candidates) {
    if (candidates.isEmpty()) {
      return new JwtOutcome.Invalid(JwtOutcome.Invalid.UNKNOWN_KEY_ID);
    }
    if (!SignatureCheck.verifiedByAny(jwt, candidates)) {
      return new JwtOutcome.Invalid(JwtOutcome.Invalid.SIGNATURE_INVALID);
    }
    Optional<String> violation = ClaimRules.violation(claims, issuer, clock.instant());
    if (violation.isPresent()) {
      return new JwtOutcome.Invalid(violation.get());
    }
    List<String> consumers = ClaimRules.stringValues(claims, issuer.consumerClaim());
    if (consumers.isEmpty()) {
      return new JwtOutcome.Invalid(JwtOutcome.Invalid.MISSING_CONSUMER_CLAIM);
    }
    return new JwtOutcome.Valid(issuer.issuer(), consumers,
        new HashSet<>(ClaimRules.stringValues(claims, "roles")), claims.toJSONObject());
  }

  private static Future<JwtOutcome> invalid(String reason) {
    return Future.succeededFuture(new JwtOutcome.Invalid(reason));
  }

  /** A JWKS load completes on the loader's thread; bring the answer back to the caller's context. */
  private static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (future.isComplete() || caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(result);
      } else {
        caller.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }
}
