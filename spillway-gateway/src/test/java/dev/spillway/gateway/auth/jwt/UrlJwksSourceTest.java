package dev.spillway.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UrlJwksSourceTest {
  private static final RSAKey KEY = Tokens.rsaKey("k1");

  private Vertx vertx;
  private HttpClient client;
  private JwksServer jwks;
  private UrlJwksSource source;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
    jwks = JwksServer.start(vertx);
    source = new UrlJwksSource(client, jwks.url());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Regression: the body handler was attached one task late and sometimes missed a fast reply. */
  @Test
  void everyLoadFromANonVertxThreadSeesTheWholeBody() {
    jwks.publish(KEY);

    for (int i = 0; i < 100; i++) {
      assertThat(source.load().await().getKeyByKeyId("k1")).isNotNull();
    }
  }

  @Test
  void keepsOnlyPublicKeyMaterial() {
    jwks.serveRaw(new JWKSet(KEY).toString(false));

    assertThat(source.load().await().getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
  }

  @Test
  void failsOnAnErrorStatus() {
    jwks.failWith(500);

    assertThatThrownBy(() -> source.load().await()).hasMessageContaining("HTTP 500");
  }

  @Test
  void failsOnADocumentThatIsNotAJwks() {
    jwks.serveRaw("<html>login</html>");

    assertThatThrownBy(() -> source.load().await()).hasMessageContaining("not valid");
  }

  @Test
  void failsOnAJwksWithoutKeys() {
    jwks.serveRaw("{\"keys\":[]}");

    assertThatThrownBy(() -> source.load().await()).hasMessageContaining("no public keys");
  }

  @Test
  void refusesABodyLargerThanTheCap() {
    jwks.serveRaw("{\"keys\":[],\"pad\":\"" + "x".repeat(UrlJwksSource.MAX_BODY_BYTES) + "\"}");

    assertThatThrownBy(() -> source.load().await()).hasMessageContaining("larger than");
  }
}
