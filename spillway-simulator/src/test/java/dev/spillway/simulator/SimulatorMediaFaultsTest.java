package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Injected faults act on images, audio and moderations as on chat. */
class SimulatorMediaFaultsTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.images("gpt-image-1"), DeploymentConfig.audio("whisper"),
        DeploymentConfig.moderation("omni-moderation-latest")));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void errorFaultsReplaceTheAnswer() {
    HttpResponse<String> image = harness.post(sim, "/v1/images/generations",
        "{\"model\":\"gpt-image-1\",\"prompt\":\"p\"}", SimulatorHandler.FAULT_HEADER, "503");
    assertThat(image.statusCode()).isEqualTo(503);
    HttpResponse<String> moderation = harness.post(sim, "/v1/moderations", "{\"input\":\"x\"}",
        SimulatorHandler.FAULT_HEADER, "content_filter");
    assertThat(SimHarness.json(moderation).path("error").path("code").asText()).isEqualTo("content_filter");
    HttpResponse<String> transcription = new MultipartBody().field("model", "whisper")
        .file("file", "a.wav", "audio/wav", MultipartBody.wav(1))
        .post(harness, sim, "/v1/audio/transcriptions", SimulatorHandler.FAULT_HEADER, "500");
    assertThat(transcription.statusCode()).isEqualTo(500);
    assertThat(sim.stats().deployment("whisper").faulted()).isPositive();
  }

  @Test
  void midstreamDropsAJsonAnswerAndCutsASpeechStream() {
    DeploymentStats before = sim.stats().deployment("whisper");
    assertThatThrownBy(() -> new MultipartBody().field("model", "whisper")
        .file("file", "a.wav", "audio/wav", MultipartBody.wav(1))
        .post(harness, sim, "/v1/audio/transcriptions", SimulatorHandler.FAULT_HEADER, "midstream"))
        .isInstanceOf(UncheckedIOException.class);

    HttpRequest speech = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/audio/speech"))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .header(SimulatorHandler.FAULT_HEADER, "midstream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"whisper\",\"voice\":\"alloy\",\"response_format\":\"wav\","
            + "\"input\":\"" + "a long sentence to read aloud ".repeat(20) + "\"}"))
        .build();
    assertThatThrownBy(() -> harness.http.send(speech, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    DeploymentStats delta = sim.stats().deployment("whisper").minus(before);
    assertThat(delta.faulted()).isEqualTo(2);
    assertThat(delta.succeeded()).isZero();
  }
}
