package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas in front of the same backends: with {@code objects.store: redis} a response created through
 * one is found, owned and routed through the other; with the default in-memory store it is not (each replica knows
 * its own). Redis unreachable: calls on objects answer 503, creating still works.
 */
class ReplicasShareObjectsTest {
  private TestWorld world;
  private GatewayServer second;

  @AfterEach
  void stop() throws Exception {
    if (second != null) {
      second.close().await();
    }
    if (world != null) {
      RedisTestSupport.deleteKeys(world.vertx, "spillway:test:replicas:*");
      world.close();
    }
  }

  private SpillwayConfig config(Path keys, String objects) {
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%s", deployment: gpt-4o-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1, apiVersion: v1 }
              - { id: payg, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: v1 }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: intruder, team: u, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        %s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, world.otherUrl(), Backends.BACKEND_KEY, keys, objects);
    return ConfigLoader.parse(yaml, "spillway.yaml", name -> null);
  }

  /** Two replicas sharing the key store (as replicas share a volume); returns {app key, intruder key}. */
  private String[] start(String objects) throws Exception {
    Path dir = Files.createTempDirectory("spillway-replicas");
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("gpt-4o-ptu", 6_000_000)));
    world.simulateOther(List.of(DeploymentConfig.payg("gpt-4o-payg", 10_000_000, 100_000)));
    SpillwayConfig config = config(dir.resolve("keys.json"), objects);
    world.gateway(config);
    KeyStore keys = world.gateway.keys().orElseThrow();
    String[] made = {keys.create("app", Instant.now()).plaintext(), keys.create("intruder", Instant.now()).plaintext()};
    second = GatewayServer.start(world.vertx, config, GatewayOptions.builder().build()).await();
    return made;
  }

  private static HttpResponse<String> call(GatewayServer via, String method, String path, String body, String key)
      throws Exception {
    return Http.send(method, via.baseUrl() + path, body, Map.of("api-key", key));
  }

  private static String createdOnPayg(GatewayServer via, String key) throws Exception {
    assertThat(Http.post(via.baseUrl() + "/admin/backends/ptu/force-open", "").statusCode()).isEqualTo(200);
    HttpResponse<String> r = call(via, "POST", "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}", key);
    assertThat(Http.post(via.baseUrl() + "/admin/backends/ptu/reset", "").statusCode()).isEqualTo(200);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("payg");
    return Http.json(r).path("id").asText();
  }

  @Test
  void withRedisEveryReplicaFindsTheOwnerAndTheBackend() throws Exception {
    RedisTestSupport.requireRedis();
    String prefix = "spillway:test:replicas:" + UUID.randomUUID() + ":";
    String[] keys = start("objects: { store: redis, redisUrl: \"redis://127.0.0.1:6379\", keyPrefix: \"" + prefix + "\" }");
    String id = createdOnPayg(world.gateway, keys[0]);

    HttpResponse<String> read = call(second, "GET", "/v1/responses/" + id, null, keys[0]);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("x-spillway-backend")).contains("payg");
    HttpResponse<String> next = call(second, "POST", "/v1/responses",
        "{\"model\":\"gpt-4o\",\"input\":\"and then?\",\"previous_response_id\":\"" + id + "\"}", keys[0]);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.headers().firstValue("x-spillway-backend")).contains("payg");
    assertThat(call(second, "GET", "/v1/responses/" + id, null, keys[1]).statusCode()).isEqualTo(404);
  }

  @Test
  void inMemoryEachReplicaKnowsOnlyItsOwn() throws Exception {
    String[] keys = start("");
    String id = createdOnPayg(world.gateway, keys[0]);
    assertThat(call(world.gateway, "GET", "/v1/responses/" + id, null, keys[0]).statusCode()).isEqualTo(200);
    assertThat(call(second, "GET", "/v1/responses/" + id, null, keys[0]).statusCode()).isEqualTo(404);
  }

  @Test
  void anUnreachableRegistryAnswers503ForObjectsOnly() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String[] keys = start("objects: { store: redis, redisUrl: \"redis://127.0.0.1:" + closedPort + "\" }");
    HttpResponse<String> created = call(world.gateway, "POST", "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\"}", keys[0]);
    assertThat(created.statusCode()).isEqualTo(200); // the answer is the backend's; only its record could not be made
    HttpResponse<String> read = call(world.gateway, "GET", "/v1/responses/" + Http.json(created).path("id").asText(), null, keys[0]);
    assertThat(read.statusCode()).isEqualTo(503);
    assertThat(Http.json(read).path("error").path("code").asText()).isEqualTo("objects_unavailable");
    assertThat(read.body()).doesNotContain(String.valueOf(closedPort)); // no infrastructure detail for clients
    HttpResponse<String> chat = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", keys[0]));
    assertThat(chat.statusCode()).isEqualTo(200);
  }
}
