package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.DeploymentKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads through the gateway (audio transcriptions and translations, image edits) in front of the simulator: the
 * form is spooled to disk, its model read wherever the field stands, the file streamed to the backend (again to the
 * next one after a refusal), the model field rewritten for a backend that names its own, and the spool deleted.
 */
class UploadRoutesTest {
  private static final String BOUNDARY = TestUploads.BOUNDARY;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir
  Path dir;
  private TestWorld world;

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.ptu("whisper-ptu", 60).withKind(DeploymentKind.AUDIO),
        DeploymentConfig.audio("whisper-1"),
        DeploymentConfig.audio("gpt-4o-transcribe"),
        DeploymentConfig.images("gpt-image-1")));
    String yaml = """
        server: { listen: "127.0.0.1:0", maxBodyBytes: 160MiB }
        models:
          whisper:
            backends:
              - { id: whisper-ptu, url: "%1$s", deployment: whisper-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: whisper-payg, type: openai, url: "%1$s/v1", deployment: whisper-1, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
          transcribe:
            backends:
              - { id: transcribe, url: "%1$s", deployment: gpt-4o-transcribe, auth: { apiKey: %2$s }, tier: payg, apiVersion: v1 }
          gpt-image-1:
            backends:
              - { id: img, url: "%1$s", deployment: gpt-image-1, auth: { apiKey: %2$s }, tier: payg }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Path wav(double seconds) throws IOException {
    return TestUploads.wav(dir, seconds);
  }

  private static HttpRequest.BodyPublisher form(Path file, String fileField, String... fields) throws IOException {
    return TestUploads.form(file, fileField, fields);
  }

  private HttpResponse<String> upload(String path, HttpRequest.BodyPublisher body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(world.url(path))).timeout(Duration.ofSeconds(60))
        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY).POST(body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The gateway's spool files in the temporary directory: regular files only, so that a directory of the same prefix
   * (another tool's, such as a benchmark's working directory on the same machine) is not counted as one.
   */
  private static long spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().startsWith("spillway-upload-") && Files.isRegularFile(p))
          .count();
    }
  }

  @Test
  void aTranscriptionSpillsWithItsFileAndTheModelRenamedForTheBackend() throws Exception {
    // The first upload fills the PTU's 60 tokens a minute (40 s of audio are about 400); the second gets its 429 and
    // goes again to PAYG, an OpenAI-type backend that reads the model from the form ("whisper" becomes "whisper-1").
    assertThat(upload("/v1/audio/transcriptions", form(wav(40), "file", "model", "whisper")).headers()
        .firstValue("x-spillway-backend")).contains("whisper-ptu");
    world.listener.requests.poll(5, TimeUnit.SECONDS);
    HttpResponse<String> r = upload("/v1/audio/transcriptions",
        form(wav(40), "file", "model", "whisper", "response_format", "verbose_json"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("whisper-payg");
    assertThat(Http.JSON.readTree(r.body()).path("duration").asDouble()).isEqualTo(40.0);
    RequestOutcome outcome = world.listener.requests.poll(5, TimeUnit.SECONDS);
    assertThat(outcome.operation()).isEqualTo(Operation.AUDIO_TRANSCRIPTIONS);
    assertThat(outcome.attempts()).isEqualTo(2);
  }

  @Test
  void tokenUsageIsBookedAndTextAnswersPassThrough() throws Exception {
    HttpResponse<String> json = upload("/openai/v1/audio/transcriptions", form(wav(3), "file", "model", "transcribe"));
    assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
    JsonNode usage = Http.JSON.readTree(json.body()).path("usage");
    RequestOutcome outcome = world.listener.requests.poll(5, TimeUnit.SECONDS);
    assertThat(outcome.usage().orElseThrow().promptTokens()).isEqualTo(usage.path("input_tokens").asLong());
    assertThat(outcome.usage().orElseThrow().completionTokens()).isEqualTo(usage.path("output_tokens").asLong());

    HttpResponse<String> text = upload("/openai/deployments/whisper/audio/translations?api-version=2024-10-21",
        form(wav(2), "file", "response_format", "text"));
    assertThat(text.statusCode()).as(text.body()).isEqualTo(200);
    assertThat(text.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(text.body()).isNotBlank();
  }

  @Test
  void anImageEditGoesAsAForm() throws Exception {
    Path png = dir.resolve("in.png");
    Files.write(png, java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
    HttpResponse<String> r = upload("/v1/images/edits",
        form(png, "image", "model", "gpt-image-1", "prompt", "add a lighthouse", "size", "1024x1024", "quality", "low"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Http.JSON.readTree(r.body()).path("data").get(0).path("b64_json").asText()).isNotEmpty();
  }

  @Test
  void badUploadsAreRefusedAndNothingIsLeftOnDisk() throws Exception {
    HttpResponse<String> json = Http.post(world.url("/v1/audio/transcriptions"), "{\"model\":\"whisper\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(Http.json(json).path("error").path("code").asText()).isEqualTo("invalid_content_type");
    HttpResponse<String> noModel = upload("/v1/audio/transcriptions", form(wav(1), "file"));
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(Http.json(noModel).path("error").path("param").asText()).isEqualTo("model");
    HttpResponse<String> cut = CLIENT.send(HttpRequest.newBuilder(URI.create(world.url("/v1/audio/transcriptions")))
        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(cut.statusCode()).isEqualTo(400);
    assertThat(Http.json(cut).path("error").path("code").asText()).isEqualTo("invalid_multipart");
    TestWorld.await("spool files deleted", () -> {
      try {
        return spoolFiles() == 0;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /**
   * A 100 MiB upload is never held whole: this JVM's live heap (the gateway's and the simulator's, both streaming it)
   * grows by far less than the file while it passes. Sampled every 50 ms after a full collection, against the heap
   * before.
   */
  @Test
  void aHundredMebibyteUploadDoesNotLandOnTheHeap() throws Exception {
    Path big = wav(100.0 * 1024 * 1024 / 32_000);
    assertThat(Files.size(big)).isGreaterThan(100L * 1024 * 1024);
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        System.gc();
        long g = memory.getHeapMemoryUsage().getUsed() - baseline;
        peak.accumulateAndGet(g, Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    // The client is curl, another process, so that this JVM's heap holds the gateway and the simulator only.
    Path answer = dir.resolve("answer.json");
    Process curl = new ProcessBuilder("curl", "-sS", "-o", answer.toString(), "-w", "%{http_code}",
        "-F", "file=@" + big + ";type=audio/wav", "-F", "model=transcribe",
        world.url("/openai/v1/audio/transcriptions")).redirectErrorStream(true).start();
    String status;
    try {
      status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(status).as(Files.exists(answer) ? Files.readString(answer) : "").isEqualTo("200");
    System.out.printf("100 MiB upload: live heap grew by at most %.1f MiB over %.1f MiB%n",
        peak.get() / 1048576.0, baseline / 1048576.0);
    // Measured here 20-31 MiB for the gateway and the simulator together, both streaming the file; holding it once
    // would be 100 MiB. The gateway's own share, in a process of its own, is bench/run-upload-memory's figure.
    assertThat(peak.get()).as("live heap growth while 100 MiB passed, bytes").isLessThan(48L * 1024 * 1024);
  }
}
