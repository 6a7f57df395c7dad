package dev.spillway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.Tier;
import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamTargetTest {

  private static BackendConfig backend(BackendType type, String url, String deployment, BackendAuth auth) {
    return BackendConfig.builder()
        .id("b")
        .type(type)
        .url(URI.create(url))
        .deployment(deployment)
        .apiVersion("2024-10-21")
        .auth(auth)
        .tier(Tier.PTU)
        .priority(1)
        .build();
  }

  @Test
  void azureBackendsGetTheClassicUrlWithTheirOwnDeploymentAndApiVersion() {
    BackendConfig b = backend(BackendType.AZURE, "https://x.openai.azure.com/", "gpt-4o-ptu", BackendAuth.apiKey("k"));
    assertThat(UpstreamTarget.uri(b, Operation.CHAT_COMPLETIONS))
        .isEqualTo("https://x.openai.azure.com/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-10-21");
    assertThat(UpstreamTarget.authHeaderName(b)).contains("api-key");
    assertThat(UpstreamTarget.authHeaderValue(b)).contains("k");
    assertThat(UpstreamTarget.rewritesBodyModel(b)).isFalse();
  }

  @Test
  void openAiBackendsGetTheBaseUrlPlusOperationAndBearerAuth() {
    BackendConfig b = backend(BackendType.OPENAI, "https://api.openai.com/v1", "gpt-4o-2024-08-06", BackendAuth.apiKey("sk"));
    assertThat(UpstreamTarget.uri(b, Operation.EMBEDDINGS)).isEqualTo("https://api.openai.com/v1/embeddings");
    assertThat(UpstreamTarget.authHeaderName(b)).contains("authorization");
    assertThat(UpstreamTarget.authHeaderValue(b)).contains("Bearer sk");
    assertThat(UpstreamTarget.rewritesBodyModel(b)).isTrue();
  }

  @Test
  void backendsWithoutKeysSendNoCredential() {
    BackendConfig b = backend(BackendType.AZURE, "http://127.0.0.1:1", "d", BackendAuth.NONE);
    assertThat(UpstreamTarget.authHeaderName(b)).isEmpty();
  }

  @Test
  void credentialsHopByHopAndGatewayHeadersAreNotForwarded() {
    for (String h : new String[] {"api-key", "Authorization", "Connection", "Host", "Content-Length", "Transfer-Encoding",
        "x-spillway-backend", "Cookie", "Accept-Encoding", "Upgrade"}) {
      assertThat(HeaderRules.forwardRequestHeader(h)).as(h).isFalse();
    }
    for (String h : new String[] {"content-type", "x-request-id", "openai-beta", "user-agent", "x-sim-fault"}) {
      assertThat(HeaderRules.forwardRequestHeader(h)).as(h).isTrue();
    }
  }

  @Test
  void rateLimitRetryAndAzureHeadersComeBack() {
    for (String h : new String[] {"x-ratelimit-remaining-tokens", "Retry-After", "retry-after-ms", "x-request-id",
        "azure-openai-deployment-utilization", "content-type", "apim-request-id"}) {
      assertThat(HeaderRules.returnResponseHeader(h)).as(h).isTrue();
    }
    for (String h : new String[] {"set-cookie", "server", "connection", "content-length", "strict-transport-security"}) {
      assertThat(HeaderRules.returnResponseHeader(h)).as(h).isFalse();
    }
  }
}
