package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.OutageProxy;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin writes to consumers and gateway keys while their shared PostgreSQL store ({@code store.postgres}) cannot be
 * reached: the gateway reaches its own database through an {@link OutageProxy} that the test switches to refusing
 * connections (the machine's PostgreSQL keeps running). Every write then answers {@code 503 store_unavailable} in the
 * OpenAI shape with a Retry-After, changes nothing, and works again once the database is back.
 */
class SharedStoreOutageTest {
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";

  private String database;
  private TestWorld world;
  private OutageProxy proxy;
  private GatewayServer gateway;

  @BeforeEach
  void start() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)));
    proxy = OutageProxy.start(PostgresTestSupport.HOST, PostgresTestSupport.PORT);
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "%s", deployment: gpt-4o, auth: { apiKey: %s }, tier: payg, priority: 1 }
        consumers:
          - { id: from-config, team: t, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        admin: { apiKey: %s }
        store: { postgres: { url: "jdbc:postgresql://%s:%d/%s", user: postgres } }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY,
            Files.createTempDirectory("spillway-store-outage").resolve("keys.json"), ADMIN_KEY, proxy.host(),
            proxy.port(), database);
    SpillwayConfig config = ConfigLoader.parse(yaml, "spillway.yaml", name -> null);
    gateway = GatewayServer.start(world.vertx, config, GatewayOptions.builder().build()).await();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close().await();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return Http.send(method, gateway.baseUrl() + path, body, Map.of("api-key", ADMIN_KEY));
  }

  private HttpResponse<String> chat(String key) throws Exception {
    return Http.post(gateway.baseUrl() + "/v1/chat/completions", Http.chat("gpt-4o", false), Map.of("api-key", key));
  }

  private static void assertStoreUnavailable(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).hasValue("5");
    JsonNode error = Http.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("api_error");
    assertThat(error.path("code").asText()).isEqualTo("store_unavailable");
    assertThat(error.path("message").asText()).contains("nothing was changed").doesNotContain("jdbc").doesNotContain("SQL");
    assertThat(error.has("param")).isTrue();
  }

  @Test
  void adminWritesAnswer503WhileTheStoreIsDownAndWorkAgainAfter() throws Exception {
    assertThat(admin("PUT", "/admin/consumers/app", "{\"team\":\"t\",\"models\":[\"*\"]}").statusCode()).isEqualTo(200);
    HttpResponse<String> issued = admin("POST", "/admin/consumers/app/keys", "");
    assertThat(issued.statusCode()).isEqualTo(201);
    String keyId = Http.json(issued).path("keyId").asText();
    String key = Http.json(issued).path("key").asText();
    assertThat(chat(key).statusCode()).isEqualTo(200);
    assertThat(chat("sk-not-a-key").statusCode()).as("keys are required").isEqualTo(401);

    // A write just before the outage leaves a pooled connection that the next write takes without a check: that write
    // meets a connection broken under it (SQLSTATE 08006, and its rollback fails too), the later ones a refused one.
    assertThat(admin("PUT", "/admin/consumers/app", "{\"team\":\"t\",\"models\":[\"*\"]}").statusCode()).isEqualTo(200);
    proxy.mode(OutageProxy.Mode.REFUSE);
    assertStoreUnavailable(admin("PUT", "/admin/consumers/other", "{\"team\":\"t\",\"models\":[\"*\"]}"));
    assertStoreUnavailable(admin("POST", "/admin/consumers/app/keys", ""));
    assertStoreUnavailable(admin("POST", "/admin/keys/" + keyId + "/revoke", ""));
    assertStoreUnavailable(admin("DELETE", "/admin/consumers/app", null));
    assertThat(chat(key).statusCode()).as("keys already read keep working during the outage").isEqualTo(200);

    proxy.mode(OutageProxy.Mode.PASS);
    assertThat(Http.json(admin("GET", "/admin/consumers", null)).path("consumers").findValuesAsText("id"))
        .as("nothing was written during the outage").containsExactly("from-config", "app");
    // The store's pool may still be between connection attempts when the database comes back: a client honours the
    // Retry-After, so the write is sent again until it goes through, within twice that.
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<String> put;
    while ((put = admin("PUT", "/admin/consumers/other", "{\"team\":\"t\",\"models\":[\"*\"]}")).statusCode() != 200) {
      assertStoreUnavailable(put);
      assertThat(System.nanoTime()).as("writes never worked again").isLessThan(deadline);
      Thread.sleep(200);
    }
    HttpResponse<String> rotated = admin("POST", "/admin/consumers/app/keys", "");
    assertThat(rotated.statusCode()).isEqualTo(201);
    assertThat(chat(Http.json(rotated).path("key").asText()).statusCode()).isEqualTo(200);
    assertThat(admin("POST", "/admin/keys/" + keyId + "/revoke", "").statusCode()).isEqualTo(200);
    assertThat(chat(key).statusCode()).isEqualTo(401);
  }
}
