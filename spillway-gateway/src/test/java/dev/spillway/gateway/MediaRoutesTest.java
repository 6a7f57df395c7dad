package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.DeploymentKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Image generation, speech and moderations through the gateway in front of the simulator: routed PTU first and
 * spilled like chat, answers passed on (JSON, or audio streamed), usage booked where the backend reports it.
 */
class MediaRoutesTest {
  private TestWorld world;

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.ptu("img-ptu", 60_000).withKind(DeploymentKind.IMAGES),
        DeploymentConfig.images("gpt-image-1"),
        DeploymentConfig.audio("tts"),
        DeploymentConfig.moderation("omni-moderation-latest")));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-image-1:
            backends:
              - { id: img-ptu, url: "%1$s", deployment: img-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: img-payg, url: "%1$s", deployment: gpt-image-1, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
          tts:
            backends:
              - { id: tts, url: "%1$s", deployment: tts, auth: { apiKey: %2$s }, tier: payg }
          omni-moderation-latest:
            backends:
              - { id: moderation, type: openai, url: "%1$s/v1", deployment: omni-moderation-latest, auth: { apiKey: %2$s }, tier: payg }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void imagesAreGeneratedPtuFirstAndTheirTokensBooked() throws Exception {
    HttpResponse<String> r = Http.post(world.url("/v1/images/generations"),
        "{\"model\":\"gpt-image-1\",\"prompt\":\"a lighthouse at dawn\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("img-ptu");
    JsonNode body = Http.json(r);
    assertThat(body.path("data").get(0).path("b64_json").asText()).isNotEmpty();
    RequestOutcome outcome = world.listener.requests.poll(5, TimeUnit.SECONDS);
    assertThat(outcome.operation()).isEqualTo(Operation.IMAGES_GENERATIONS);
    assertThat(outcome.usage().orElseThrow().completionTokens()).isEqualTo(body.path("usage").path("output_tokens").asLong());
    assertThat(outcome.usageEstimated()).isFalse();

    // Azure's deployment path, and a spill once the PTU is forced open
    assertThat(Http.post(world.url("/admin/backends/img-ptu/force-open"), "").statusCode()).isEqualTo(200);
    HttpResponse<String> azure = Http.post(world.url("/openai/deployments/gpt-image-1/images/generations?api-version=2025-04-01-preview"),
        "{\"prompt\":\"a lighthouse at dusk\",\"size\":\"1024x1024\",\"quality\":\"low\"}");
    assertThat(azure.statusCode()).as(azure.body()).isEqualTo(200);
    assertThat(azure.headers().firstValue("x-spillway-backend")).contains("img-payg");
  }

  @Test
  void speechIsStreamedBackAsAudio() throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(world.url("/v1/audio/speech")))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"tts\",\"input\":\"Hello from the gateway, thirty chars.\",\"voice\":\"alloy\",\"response_format\":\"wav\"}"))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("audio/wav");
    byte[] wav = r.body();
    assertThat(new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    long riffSize = ByteBuffer.wrap(wav, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    assertThat(riffSize + 8).isEqualTo(wav.length); // every byte of the clip arrived
    RequestOutcome outcome = world.listener.requests.poll(5, TimeUnit.SECONDS);
    assertThat(outcome.operation()).isEqualTo(Operation.AUDIO_SPEECH);
    assertThat(outcome.usageEstimated()).isTrue(); // TTS reports no usage: the input's tokens, marked as estimated
    assertThat(outcome.usage().orElseThrow().promptTokens()).isPositive();
  }

  @Test
  void moderationsUseOpenAisDefaultModel() throws Exception {
    HttpResponse<String> flagged = Http.post(world.url("/v1/moderations"), "{\"input\":\"simflag this text\"}");
    assertThat(flagged.statusCode()).as(flagged.body()).isEqualTo(200);
    assertThat(Http.json(flagged).path("results").get(0).path("flagged").asBoolean()).isTrue();
    HttpResponse<String> fine = Http.post(world.url("/openai/v1/moderations"),
        "{\"model\":\"omni-moderation-latest\",\"input\":[\"a kind word\"]}");
    assertThat(Http.json(fine).path("results").get(0).path("flagged").asBoolean()).isFalse();
    assertThat(Http.post(world.url("/openai/deployments/omni-moderation-latest/moderations?api-version=2024-10-21"),
        "{\"input\":\"x\"}").statusCode()).isEqualTo(404);
  }
}
