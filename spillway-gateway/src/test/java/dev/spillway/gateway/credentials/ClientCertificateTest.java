package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.config.AzureIdentity;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ClientCertificateCredentials;
import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.credentials.LookAlikeTokenServer.Seen;
import dev.spillway.gateway.credentials.TestCertificates.Issued;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate credentials against a look-alike Entra token endpoint on loopback: the client
 * assertion is a JWT whose signature verifies with the test certificate's public key, whose
 * {@code x5t#S256} is that certificate's thumbprint, and whose claims are what the identity
 * platform asks for; PKCS#12 and PEM (PKCS#8 and PKCS#1 keys) files; failures without key material
 * or password.
 */
class ClientCertificateTest {
  private static final String TENANT = "tenant-1";
  private static final String CLIENT_ID = "cert-client-id";
  private static final String PASSWORD = "p12-password-do-not-log";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  @TempDir static Path certificates;
  private static Issued issued;
  private static Issued other;

  @TempDir Path dir;
  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private Vertx vertx;
  private LookAlikeTokenServer entra;

  @BeforeAll
  static void issue() throws Exception {
    issued = TestCertificates.pkcs12(certificates, "spillway-app", PASSWORD);
    other = TestCertificates.pkcs12(certificates, "someone-else", PASSWORD);
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    entra = LookAlikeTokenServer.entra(vertx, "cert-access");
  }

  @AfterEach
  void stop() {
    entra.close();
    await(vertx.close());
  }

  @Test
  void thePkcs12CertificateSignsAnAssertionTheTokenEndpointCanVerify() throws Exception {
    BackendCredential credential = credential(issued.pkcs12(), Optional.of(PASSWORD));

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("cert-access-1"));

    Seen request = entra.last();
    assertThat(request.form().get("grant_type")).isEqualTo("client_credentials");
    assertThat(request.form().get("client_id")).isEqualTo(CLIENT_ID);
    assertThat(request.form().get("scope")).isEqualTo(EntraCredentials.COGNITIVE_SERVICES_SCOPE);
    assertThat(request.form().get("client_assertion_type")).isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    assertThat(request.form().contains("client_secret")).isFalse();
    SignedJWT jwt = SignedJWT.parse(request.form().get("client_assertion"));
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issued.certificate().getPublicKey()))).isTrue();
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) other.certificate().getPublicKey()))).isFalse();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(jwt.getHeader().getX509CertSHA256Thumbprint())
        .isEqualTo(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(issued.certificate().getEncoded())));
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(entra.url("/" + TENANT + "/oauth2/v2.0/token").toString());
    assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
    assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
    assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(10))));
  }

  @Test
  void everyExchangeSignsAFreshAssertion() throws Exception {
    BackendCredential credential = credential(issued.pkcs12(), Optional.of(PASSWORD));
    CredentialHeader first = await(credential.header()).orElseThrow();
    credential.invalidate(first); // as after a backend's 401

    assertThat(await(credential.header())).contains(CredentialHeader.bearer("cert-access-2"));
    List<String> jtis = entra.seen().stream().map(s -> jwtId(s.form().get("client_assertion"))).toList();
    assertThat(jtis).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void pemFilesWithAPkcs8OrAPkcs1KeyWorkToo() throws Exception {
    Path pkcs8 = TestCertificates.pemPkcs8(issued, dir.resolve("app-pkcs8.pem"));
    Path pkcs1 = TestCertificates.pemPkcs1(issued, dir.resolve("app-pkcs1.pem"));

    for (Path pem : List.of(pkcs8, pkcs1)) {
      assertThat(await(credential(pem, Optional.empty()).header())).isPresent();
      SignedJWT jwt = SignedJWT.parse(entra.last().form().get("client_assertion"));
      assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) issued.certificate().getPublicKey()))).as(pem.toString()).isTrue();
    }
  }

  @Test
  void unusableCertificateFilesFailWithoutKeyMaterialOrPassword() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThat(catchThrowable(() -> await(credential(missing, Optional.empty()).header())))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("cannot read certificate file " + missing + " (NoSuchFileException)");

    Throwable wrongPassword = catchThrowable(() -> await(credential(issued.pkcs12(), Optional.of("not-the-password")).header()));
    assertThat(wrongPassword)
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessageStartingWith("certificate file " + issued.pkcs12() + " is neither PEM nor a PKCS#12 file this password opens");
    assertThat(wrongPassword.getMessage()).doesNotContain("not-the-password", PASSWORD);

    String mismatchedPem =
        TestCertificates.pem("CERTIFICATE", issued.certificate().getEncoded())
            + TestCertificates.pem("PRIVATE KEY", other.privateKey().getEncoded());
    Path mismatched = Files.writeString(dir.resolve("mismatched.pem"), mismatchedPem);
    Throwable mismatch = catchThrowable(() -> await(credential(mismatched, Optional.empty()).header()));
    assertThat(mismatch).hasMessage("certificate file " + mismatched + " holds a private key that does not belong to its certificate");

    Path keyOnly = Files.writeString(dir.resolve("key-only.pem"), TestCertificates.pem("PRIVATE KEY", issued.privateKey().getEncoded()));
    assertThat(catchThrowable(() -> await(credential(keyOnly, Optional.empty()).header())))
        .hasMessage("certificate file " + keyOnly + " holds no CERTIFICATE block");
    assertThat(entra.seen()).isEmpty();
  }

  private static String jwtId(String assertion) {
    try {
      return SignedJWT.parse(assertion).getJWTClaimsSet().getJWTID();
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private BackendCredential credential(Path certificate, Optional<String> password) {
    ClientCertificateCredentials identity =
        new ClientCertificateCredentials(
            AzureIdentity.tokenUrl(entra.url("/"), TENANT), CLIENT_ID, certificate, password, EntraCredentials.COGNITIVE_SERVICES_SCOPE);
    BackendConfig backend =
        BackendConfig.builder()
            .id("cert")
            .type(BackendType.AZURE)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(BackendAuth.of(identity))
            .tier(Tier.PTU)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(
        vertx, vertx.createHttpClient(), backend, ticker, Clock.fixed(NOW, ZoneOffset.UTC), new ManualScheduler(ticker));
  }
}
