package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} Node SDK (6.x, pinned by {@code src/test/node-sdk/package-lock.json}) against the
 * gateway, in front of two simulators — the PTU deployment on one, the PAYG deployment on the other, so a stored
 * response really exists on one backend only: {@code sdk-check.mjs} creates responses (plain, streamed, continued
 * with {@code previous_response_id} after a spill), retrieves, lists input items, deletes, checks that a second
 * consumer gets 404 for the first one's response, and uses the {@code AzureOpenAI} client.
 *
 * <p>Needs {@code node} and {@code npm ci} done in {@code src/test/node-sdk} ({@code scripts/ensure-node-sdk.sh},
 * sourced by {@code test.sh}, does it). Without them the test is skipped, except under CI, where it fails.
 */
class NodeSdkTest {
  private TestWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void responsesApiThroughTheOfficialNodeSdk() throws Exception {
    Path sdkDir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/node-sdk").toAbsolutePath();
    Optional<Path> node = onPath("node");
    boolean ready = node.isPresent() && Files.isDirectory(sdkDir.resolve("node_modules/openai"));
    if (!ready) {
      if (System.getenv("CI") != null) {
        fail("node and " + sdkDir + "/node_modules (npm ci) are needed; scripts/ensure-node-sdk.sh installs them");
      }
      Assumptions.abort("node or the openai npm package is missing (run npm ci in " + sdkDir + ")");
    }
    Path dir = Files.createTempDirectory("spillway-node-sdk");
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("gpt-4o-ptu", 6_000_000),
        DeploymentConfig.ptu("rt-ptu", 6_000_000), DeploymentConfig.images("gpt-image-1"), DeploymentConfig.audio("tts"),
        DeploymentConfig.audio("whisper")));
    world.simulateOther(List.of(DeploymentConfig.payg("gpt-4o-payg", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%s", deployment: gpt-4o-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1, apiVersion: 2025-04-01-preview }
              - { id: payg, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: 2025-04-01-preview }
          gpt-4o-realtime:
            backends:
              - { id: rt, url: "%5$s", deployment: rt-ptu, auth: { apiKey: %2$s }, tier: ptu, apiVersion: v1 }
          gpt-image-1:
            backends:
              - { id: img, url: "%5$s", deployment: gpt-image-1, auth: { apiKey: %2$s }, tier: payg, apiVersion: v1 }
          tts:
            backends:
              - { id: tts, url: "%5$s", deployment: tts, auth: { apiKey: %2$s }, tier: payg, apiVersion: v1 }
          whisper:
            backends:
              - { id: whisper, url: "%5$s", deployment: whisper, auth: { apiKey: %2$s }, tier: payg, apiVersion: v1 }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: intruder, team: u, models: ["*"] }
        auth:
          keyStore: %7$s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, world.otherUrl(), Backends.BACKEND_KEY, world.simUrl(),
            Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore keys = world.gateway.keys().orElseThrow();
    String key = keys.create("app", Instant.now()).plaintext();
    String otherKey = keys.create("intruder", Instant.now()).plaintext();

    String output;
    try {
      output = run(node.get(), sdkDir, world.gateway.baseUrl(), key, otherKey);
    } catch (AssertionError failed) {
      world.listener.attempts.forEach(a -> System.err.println("attempt: " + a)); // which backend got what
      throw failed;
    }
    Map<String, JsonNode> checks = new HashMap<>();
    for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode check = Http.JSON.readTree(line);
      checks.put(check.path("check").asText(), check);
    }
    assertThat(checks).as("sdk-check.mjs output:%n%s", output).containsKey("done");

    JsonNode stream = checks.get("stream");
    assertThat(stream.path("first").asText()).isEqualTo("response.created");
    assertThat(stream.path("usage").path("output_tokens").asLong()).isPositive();
    JsonNode continued = checks.get("previous_response_id");
    assertThat(continued.path("first").asText()).isEqualTo("payg");
    assertThat(continued.path("second").asText()).isEqualTo("payg");
    assertThat(continued.path("fresh").asText()).isEqualTo("ptu");
    assertThat(checks.get("ownership").path("retrieve").asInt()).isEqualTo(404);

    // What the gateway booked: the streamed response with the usage of its final event, every call by operation.
    List<RequestOutcome> outcomes = List.copyOf(world.listener.requests);
    RequestOutcome streamed = outcomes.stream()
        .filter(o -> o.stream() && o.operation() == dev.spillway.core.api.Operation.RESPONSES)
        .findFirst().orElseThrow();
    assertThat(streamed.usage().orElseThrow().completionTokens())
        .isEqualTo(stream.path("usage").path("output_tokens").asLong());
    assertThat(streamed.usageEstimated()).isFalse();
    assertThat(outcomes).extracting(o -> o.operation() == null ? "" : o.operation().label())
        .contains("responses", "responses.retrieve", "responses.input_items", "responses.delete");
    assertThat(checks.get("images").path("bytes").asLong()).isPositive();
    assertThat(checks.get("speech").path("contentType").asText()).startsWith("audio/wav");
    JsonNode realtime = checks.get("realtime");
    TestWorld.await("the realtime response booked", () -> world.listener.requests.stream()
        .anyMatch(o -> o.operation() == dev.spillway.core.api.Operation.REALTIME_RESPONSE));
    RequestOutcome turn = world.listener.requests.stream()
        .filter(o -> o.operation() == dev.spillway.core.api.Operation.REALTIME_RESPONSE).findFirst().orElseThrow();
    assertThat(turn.usage().orElseThrow().completionTokens()).isEqualTo(realtime.path("usage").path("output_tokens").asLong());
    assertThat(checks.get("transcription").path("chars").asInt()).isPositive();

    // Files and a batch to completion: the intruder sees none of them; the batch's tokens are booked once.
    JsonNode batch = checks.get("batch");
    assertThat(batch.path("completed").asInt()).isEqualTo(2);
    assertThat(batch.path("lines").asInt()).isEqualTo(2);
    assertThat(batch.path("mine")).extracting(JsonNode::asText)
        .contains(batch.path("file").asText(), batch.path("output").asText());
    assertThat(batch.path("theirs")).isEmpty();
    assertThat(batch.path("theirBatches")).isEmpty();
    assertThat(batch.path("otherFile").asInt()).isEqualTo(404);
    assertThat(batch.path("otherBatch").asInt()).isEqualTo(404);
    assertThat(batch.path("otherContent").asInt()).isEqualTo(404);
    TestWorld.await("the batch's usage booked", () -> world.listener.requests.stream()
        .anyMatch(o -> o.operation() == dev.spillway.core.api.Operation.BATCH_OUTPUT));
    RequestOutcome booked = world.listener.requests.stream()
        .filter(o -> o.operation() == dev.spillway.core.api.Operation.BATCH_OUTPUT).findFirst().orElseThrow();
    assertThat(booked.usage().orElseThrow().promptTokens()).isEqualTo(batch.path("promptTokens").asLong());
    assertThat(booked.usage().orElseThrow().completionTokens()).isEqualTo(batch.path("completionTokens").asLong());
    assertThat(List.copyOf(world.listener.requests)).extracting(o -> o.operation() == null ? "" : o.operation().label())
        .contains("audio/transcriptions", "files.create", "batches.create", "batches.retrieve", "files.content",
            "files.list", "batches.list", "batches.output");
    assertThat(List.copyOf(world.listener.requests)).filteredOn(o -> o.caller().consumer().equals("intruder"))
        .allSatisfy(o -> assertThat(o.status()).isIn(200, 404)); // its own (empty) lists, and 404 for the rest
    assertThat(List.copyOf(world.listener.requests)).filteredOn(o -> o.caller().consumer().equals("intruder"))
        .filteredOn(o -> o.status() == 200)
        .allSatisfy(o -> assertThat(o.operation().listsObjects()).isTrue());
  }

  private static String run(Path node, Path dir, String url, String key, String otherKey) throws Exception {
    Process check = new ProcessBuilder(node.toString(), "sdk-check.mjs", "--url", url, "--key", key, "--other-key", otherKey)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Thread pump = new Thread(() -> {
      try {
        check.getInputStream().transferTo(log);
      } catch (IOException ignored) {
        // the process ended
      }
    });
    pump.start();
    if (!check.waitFor(120, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      fail("sdk-check.mjs did not finish; its output:\n" + log.toString(StandardCharsets.UTF_8));
    }
    pump.join(5_000);
    String output = log.toString(StandardCharsets.UTF_8);
    assertThat(check.exitValue()).as("sdk-check.mjs output:%n%s", output).isZero();
    return output;
  }

  private static Optional<Path> onPath(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry).resolve(program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
