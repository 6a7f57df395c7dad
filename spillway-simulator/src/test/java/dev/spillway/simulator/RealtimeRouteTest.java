package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RealtimeRouteTest {

  @Test
  void theThreeRealtimeUrlsAndNothingElse() {
    assertThat(RealtimeRoute.match("/v1/realtime")).contains(RealtimeRoute.OPENAI);
    assertThat(RealtimeRoute.match("/v1/realtime/")).contains(RealtimeRoute.OPENAI);
    assertThat(RealtimeRoute.match("/openai/v1/realtime")).contains(RealtimeRoute.AZURE_V1);
    assertThat(RealtimeRoute.match("/openai/realtime")).contains(RealtimeRoute.AZURE_PREVIEW);
    for (String other : new String[] {"/v1/realtime/sessions", "/openai/deployments/gpt-4o/realtime", "/realtime",
        "/v1/chat/completions", "/openai/realtimex"}) {
      assertThat(RealtimeRoute.match(other)).as(other).isEmpty();
    }
  }

  @Test
  void azurePreviewNamesTheDeploymentAndNeedsAnApiVersion() {
    assertThat(RealtimeRoute.AZURE_PREVIEW.deploymentParam()).isEqualTo("deployment");
    assertThat(RealtimeRoute.AZURE_PREVIEW.classicAzure()).isTrue();
    assertThat(RealtimeRoute.AZURE_V1.deploymentParam()).isEqualTo("model");
    assertThat(RealtimeRoute.AZURE_V1.classicAzure()).isFalse();
    assertThat(RealtimeRoute.OPENAI.azure()).isFalse();
  }

  @Test
  void gaUnlessThePreviewUrlOrTheBetaHeader() {
    assertThat(RealtimeRoute.OPENAI.dialect(null)).isEqualTo(RealtimeDialect.GA);
    assertThat(RealtimeRoute.AZURE_V1.dialect("assistants=v2")).isEqualTo(RealtimeDialect.GA);
    assertThat(RealtimeRoute.OPENAI.dialect("realtime=v1")).isEqualTo(RealtimeDialect.BETA);
    assertThat(RealtimeRoute.AZURE_V1.dialect("Realtime = v1")).isEqualTo(RealtimeDialect.BETA);
    assertThat(RealtimeRoute.AZURE_PREVIEW.dialect(null)).isEqualTo(RealtimeDialect.BETA);
  }

  @Test
  void audioTokensAreTenASecondRoundedUp() {
    assertThat(RealtimeConversation.audioTokens(48_000, RealtimeDialect.PCM16_BYTES_PER_SECOND)).isEqualTo(10);
    assertThat(RealtimeConversation.audioTokens(4_801, RealtimeDialect.PCM16_BYTES_PER_SECOND)).isEqualTo(2);
    assertThat(RealtimeConversation.audioTokens(8_000, RealtimeDialect.G711_BYTES_PER_SECOND)).isEqualTo(10);
    com.fasterxml.jackson.databind.node.ObjectNode beta = RealtimeDialect.BETA.defaultSession("s", "m", 0);
    beta.put("input_audio_format", "g711_ulaw");
    assertThat(RealtimeDialect.BETA.inputAudioBytesPerSecond(beta)).isEqualTo(RealtimeDialect.G711_BYTES_PER_SECOND);
    assertThat(RealtimeDialect.GA.inputAudioBytesPerSecond(RealtimeDialect.GA.defaultSession("s", "m", 0)))
        .isEqualTo(RealtimeDialect.PCM16_BYTES_PER_SECOND);
  }
}
