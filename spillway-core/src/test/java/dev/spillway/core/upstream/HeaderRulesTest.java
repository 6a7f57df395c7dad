package dev.spillway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendType;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

  @Test
  void azureTakesItsKeyAsApiKeyAndOpenAiAsABearerToken() {
    assertThat(ApiKeyHeader.name(BackendType.AZURE)).isEqualTo("api-key");
    assertThat(ApiKeyHeader.value(BackendType.AZURE, "k")).isEqualTo("k");
    assertThat(ApiKeyHeader.name(BackendType.OPENAI)).isEqualTo("authorization");
    assertThat(ApiKeyHeader.value(BackendType.OPENAI, "sk")).isEqualTo("Bearer sk");
  }

  @Test
  void credentialsHopByHopAndGatewayHeadersAreNotForwarded() {
    for (String h : new String[] {"api-key", "Authorization", "Connection", "Host", "Content-Length", "Transfer-Encoding",
        "x-spillway-backend", "Cookie", "Accept-Encoding", "Upgrade", "X-MS-Spillover-Deployment"}) {
      assertThat(HeaderRules.forwardRequestHeader(h)).as(h).isFalse();
    }
    for (String h : new String[] {"content-type", "x-request-id", "openai-beta", "user-agent", "x-sim-fault"}) {
      assertThat(HeaderRules.forwardRequestHeader(h)).as(h).isTrue();
    }
  }

  @Test
  void rateLimitRetryAndAzureHeadersComeBack() {
    for (String h : new String[] {"x-ratelimit-remaining-tokens", "Retry-After", "retry-after-ms", "x-request-id",
        "azure-openai-deployment-utilization", "content-type", "apim-request-id", "x-ms-spillover-from-gpt-4o-ptu"}) {
      assertThat(HeaderRules.returnResponseHeader(h)).as(h).isTrue();
    }
    for (String h : new String[] {"set-cookie", "server", "connection", "content-length", "strict-transport-security"}) {
      assertThat(HeaderRules.returnResponseHeader(h)).as(h).isFalse();
    }
  }
}
