package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas in one JVM, on OS-chosen ports, sharing consumers and gateway keys through one PostgreSQL
 * database ({@code store.postgres}): what the admin API does on one replica is in force on the other within a second,
 * and a restarted replica starts with it. Each replica has its own key file directory, so nothing is shared through
 * files. Every test has its own database, dropped afterwards.
 */
class ReplicasShareConsumersAndKeysTest {
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  /** What the issue promises: a change made through one replica is in force on every replica within this. */
  private static final long PROPAGATION_MILLIS = 1_000;

  private String database;
  private TestWorld world;
  private final List<GatewayServer> replicas = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)));
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayServer replica : replicas) {
      replica.close().await();
    }
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private SpillwayConfig config(String store) throws Exception {
    return config(Files.createTempDirectory("spillway-shared-keys"), store);
  }

  /** A replica's config with its key file (and consumers.json) in {@code dir}. */
  private SpillwayConfig config(Path dir, String store) throws Exception {
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
        %s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"), ADMIN_KEY, store);
    return ConfigLoader.parse(yaml, "spillway.yaml", name -> null);
  }

  private String sharedStore() {
    return "store: { postgres: { url: \"" + PostgresTestSupport.jdbcUrl(database) + "\", user: postgres } }";
  }

  private GatewayServer replica(SpillwayConfig config) {
    GatewayServer replica = GatewayServer.start(world.vertx, config, GatewayOptions.builder().build()).await();
    replicas.add(replica);
    return replica;
  }

  /**
   * Sends one proxied request through each replica with a key of the configured consumer, so that the timed polls
   * that follow measure how fast a change travels, not a cold first request (connections, compilation).
   */
  private static void warmUp(GatewayServer issuer, GatewayServer... others) throws Exception {
    String[] key = issue(issuer, "from-config");
    assertThat(chat(issuer, key[1]).statusCode()).isEqualTo(200);
    for (GatewayServer other : others) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (chat(other, key[1]).statusCode() != 200) {
        assertThat(System.nanoTime()).as("warm-up key never accepted").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  private static HttpResponse<String> admin(GatewayServer via, String method, String path, String body) throws Exception {
    return Http.send(method, via.baseUrl() + path, body, Map.of("api-key", ADMIN_KEY));
  }

  private static HttpResponse<String> chat(GatewayServer via, String key) throws Exception {
    return Http.post(via.baseUrl() + "/v1/chat/completions", Http.chat("gpt-4o", false), Map.of("api-key", key));
  }

  /** Adds a consumer and issues its key through {@code via}'s admin API; answers {keyId, key}. */
  private static String[] consumerWithKey(GatewayServer via, String id) throws Exception {
    HttpResponse<String> put = admin(via, "PUT", "/admin/consumers/" + id, "{\"team\":\"marketing\",\"models\":[\"gpt-*\"]}");
    assertThat(put.statusCode()).isEqualTo(200);
    return issue(via, id);
  }

  private static String[] issue(GatewayServer via, String id) throws Exception {
    HttpResponse<String> created = admin(via, "POST", "/admin/consumers/" + id + "/keys", "");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = Http.json(created);
    return new String[] {body.path("keyId").asText(), body.path("key").asText()};
  }

  /**
   * Polls {@code via} with {@code key} until the status is what {@code wanted} accepts; fails past the propagation
   * bound, counted from the call to the end of the answering request. Answers that response and the time, in ms.
   */
  private static Polled until(GatewayServer via, String key, IntPredicate wanted) throws Exception {
    long start = System.nanoTime();
    while (true) {
      HttpResponse<String> r = chat(via, key);
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsed).as("answered %d after %d ms: %s", r.statusCode(), elapsed, r.body()).isLessThan(PROPAGATION_MILLIS);
      if (wanted.test(r.statusCode())) {
        return new Polled(r, elapsed);
      }
      Thread.sleep(20);
    }
  }

  private record Polled(HttpResponse<String> response, long millis) {}

  private static void assertRefusedAsUnauthorized(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).isEqualTo(401);
    JsonNode error = Http.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(error.has("message")).isTrue();
    assertThat(error.has("param")).isTrue();
  }

  @Test
  void aConsumerAndKeyAddedOnOneReplicaWorkOnTheOtherWithinASecond() throws Exception {
    SpillwayConfig config = config(sharedStore());
    GatewayServer a = replica(config);
    GatewayServer b = replica(config);
    warmUp(a, b);

    String[] key = consumerWithKey(a, "new-app");
    Polled onB = until(b, key[1], status -> status == 200);

    assertThat(onB.millis()).isLessThan(PROPAGATION_MILLIS);
    assertThat(Http.json(admin(b, "GET", "/admin/consumers", null)).path("consumers").findValuesAsText("id"))
        .containsExactly("from-config", "new-app");
    assertThat(admin(b, "GET", "/admin/consumers", null).body()).contains(key[0]).doesNotContain(key[1]);
  }

  @Test
  void aKeyRevokedOrRotatedOnOneReplicaIsRefusedOnTheOtherWithinASecond() throws Exception {
    SpillwayConfig config = config(sharedStore());
    GatewayServer a = replica(config);
    GatewayServer b = replica(config);
    warmUp(a, b);
    String[] first = consumerWithKey(a, "new-app");
    until(b, first[1], status -> status == 200);

    // Rotation on B: the new key and the newest previous one stay valid; a second rotation retires the first key.
    String[] second = issue(b, "new-app");
    String[] third = issue(b, "new-app");
    assertRefusedAsUnauthorized(until(a, first[1], status -> status == 401).response());
    assertThat(until(a, third[1], status -> status == 200).millis()).isLessThan(PROPAGATION_MILLIS);
    assertThat(chat(a, second[1]).statusCode()).isEqualTo(200);

    // Revocation on B.
    assertThat(admin(b, "POST", "/admin/keys/" + second[0] + "/revoke", "").statusCode()).isEqualTo(200);
    assertThat(chat(b, second[1]).statusCode()).as("at once on the replica that revoked").isEqualTo(401);
    Polled refused = until(a, second[1], status -> status == 401);
    assertRefusedAsUnauthorized(refused.response());
    assertThat(refused.response().body()).doesNotContain(second[1]);
    assertThat(chat(a, third[1]).statusCode()).isEqualTo(200);
  }

  @Test
  void aConsumerRemovedOnOneReplicaLosesAccessOnTheOther() throws Exception {
    SpillwayConfig config = config(sharedStore());
    GatewayServer a = replica(config);
    GatewayServer b = replica(config);
    warmUp(a, b);
    String[] key = consumerWithKey(a, "short-lived");
    until(b, key[1], status -> status == 200);

    HttpResponse<String> deleted = admin(b, "DELETE", "/admin/consumers/short-lived", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(Http.json(deleted).path("revokedKeyIds").size()).isEqualTo(1);
    assertThat(Http.json(deleted).path("revokedKeyIds").get(0).asText()).isEqualTo(key[0]);

    assertRefusedAsUnauthorized(until(a, key[1], status -> status == 401).response());
    assertThat(admin(a, "GET", "/admin/consumers", null).body()).doesNotContain("short-lived");
  }

  @Test
  void aReplicaStartedLaterOrRestartedHasEverythingAtOnce() throws Exception {
    SpillwayConfig config = config(sharedStore());
    GatewayServer a = replica(config);
    String[] kept = consumerWithKey(a, "new-app");
    String[] revoked = issue(a, "new-app");
    assertThat(admin(a, "POST", "/admin/keys/" + revoked[0] + "/revoke", "").statusCode()).isEqualTo(200);
    a.close().await();
    replicas.remove(a);

    GatewayServer restarted = replica(config(sharedStore())); // a new key file directory: nothing read from files
    assertThat(chat(restarted, kept[1]).statusCode()).isEqualTo(200);
    assertRefusedAsUnauthorized(chat(restarted, revoked[1]));
    assertThat(admin(restarted, "GET", "/admin/consumers", null).body()).contains("\"id\":\"new-app\"", "\"source\":\"api\"");
  }

  @Test
  void theDatabaseHoldsHashesButNoKey() throws Exception {
    GatewayServer a = replica(config(sharedStore()));
    String[] key = consumerWithKey(a, "new-app");

    StringBuilder rows = new StringBuilder();
    try (Connection c = PostgresTestSupport.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key_id || consumer_id || encode(salt, 'base64') || encode(hash, 'base64')"
            + " FROM spillway_store.gateway_keys UNION ALL SELECT body::text FROM spillway_store.consumers")) {
      while (rs.next()) {
        rows.append(rs.getString(1)).append('\n');
      }
    }
    assertThat(rows.toString()).contains(key[0], "new-app", "marketing")
        .doesNotContain(key[1], key[1].substring(("sk-spw-" + key[0] + "_").length()), "pepper-0123456789abcdef");
  }

  private String ledger() throws Exception {
    Path spill = Files.createTempDirectory("spillway-shared-keys-spill");
    return "ledger: { spillDirectory: \"" + spill + "\", postgres: { url: \"" + PostgresTestSupport.jdbcUrl(database)
        + "\", user: postgres } }";
  }

  @Test
  void withoutAStoreSectionReplicasShareThroughTheLedgersDatabaseBesideTheLedger() throws Exception {
    SpillwayConfig config = config(ledger());
    GatewayServer a = replica(config);
    GatewayServer b = replica(config);
    warmUp(a, b);

    String[] key = consumerWithKey(a, "new-app");
    until(b, key[1], status -> status == 200);
    a.close().await();
    b.close().await();
    replicas.clear();

    // Both migrations live in one database, each with its own history: the ledger's usage rows are there too.
    assertThat(PostgresTestSupport.queryLong(database, "SELECT COUNT(*) FROM usage WHERE consumer = 'new-app'")).isGreaterThan(0);
    assertThat(PostgresTestSupport.queryLong(database, "SELECT COUNT(*) FROM spillway_store.gateway_keys WHERE consumer_id = 'new-app'")).isEqualTo(1);
  }

  @Test
  void storeFileKeepsConsumersAndKeysInFilesEvenWithALedgerDatabase() throws Exception {
    SpillwayConfig config = config(ledger() + "\n" + "store: file");
    GatewayServer a = replica(config);
    GatewayServer b = replica(config(ledger() + "\n" + "store: file"));
    String[] key = consumerWithKey(a, "new-app");

    assertThat(chat(a, key[1]).statusCode()).isEqualTo(200);
    assertRefusedAsUnauthorized(chat(b, key[1]));
    assertThat(admin(b, "GET", "/admin/consumers", null).body()).doesNotContain("new-app");
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'spillway_store'")).isZero();
  }

  @Test
  void movingFromFilesToTheSharedStoreCopiesTheFilesOnce() throws Exception {
    Path dir = Files.createTempDirectory("spillway-shared-keys-move");
    GatewayServer onFiles = replica(config(dir, "store: file"));
    String[] kept = consumerWithKey(onFiles, "new-app");
    String[] revoked = issue(onFiles, "new-app");
    assertThat(admin(onFiles, "POST", "/admin/keys/" + revoked[0] + "/revoke", "").statusCode()).isEqualTo(200);
    onFiles.close().await();
    replicas.remove(onFiles);

    GatewayServer a = replica(config(dir, sharedStore()));
    assertThat(chat(a, kept[1]).statusCode()).isEqualTo(200);
    assertRefusedAsUnauthorized(chat(a, revoked[1]));
    assertThat(admin(a, "GET", "/admin/consumers", null).body()).contains("\"id\":\"new-app\"");

    // Written since: a replica started on the same files later does not copy them again (the revoked key stays so).
    assertThat(admin(a, "DELETE", "/admin/consumers/new-app", null).statusCode()).isEqualTo(200);
    GatewayServer b = replica(config(dir, sharedStore()));
    assertRefusedAsUnauthorized(chat(b, kept[1]));
    assertThat(admin(b, "GET", "/admin/consumers", null).body()).doesNotContain("new-app");
    assertThat(PostgresTestSupport.queryLong(database, "SELECT COUNT(*) FROM spillway_store.gateway_keys")).isEqualTo(2);
  }
}
