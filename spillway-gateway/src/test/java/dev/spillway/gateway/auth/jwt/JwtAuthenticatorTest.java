package dev.spillway.gateway.auth.jwt;

import static dev.spillway.gateway.auth.jwt.Tokens.AUDIENCE;
import static dev.spillway.gateway.auth.jwt.Tokens.ISSUER;
import static dev.spillway.gateway.auth.jwt.Tokens.NOW;
import static dev.spillway.gateway.auth.jwt.Tokens.claims;
import static dev.spillway.gateway.auth.jwt.Tokens.rs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import dev.spillway.core.config.JwtIssuerConfig;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {
  private static final RSAKey RSA = Tokens.rsaKey("rsa-1");
  private static final RSAKey ROTATED_RSA = Tokens.rsaKey("rsa-2");
  private static final ECKey EC = Tokens.ecKey("ec-1");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ManualTicker ticker = new ManualTicker();
  private Vertx vertx;
  private HttpClient client;
  private JwksServer jwks;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    jwks = JwksServer.start(vertx);
    jwks.publish(RSA, EC);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private JwtIssuerConfig urlIssuer(String consumerClaim) {
    return JwtIssuerConfig.of(ISSUER, Set.of(AUDIENCE), Optional.of(jwks.url()), Optional.empty(), consumerClaim);
  }

  private JwtAuthenticator authenticator(JwtIssuerConfig... issuers) {
    return new JwtAuthenticator(List.of(issuers), vertx, client, ticker, clock);
  }

  private JwtAuthenticator oidAuthenticator() {
    return authenticator(urlIssuer("oid"));
  }

  private static JwtOutcome check(JwtAuthenticator authenticator, String token) {
    return authenticator.authenticate(token).await();
  }

  private static JwtOutcome.Invalid rejected(String reason) {
    return new JwtOutcome.Invalid(reason);
  }

  @Test
  void acceptsRs256AndExtractsAStringConsumerClaim() {
    JwtOutcome outcome = check(oidAuthenticator(), rs256(RSA, claims().build()));

    assertThat(outcome).isInstanceOfSatisfying(JwtOutcome.Valid.class, valid -> {
      assertThat(valid.issuer()).isEqualTo(ISSUER);
      assertThat(valid.consumerClaimValues()).containsExactly("0000-oid-1");
      assertThat(valid.roles()).containsExactly("Spillway.Admin");
      assertThat(valid.claims()).containsEntry("sub", "user-1");
    });
  }

  @Test
  void extractsEveryStringElementOfAnArrayConsumerClaim() {
    JwtAuthenticator authenticator = authenticator(urlIssuer("groups"));
    String token = rs256(RSA, claims().claim("groups", List.of("group-a", 42, "group-b")).build());

    assertThat(check(authenticator, token)).isInstanceOfSatisfying(JwtOutcome.Valid.class,
        valid -> assertThat(valid.consumerClaimValues()).containsExactly("group-a", "group-b"));
  }

  @Test
  void rejectsATokenWithoutTheConsumerClaim() {
    JwtAuthenticator authenticator = authenticator(urlIssuer("azp"));

    assertThat(check(authenticator, rs256(RSA, claims().build())))
        .isEqualTo(rejected(JwtOutcome.Invalid.MISSING_CONSUMER_CLAIM));
  }

  @Test
  void acceptsEs256() {
    String token = Tokens.sign(EC, JWSAlgorithm.ES256, claims().build());

    assertThat(check(oidAuthenticator(), token)).isInstanceOf(JwtOutcome.Valid.class);
  }

  @Test
  void rejectsAnExpiredToken() {
    String token = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(61))).build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.EXPIRED));
  }

  @Test
  void rejectsATokenWithoutExpiry() {
    String token = rs256(RSA, claims().expirationTime(null).build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.MISSING_EXPIRY));
  }

  @Test
  void rejectsATokenThatIsNotYetValid() {
    String token = rs256(RSA, claims().notBeforeTime(Date.from(NOW.plusSeconds(61))).build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.NOT_YET_VALID));
  }

  @Test
  void rejectsATokenIssuedInTheFuture() {
    String token = rs256(RSA, claims().notBeforeTime(null).issueTime(Date.from(NOW.plusSeconds(61))).build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.ISSUED_IN_FUTURE));
  }

  @Test
  void acceptsExpiryNotBeforeAndIssueTimeWithinTheClockSkew() {
    String token = rs256(RSA, claims()
        .expirationTime(Date.from(NOW.minusSeconds(59)))
        .notBeforeTime(Date.from(NOW.plusSeconds(59)))
        .issueTime(Date.from(NOW.plusSeconds(59)))
        .build());

    assertThat(check(oidAuthenticator(), token)).isInstanceOf(JwtOutcome.Valid.class);
  }

  @Test
  void rejectsAWrongAudience() {
    String token = rs256(RSA, claims().audience(List.of("api://someone-else")).build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.AUDIENCE_MISMATCH));
  }

  @Test
  void acceptsWhenAnyAudienceMatches() {
    String token = rs256(RSA, claims().audience(List.of("api://someone-else", AUDIENCE)).build());

    assertThat(check(oidAuthenticator(), token)).isInstanceOf(JwtOutcome.Valid.class);
  }

  @Test
  void rejectsAnUnknownIssuerWithoutFetchingKeys() {
    String token = rs256(RSA, claims().issuer("https://evil.example.test/").build());

    assertThat(check(oidAuthenticator(), token)).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_ISSUER));
    assertThat(jwks.fetchCount()).isZero();
  }

  @Test
  void rejectsATokenSignedByAnotherKeyUsingAPublishedKeyId() {
    RSAKey impostor = Tokens.rsaKey(RSA.getKeyID());

    assertThat(check(oidAuthenticator(), rs256(impostor, claims().build())))
        .isEqualTo(rejected(JwtOutcome.Invalid.SIGNATURE_INVALID));
  }

  @Test
  void unknownKeyIdTriggersOneRefreshAndIsAcceptedAfterRotation() {
    JwtAuthenticator authenticator = oidAuthenticator();
    assertThat(check(authenticator, rs256(RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(jwks.fetchCount()).isEqualTo(1);

    jwks.publish(RSA, ROTATED_RSA);
    ticker.advance(Duration.ofSeconds(30));

    assertThat(check(authenticator, rs256(ROTATED_RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(check(authenticator, rs256(ROTATED_RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(jwks.fetchCount()).isEqualTo(2);
  }

  @Test
  void unknownKeyIdRefreshesAtMostOncePerMinRefreshInterval() {
    JwtAuthenticator authenticator = oidAuthenticator();
    check(authenticator, rs256(RSA, claims().build()));
    ticker.advance(Duration.ofSeconds(30));
    String unknown = rs256(ROTATED_RSA, claims().build());

    assertThat(check(authenticator, unknown)).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));
    assertThat(check(authenticator, unknown)).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));
    assertThat(jwks.fetchCount()).isEqualTo(2);

    jwks.publish(RSA, ROTATED_RSA);
    ticker.advance(Duration.ofSeconds(29));
    assertThat(check(authenticator, unknown)).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));
    assertThat(jwks.fetchCount()).isEqualTo(2);

    ticker.advance(Duration.ofSeconds(1));
    assertThat(check(authenticator, unknown)).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(jwks.fetchCount()).isEqualTo(3);
  }

  @Test
  void rejectsAlgNoneWithoutFetchingKeys() {
    String unsigned = new PlainJWT(claims().build()).serialize();

    assertThat(JwtAuthenticator.looksLikeJwt(unsigned)).isTrue();
    assertThat(check(oidAuthenticator(), unsigned)).isEqualTo(rejected(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED));
    assertThat(jwks.fetchCount()).isZero();
  }

  @Test
  void rejectsAlgNoneGraftedOntoAValidSignature() {
    String[] parts = rs256(RSA, claims().build()).split("\\.");
    String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();

    assertThat(check(oidAuthenticator(), noneHeader + "." + parts[1] + "." + parts[2]))
        .isNotInstanceOf(JwtOutcome.Valid.class);
    assertThat(check(oidAuthenticator(), noneHeader + "." + parts[1] + "."))
        .isEqualTo(rejected(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void rejectsHs256SignedWithTheRsaPublicKey() {
    String forged = Tokens.hs256WithPublicKey(RSA, claims().build());

    assertThat(check(oidAuthenticator(), forged)).isEqualTo(rejected(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED));
    assertThat(jwks.fetchCount()).isZero();
  }

  @Test
  void rejectsATamperedPayload() {
    String[] parts = rs256(RSA, claims().build()).split("\\.");
    String forgedClaims = claims().claim("oid", "someone-else").build().toString();
    String tampered = parts[0] + "." + Base64URL.encode(forgedClaims) + "." + parts[2];

    assertThat(check(oidAuthenticator(), tampered)).isEqualTo(rejected(JwtOutcome.Invalid.SIGNATURE_INVALID));
  }

  @Test
  void rejectsAnAlgorithmOutsideTheIssuersAllowList() {
    JwtIssuerConfig rs256Only = new JwtIssuerConfig(ISSUER, Set.of(AUDIENCE), Optional.of(jwks.url()), Optional.empty(),
        Set.of("RS256"), "oid", Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofHours(1));
    String ps256 = Tokens.sign(RSA, JWSAlgorithm.PS256, claims().build());

    assertThat(check(authenticator(rs256Only), ps256)).isEqualTo(rejected(JwtOutcome.Invalid.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void rejectsAnEcSignaturePresentedUnderAnRsaKeyId() {
    ECKey ecUnderRsaKid = new ECKey.Builder(EC).keyID(RSA.getKeyID()).build();

    JwtOutcome outcome = check(oidAuthenticator(), Tokens.sign(ecUnderRsaKid, JWSAlgorithm.ES256, claims().build()));

    assertThat(outcome).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));
  }

  @Test
  void readsKeysFromAJwksFileAndRereadsItWhenItChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new JWKSet(RSA).toPublicJWKSet().toString());
    JwtAuthenticator authenticator = authenticator(
        JwtIssuerConfig.of(ISSUER, Set.of(AUDIENCE), Optional.empty(), Optional.of(file), "oid"));
    authenticator.warmUp().await();

    assertThat(check(authenticator, rs256(RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);

    Files.writeString(file, new JWKSet(List.of(RSA, ROTATED_RSA)).toPublicJWKSet().toString());
    Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(10)));
    String rotated = rs256(ROTATED_RSA, claims().build());
    assertThat(check(authenticator, rotated)).isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));

    ticker.advance(JwtAuthenticator.FILE_RECHECK_INTERVAL);
    assertThat(check(authenticator, rotated)).isInstanceOf(JwtOutcome.Valid.class);
  }

  @Test
  void warmUpFailsForAMissingJwksFile(@TempDir Path dir) {
    JwtAuthenticator authenticator = authenticator(JwtIssuerConfig.of(
        ISSUER, Set.of(AUDIENCE), Optional.empty(), Optional.of(dir.resolve("missing.json")), "oid"));

    assertThatThrownBy(() -> authenticator.warmUp().await()).hasMessageContaining(ISSUER);
  }

  @Test
  void keepsCachedKeysWhenTheJwksEndpointIsDown() {
    JwtAuthenticator authenticator = oidAuthenticator();
    check(authenticator, rs256(RSA, claims().build()));
    jwks.close().await();
    ticker.advance(Duration.ofHours(2));

    assertThat(check(authenticator, rs256(RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(check(authenticator, rs256(ROTATED_RSA, claims().build())))
        .isEqualTo(rejected(JwtOutcome.Invalid.UNKNOWN_KEY_ID));
  }

  @Test
  void keepsCachedKeysWhenTheJwksEndpointFails() {
    JwtAuthenticator authenticator = oidAuthenticator();
    check(authenticator, rs256(RSA, claims().build()));
    jwks.failWith(503);
    ticker.advance(Duration.ofHours(2));

    assertThat(check(authenticator, rs256(RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(check(authenticator, rs256(RSA, claims().build()))).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(jwks.fetchCount()).as("a failing endpoint is asked once per min refresh interval").isEqualTo(2);
  }

  @Test
  void coldCacheWithTheEndpointDownRejectsAndRetriesOnlyAfterTheMinInterval() {
    JwtAuthenticator authenticator = oidAuthenticator();
    jwks.failWith(503);
    String token = rs256(RSA, claims().build());

    assertThat(check(authenticator, token)).isEqualTo(rejected(JwtOutcome.Invalid.JWKS_UNAVAILABLE));
    assertThat(check(authenticator, token)).isEqualTo(rejected(JwtOutcome.Invalid.JWKS_UNAVAILABLE));
    assertThat(jwks.fetchCount()).isEqualTo(1);

    jwks.publish(RSA);
    ticker.advance(Duration.ofSeconds(30));
    assertThat(check(authenticator, token)).isInstanceOf(JwtOutcome.Valid.class);
    assertThat(jwks.fetchCount()).isEqualTo(2);
  }

  @Test
  void fiftyConcurrentAuthenticationsWithAColdCacheShareOneFetch() throws Exception {
    JwtAuthenticator authenticator = oidAuthenticator();
    String token = rs256(RSA, claims().build());
    jwks.hold();
    ExecutorService callers = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<Future<JwtOutcome>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(callers.submit(() -> {
        go.await();
        return authenticator.authenticate(token);
      }));
    }
    go.countDown();
    List<Future<JwtOutcome>> outcomes = new ArrayList<>();
    for (var call : calls) {
      outcomes.add(call.get());
    }
    callers.shutdown();
    jwks.release();

    Future.all(outcomes).await();
    assertThat(outcomes).allSatisfy(o -> assertThat(o.result()).isInstanceOf(JwtOutcome.Valid.class));
    assertThat(jwks.fetchCount()).isEqualTo(1);
  }

  @Test
  void completesOnTheCallersContextWhenAnotherContextStartedTheFetch() {
    JwtAuthenticator authenticator = oidAuthenticator();
    String token = rs256(RSA, claims().build());
    jwks.hold();
    Context first = vertx.getOrCreateContext();
    Context second = vertx.getOrCreateContext();
    Promise<Boolean> firstOnOwnContext = Promise.promise();
    Promise<Boolean> secondOnOwnContext = Promise.promise();

    callOn(first, authenticator, token, firstOnOwnContext).await();
    callOn(second, authenticator, token, secondOnOwnContext).await();
    jwks.release();

    assertThat(firstOnOwnContext.future().await()).isTrue();
    assertThat(secondOnOwnContext.future().await()).isTrue();
    assertThat(jwks.fetchCount()).isEqualTo(1);
  }

  /** Calls authenticate on {@code context}; the returned future says the call was made. */
  private static Future<Void> callOn(Context context, JwtAuthenticator authenticator, String token, Promise<Boolean> onOwnContext) {
    Promise<Void> called = Promise.promise();
    context.runOnContext(v -> {
      authenticator.authenticate(token).onComplete(r -> onOwnContext.complete(
          r.result() instanceof JwtOutcome.Valid && Vertx.currentContext() == context));
      called.complete();
    });
    return called.future();
  }

  @Test
  void rejectsMalformedAndOversizedTokens() {
    JwtAuthenticator authenticator = oidAuthenticator();

    assertThat(check(authenticator, "not-a-jwt")).isEqualTo(rejected(JwtOutcome.Invalid.MALFORMED));
    assertThat(check(authenticator, "e30.e30.c2ln")).isEqualTo(rejected(JwtOutcome.Invalid.MALFORMED));
    assertThat(check(authenticator, "a".repeat(JwtAuthenticator.MAX_TOKEN_CHARS + 1)))
        .isEqualTo(rejected(JwtOutcome.Invalid.TOO_LARGE));
    assertThat(check(authenticator, null)).isEqualTo(rejected(JwtOutcome.Invalid.MALFORMED));
  }

  @Test
  void looksLikeJwtAcceptsOnlyThreeBase64UrlParts() {
    assertThat(JwtAuthenticator.looksLikeJwt(rs256(RSA, claims().build()))).isTrue();
    assertThat(JwtAuthenticator.looksLikeJwt("eyJh.eyJi.")).isTrue();
    assertThat(JwtAuthenticator.looksLikeJwt("sk-spillway-0123456789abcdef")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt("a.b")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt("a.b.c.d")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt(".b.c")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt("a..c")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt("a+b.c/d.e=")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt("")).isFalse();
    assertThat(JwtAuthenticator.looksLikeJwt(null)).isFalse();
  }

  @Test
  void refusesUnsupportedAlgorithmsAndDuplicateIssuersAtConstruction() {
    JwtIssuerConfig eddsa = new JwtIssuerConfig(ISSUER, Set.of(AUDIENCE), Optional.of(URI.create("https://x.test/keys")),
        Optional.empty(), Set.of("EdDSA"), "oid", Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofHours(1));

    assertThatThrownBy(() -> authenticator(eddsa)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EdDSA").hasMessageContaining(ISSUER);
    assertThatThrownBy(() -> authenticator(urlIssuer("oid"), urlIssuer("azp")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
  }

  @Test
  void invalidReasonsNeverContainTheToken() {
    String token = rs256(RSA, claims().expirationTime(Date.from(NOW.minusSeconds(3600))).build());

    JwtOutcome outcome = check(oidAuthenticator(), token);

    assertThat(outcome).isInstanceOfSatisfying(JwtOutcome.Invalid.class,
        invalid -> assertThat(invalid.reason()).doesNotContain(token.split("\\.")[1]).hasSizeLessThan(40));
  }
}
