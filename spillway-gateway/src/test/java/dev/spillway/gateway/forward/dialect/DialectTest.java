package dev.spillway.gateway.forward.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.credentials.BackendCredentials;
import dev.spillway.gateway.credentials.CredentialHeader;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where each kind of backend is called, whether its body names the model, and which credential header it gets. */
class DialectTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static BackendConfig backend(BackendType type, String url, String deployment, String apiVersion, BackendAuth auth) {
    BackendConfig.Builder b =
        BackendConfig.builder().id("b").type(type).url(URI.create(url)).deployment(deployment).auth(auth).tier(Tier.PTU).priority(1);
    if (apiVersion != null) {
      b.apiVersion(apiVersion);
    }
    return b.build();
  }

  private Optional<CredentialHeader> credential(BackendConfig b) {
    return BackendCredentials.of(vertx, vertx.createHttpClient(), b, Ticker.systemTicker()).header().await();
  }

  @Test
  void azureBackendsGetTheClassicUrlWithTheirOwnDeploymentAndApiVersion() {
    BackendConfig b = backend(BackendType.AZURE, "https://x.openai.azure.com/", "gpt-4o-ptu", "2024-10-21", BackendAuth.apiKey("k"));
    assertThat(Dialect.of(b).uri(b, Operation.CHAT_COMPLETIONS))
        .isEqualTo("https://x.openai.azure.com/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21");
    assertThat(credential(b)).map(CredentialHeader::name).contains("api-key");
    assertThat(credential(b)).map(CredentialHeader::value).contains("k");
    assertThat(Dialect.of(b).namesModelInBody(Operation.CHAT_COMPLETIONS)).isFalse();
  }

  @Test
  void openAiBackendsGetTheBaseUrlPlusOperationAndBearerAuth() {
    BackendConfig b = backend(BackendType.OPENAI, "https://api.openai.com/v1", "gpt-4o-2024-08-06", null, BackendAuth.apiKey("sk"));
    assertThat(Dialect.of(b).uri(b, Operation.EMBEDDINGS)).isEqualTo("https://api.openai.com/v1/embeddings");
    assertThat(credential(b)).map(CredentialHeader::name).contains("authorization");
    assertThat(credential(b)).map(CredentialHeader::value).contains("Bearer sk");
    assertThat(Dialect.of(b).namesModelInBody(Operation.CHAT_COMPLETIONS)).isTrue();
  }

  @Test
  void azureBackendsOnTheV1ApiNameTheirDeploymentInTheBody() {
    BackendConfig b = backend(BackendType.AZURE, "https://x.openai.azure.com", "gpt-4o-ptu", "v1", BackendAuth.apiKey("k"));
    assertThat(Dialect.of(b).uri(b, Operation.CHAT_COMPLETIONS)).isEqualTo("https://x.openai.azure.com/openai/v1/chat/completions");
    assertThat(Dialect.of(b).namesModelInBody(Operation.CHAT_COMPLETIONS)).isTrue();
    assertThat(credential(b)).map(CredentialHeader::name).contains("api-key");
  }

  @Test
  void backendsWithoutKeysSendNoCredential() {
    BackendConfig b = backend(BackendType.AZURE, "http://127.0.0.1:1", "d", "2024-10-21", BackendAuth.NONE);
    assertThat(credential(b)).isEmpty();
  }
}
