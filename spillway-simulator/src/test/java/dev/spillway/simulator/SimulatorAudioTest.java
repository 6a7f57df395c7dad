package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transcriptions, translations and speech over real HTTP. */
class SimulatorAudioTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.audio("whisper"), DeploymentConfig.audio("gpt-4o-transcribe"),
        DeploymentConfig.audio("tts-1"), DeploymentConfig.images("dall-e-3")));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void whisperTranscribesInEveryUrlShapeWithDurationUsage() {
    byte[] wav = MultipartBody.wav(12.5);
    JsonNode first = null;
    for (String path : new String[] {"/v1/audio/transcriptions", "/openai/v1/audio/transcriptions",
        "/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21"}) {
      MultipartBody form = new MultipartBody().file("file", "speech.wav", "audio/wav", wav);
      if (!path.startsWith("/openai/deployments")) {
        form.field("model", "whisper");
      }
      HttpResponse<String> r = form.post(harness, sim, path);

      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode json = SimHarness.json(r);
      assertThat(json.path("usage").path("type").asText()).isEqualTo("duration");
      assertThat(json.path("usage").path("seconds").asInt()).isEqualTo(13);
      int tokens = TokenCounter.count(json.path("text").asText());
      assertThat(tokens).isBetween(36, 40); // 3 tokens a second, give or take how the pieces merge
      if (first != null) {
        assertThat(json.path("text")).as("the same length gives the same text").isEqualTo(first.path("text"));
      }
      first = json;
    }
    String other = SimHarness.json(new MultipartBody().field("model", "whisper")
        .file("file", "speech.wav", "audio/wav", MultipartBody.wav(12.6))
        .post(harness, sim, "/v1/audio/transcriptions")).path("text").asText();
    assertThat(other).isNotEqualTo(first.path("text").asText());
  }

  @Test
  void transcribeModelsCountTokens() {
    DeploymentStats before = sim.stats().deployment("gpt-4o-transcribe");
    HttpResponse<String> r = new MultipartBody().field("model", "gpt-4o-transcribe").field("prompt", "Rivers and bridges")
        .file("file", "speech.wav", "audio/wav", MultipartBody.wav(4.05))
        .post(harness, sim, "/v1/audio/transcriptions");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode json = SimHarness.json(r);
    JsonNode usage = json.path("usage");
    int prompt = TokenCounter.count("Rivers and bridges");
    int output = TokenCounter.count(json.path("text").asText());
    assertThat(usage.path("type").asText()).isEqualTo("tokens");
    assertThat(usage.path("input_token_details").path("audio_tokens").asInt()).isEqualTo(41);
    assertThat(usage.path("input_token_details").path("text_tokens").asInt()).isEqualTo(prompt);
    assertThat(usage.path("input_tokens").asInt()).isEqualTo(41 + prompt);
    assertThat(usage.path("output_tokens").asInt()).isEqualTo(output).isPositive();
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(41 + prompt + output);
    assertThat(sim.stats().deployment("gpt-4o-transcribe").minus(before).completionTokens()).isEqualTo(output);

    HttpResponse<String> verbose = new MultipartBody().field("model", "gpt-4o-transcribe")
        .field("response_format", "verbose_json").file("file", "a.wav", "audio/wav", MultipartBody.wav(1))
        .post(harness, sim, "/v1/audio/transcriptions");
    assertThat(verbose.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(verbose).path("error").path("param").asText()).isEqualTo("response_format");
  }

  @Test
  void verboseJsonAndTheTextFormats() {
    MultipartBody verbose = new MultipartBody().field("model", "whisper").field("response_format", "verbose_json")
        .field("language", "fr").file("file", "speech.wav", "audio/wav", MultipartBody.wav(20));
    JsonNode json = SimHarness.json(verbose.post(harness, sim, "/v1/audio/transcriptions"));
    assertThat(json.path("task").asText()).isEqualTo("transcribe");
    assertThat(json.path("language").asText()).isEqualTo("french");
    assertThat(json.path("duration").asDouble()).isEqualTo(20.0);
    JsonNode segments = json.path("segments");
    assertThat(segments.size()).isGreaterThan(1);
    assertThat(segments.get(0).path("start").asDouble()).isZero();
    assertThat(segments.get(segments.size() - 1).path("end").asDouble()).isEqualTo(20.0);
    StringBuilder joined = new StringBuilder();
    segments.forEach(s -> joined.append(s.path("text").asText()));
    assertThat(joined.toString().strip()).isEqualTo(json.path("text").asText().strip());
    assertThat(json.path("usage").path("seconds").asInt()).isEqualTo(20);

    HttpResponse<String> srt = new MultipartBody().field("model", "whisper").field("response_format", "srt")
        .file("file", "speech.wav", "audio/wav", MultipartBody.wav(20)).post(harness, sim, "/v1/audio/transcriptions");
    assertThat(srt.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(srt.body()).startsWith("1\n00:00:00,000 --> 00:00:");
    HttpResponse<String> vtt = new MultipartBody().field("model", "whisper").field("response_format", "vtt")
        .file("file", "speech.wav", "audio/wav", MultipartBody.wav(20)).post(harness, sim, "/v1/audio/transcriptions");
    assertThat(vtt.body()).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:");
    HttpResponse<String> text = new MultipartBody().field("model", "whisper").field("response_format", "text")
        .file("file", "speech.wav", "audio/wav", MultipartBody.wav(20)).post(harness, sim, "/v1/audio/transcriptions");
    assertThat(text.body().strip()).isEqualTo(json.path("text").asText());
  }

  @Test
  void translationsAnswerEnglishTextWithoutUsage() {
    for (String path : new String[] {"/v1/audio/translations", "/openai/deployments/whisper/audio/translations?api-version=2024-10-21"}) {
      HttpResponse<String> r = new MultipartBody().field("model", "whisper").field("response_format", "verbose_json")
          .file("file", "talk.mp3", "audio/mpeg", new byte[160_000]).post(harness, sim, path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
      JsonNode json = SimHarness.json(r);
      assertThat(json.path("task").asText()).isEqualTo("translate");
      assertThat(json.path("language").asText()).isEqualTo("english");
      assertThat(json.path("duration").asDouble()).isEqualTo(10.0); // 160 kB of mp3 at 128 kbit/s
      assertThat(json.has("usage")).isFalse();
    }
  }

  @Test
  void aFiftyMegabyteUploadStreamsThroughWithoutBeingHeld() {
    long dataBytes = 50L * 1024 * 1024;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedHeapAfterGc(memory);
    AtomicLong peakGrowth = new AtomicLong();
    MultipartBody form = new MultipartBody().field("model", "whisper").field("response_format", "verbose_json")
        .streamedFile("file", "long.wav", "audio/wav", MultipartBody.wavHeader(16_000, 1, dataBytes), dataBytes,
            sent -> {
              if (sent % (10L << 20) == 0) { // every 10 MiB handed to the client, measure the heap
                peakGrowth.accumulateAndGet(usedHeapAfterGc(memory) - before, Math::max);
              }
            });

    HttpResponse<String> r = form.post(harness, sim, "/v1/audio/transcriptions");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode json = SimHarness.json(r);
    assertThat(json.path("duration").asDouble()).isCloseTo(dataBytes / 32_000.0, within(0.01)); // 1638.4 s
    assertThat(json.path("usage").path("seconds").asLong()).isEqualTo(1639);
    assertThat(peakGrowth.get()).as("heap growth while uploading, bytes").isLessThan(10L << 20);
  }

  @Test
  void speechStreamsAValidWavWhoseLengthFollowsTheInput() {
    DeploymentStats before = sim.stats().deployment("tts-1");
    String input = "The quick brown fox jumps over the lazy dog. ".repeat(3).strip(); // 134 characters
    for (String path : new String[] {"/v1/audio/speech", "/openai/v1/audio/speech",
        "/openai/deployments/tts-1/audio/speech?api-version=2025-03-01-preview"}) {
      HttpResponse<byte[]> r = speech(path, "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"response_format\":\"wav\","
          + "\"speed\":2,\"input\":\"" + input + "\"}");

      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("audio/wav");
      assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
      ByteBuffer wav = ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(new String(r.body(), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("RIFF");
      assertThat(new String(r.body(), 8, 8, StandardCharsets.ISO_8859_1)).isEqualTo("WAVEfmt ");
      int sampleRate = wav.getInt(24);
      int dataBytes = wav.getInt(40);
      assertThat(dataBytes).isEqualTo(r.body().length - 44);
      double seconds = dataBytes / 2.0 / sampleRate;
      assertThat(seconds).isCloseTo(134 / 15.0 / 2, within(0.001)); // 15 characters a second, at speed 2
    }
    assertThat(sim.stats().deployment("tts-1").minus(before).promptTokens()).isEqualTo(3 * 134);

    HttpResponse<byte[]> mp3 = speech("/v1/audio/speech", "{\"model\":\"tts-1\",\"voice\":\"nova\",\"input\":\"Hello\"}");
    assertThat(mp3.headers().firstValue("content-type")).hasValue("audio/mpeg");
    assertThat(mp3.body()[0]).isEqualTo((byte) 0xff);
    HttpResponse<byte[]> opus = speech("/v1/audio/speech",
        "{\"model\":\"tts-1\",\"voice\":\"nova\",\"input\":\"Hello\",\"response_format\":\"opus\"}");
    assertThat(opus.headers().firstValue("content-type")).hasValue("audio/opus");
    assertThat(new String(opus.body(), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("OggS");
  }

  @Test
  void refusesWhatARealServiceRefuses() {
    HttpResponse<String> json = harness.post(sim, "/v1/audio/transcriptions", "{\"model\":\"whisper\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(json).path("error").path("message").asText()).contains("multipart/form-data");
    HttpResponse<String> noFile = new MultipartBody().field("model", "whisper").post(harness, sim, "/v1/audio/transcriptions");
    assertThat(noFile.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(noFile).path("error").path("param").asText()).isEqualTo("file");
    HttpResponse<String> noModel = new MultipartBody().file("file", "a.wav", "audio/wav", MultipartBody.wav(1))
        .post(harness, sim, "/v1/audio/transcriptions");
    assertThat(SimHarness.json(noModel).path("error").path("param").asText()).isEqualTo("model");
    HttpResponse<String> images = new MultipartBody().field("model", "dall-e-3")
        .file("file", "a.wav", "audio/wav", MultipartBody.wav(1)).post(harness, sim, "/v1/audio/transcriptions");
    assertThat(SimHarness.json(images).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
    HttpResponse<String> truncated = harness.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/audio/transcriptions"))
        .header("content-type", "multipart/form-data; boundary=xyz")
        .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper"))
        .build());
    assertThat(truncated.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(truncated).path("error").path("message").asText()).contains("closing boundary");

    assertThat(harness.post(sim, "/v1/audio/speech", "{\"model\":\"tts-1\",\"voice\":\"alloy\"}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/audio/speech", "{\"model\":\"tts-1\",\"input\":\"hi\"}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/audio/speech",
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"speed\":5}").statusCode()).isEqualTo(400);
    assertThat(harness.post(sim, "/v1/audio/speech",
        "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"hi\",\"response_format\":\"ogg\"}").statusCode()).isEqualTo(400);
    assertThat(harness.get(sim, "/v1/audio/speech").statusCode()).isEqualTo(405);
  }

  private static HttpResponse<byte[]> speech(String path, String body) {
    try {
      return harness.http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
