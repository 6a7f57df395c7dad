package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The training run of the start-up cache: a JVM started with {@code -XX:AOTCacheOutput=FILE} (JDK 25) records which
 * classes a run loads and links and how its hot methods behave, and writes them to FILE when it exits; a later JVM
 * started with {@code -XX:AOTCache=FILE} begins with those classes loaded and those profiles known, so it is ready
 * sooner and compiles the request path sooner. This command is that run: a zero-latency simulator and a gateway set up
 * as {@code serve} sets one up (its YAML read by the same loader; key auth, limits, metrics, the SQLite ledger), and a
 * few seconds of the requests a gateway serves most (chat, streamed chat, embeddings, the model list, and the refusals:
 * no key, a model the caller may not use, a malformed body). The launcher runs it once per build; nothing is kept but the cache.
 */
@Command(
    name = "train-startup",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Serve a few seconds of simulated traffic and exit: the training run of the start-up cache.")
final class TrainStartupCommand implements Callable<Integer> {
  private static final String PEPPER = "startup-training-pepper-not-a-secret";

  @Option(names = "--duration", defaultValue = "6s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long to send requests (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("spillway-training");
    Vertx vertx = Vertx.vertx();
    try {
      Path simulatorYaml = Files.writeString(dir.resolve("simulator.yaml"), """
          host: 127.0.0.1
          port: 0
          zeroLatency: true
          deployments:
            - { name: gpt-4o-ptu, kind: chat, tier: ptu, capacityTokensPerMinute: 100000000 }
            - { name: gpt-4o, kind: chat, tier: payg }
            - { name: text-embedding-3-small, kind: embeddings, tier: payg }
          """);
      Simulator simulator = Simulator.start(vertx, SimulatorConfig.load(simulatorYaml)).await();
      Path gatewayYaml = Files.writeString(dir.resolve("spillway.yaml"), gatewayYaml(simulator.baseUrl()));
      SpillwayConfig config = ConfigLoader.load(gatewayYaml);
      GatewayServer gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
      String key = gateway.keys().orElseThrow().create("training", Instant.now()).plaintext();
      Map<String, Integer> statuses = drive(gateway.baseUrl(), key, duration);
      gateway.drain().await();
      simulator.close().await();
      System.out.println("spillway: start-up training served " + statuses);
      return statuses.keySet().stream().anyMatch(s -> s.startsWith("5") || s.equals("failed")) ? 1 : 0;
    } finally {
      vertx.close().await();
      deleteTree(dir);
    }
  }

  static String gatewayYaml(String simulatorUrl) {
    return """
        server:
          listen: 127.0.0.1:0
          drainDelay: 0s
        models:
          gpt-4o:
            backends:
              - { id: ptu, type: azure, url: %1$s, deployment: gpt-4o-ptu, auth: { apiKey: training-key }, tier: ptu, priority: 1 }
              - { id: payg, type: azure, url: %1$s, deployment: gpt-4o, auth: { apiKey: training-key }, tier: payg, priority: 2 }
          text-embedding-3-small:
            backends:
              - { id: embeddings, type: azure, url: %1$s, deployment: text-embedding-3-small, auth: { apiKey: training-key }, tier: payg }
        consumers:
          - id: training
            team: training
            models: [gpt-4o, text-embedding-3-small]
            limits: { tokensPerMinute: 1000000000, requestsPerMinute: 1000000000 }
        auth:
          required: true
          keyStore: keys.json
          keyPepper: %2$s
        ledger:
          sqlite: usage.db
        """.formatted(simulatorUrl, PEPPER);
  }

  /** Sends the training requests, round after round, until {@code duration} has passed; counts answers by status. */
  private static Map<String, Integer> drive(String base, String key, Duration duration) throws InterruptedException {
    record Call(String path, String body, boolean withKey) {}
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}],\"max_tokens\":16}";
    List<Call> calls = List.of(
        new Call("/v1/chat/completions", chat, true),
        new Call("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", chat, true),
        new Call("/v1/chat/completions", chat.replace("\"max_tokens\":16", "\"max_tokens\":16,\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true}"), true),
        new Call("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\"}", true),
        new Call("/v1/models", null, true),
        new Call("/v1/chat/completions", chat, false),
        new Call("/v1/chat/completions", chat.replace("gpt-4o", "no-such-model"), true),
        new Call("/v1/chat/completions", "{\"model\":", true));
    Map<String, Integer> statuses = new TreeMap<>();
    long end = System.nanoTime() + duration.toNanos();
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      while (System.nanoTime() < end) {
        for (Call call : calls) {
          HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
              .timeout(Duration.ofSeconds(10));
          if (call.withKey()) {
            request.header("Authorization", "Bearer " + key);
          }
          request = call.body() == null ? request.GET()
              : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.body()));
          String status;
          try {
            status = Integer.toString(client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
          } catch (java.io.IOException e) {
            status = "failed";
          }
          statuses.merge(status, 1, Integer::sum);
        }
      }
    }
    return statuses;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // A temporary directory: left for the OS to clean.
    }
  }
}
