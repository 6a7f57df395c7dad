package dev.spillway.gateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StaticCredentialTest {
  private static final String KEY = "static-secret-key-42";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    FakeTokenEndpoint.await(vertx.close());
  }

  @Test
  void azureBackendsGetTheKeyInTheApiKeyHeader() {
    BackendCredential credential = credential(BackendType.AZURE, BackendAuth.apiKey(KEY));

    assertThat(credential.header().result()).contains(new CredentialHeader("api-key", KEY));
  }

  @Test
  void openAiBackendsGetTheKeyAsBearer() {
    BackendCredential credential = credential(BackendType.OPENAI, BackendAuth.apiKey(KEY));

    assertThat(credential.header().result()).contains(new CredentialHeader("authorization", "Bearer " + KEY));
  }

  @Test
  void invalidatingAStaticKeyChangesNothing() {
    BackendCredential credential = credential(BackendType.AZURE, BackendAuth.apiKey(KEY));

    credential.invalidate();

    assertThat(credential.header().result()).contains(new CredentialHeader("api-key", KEY));
  }

  @Test
  void backendsWithoutAuthGetNoHeader() {
    BackendCredential credential = credential(BackendType.OPENAI, BackendAuth.NONE);

    assertThat(credential.header().result()).isEmpty();
    assertThat(credential).hasToString("BackendCredential[none]");
  }

  @Test
  void toStringsHideTheKey() {
    BackendCredential credential = credential(BackendType.OPENAI, BackendAuth.apiKey(KEY));

    assertThat(credential.toString()).contains("backend=b1").doesNotContain(KEY);
    assertThat(credential.header().result().orElseThrow()).hasToString("CredentialHeader[name=authorization, value=***]");
    assertThat(CredentialHeader.apiKey(BackendType.AZURE, KEY).toString()).doesNotContain(KEY);
  }

  private BackendCredential credential(BackendType type, BackendAuth auth) {
    BackendConfig backend =
        BackendConfig.builder()
            .id("b1")
            .type(type)
            .url(URI.create("https://example.invalid"))
            .deployment("gpt-4o")
            .auth(auth)
            .tier(Tier.PTU)
            .priority(1)
            .region("test")
            .build();
    return BackendCredentials.of(vertx, vertx.createHttpClient(), backend, Ticker.systemTicker());
  }
}
