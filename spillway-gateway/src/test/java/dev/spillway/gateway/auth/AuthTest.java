package dev.spillway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.JwtIssuerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every client and admin authentication outcome, through real HTTP against a simulator and a loopback JWKS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthTest {
  private static final String PEPPER = "pepper-0123456789abcdef";
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  private static final String BACKEND_KEY = "backend-key-for-auth-test";
  private static final String ISSUER = "https://login.example.test/tenant/v2.0";
  private static final String AUDIENCE = "api://spillway";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Path dir;
  private Vertx vertx;
  private Simulator simulator;
  private HttpServer jwks;
  private GatewayServer gateway;
  private RSAKey signingKey;
  private Path keyFile;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("spillway-auth-test");
    vertx = Vertx.vertx();
    simulator = Simulator.start(vertx, SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(BACKEND_KEY)
        .deployment(DeploymentConfig.payg("chat", 10_000_000, 100_000))
        .deployment(DeploymentConfig.embeddings("emb", 8)).build()).await();
    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    String jwksJson = new JWKSet(signingKey.toPublicJWK()).toString();
    jwks = vertx.createHttpServer().requestHandler(r -> r.response().putHeader("content-type", "application/json").end(jwksJson))
        .listen(0, "127.0.0.1").await();

    keyFile = dir.resolve("keys.json");
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    models.put("gpt-4o", ModelConfig.builder()
        .name("gpt-4o")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("chat-1", "chat")))
        .build());
    models.put("text-embedding-3-small", ModelConfig.builder()
        .name("text-embedding-3-small")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("emb-1", "emb")))
        .build());
    List<ConsumerConfig> consumers = List.of(
        ConsumerConfig.builder()
            .id("search-app")
            .team("retail")
            .models(List.of("gpt-4o"))
            .priorityClass(PriorityClass.STANDARD)
            .jwtSubjects(List.of("app-123"))
            .build(),
        ConsumerConfig.builder()
            .id("indexer")
            .team("finance")
            .models(List.of("text-embedding-*"))
            .priorityClass(PriorityClass.BATCH)
            .build());
    JwtIssuerConfig issuer = JwtIssuerConfig.of(ISSUER, Set.of(AUDIENCE),
        Optional.of(URI.create("http://127.0.0.1:" + jwks.actualPort() + "/keys")), Optional.empty(), "appid");
    SpillwayConfig config = SpillwayConfig.builder()
        .server(ServerConfig.builder().host("127.0.0.1").port(0).maxBodyBytes(1 << 20).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(models)
        .consumers(consumers)
        .auth(new AuthConfig(true, keyFile, Optional.of(PEPPER), List.of(issuer)))
        .admin(AdminConfig.builder().apiKey(ADMIN_KEY).jwtRole("Spillway.Admin").build())
        .build();
    gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
  }

  private BackendConfig backend(String id, String deployment) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create(simulator.baseUrl()))
        .deployment(deployment)
        .auth(BackendAuth.apiKey(BACKEND_KEY))
        .tier(Tier.PAYG)
        .priority(1)
        .region("test")
        .build();
  }

  @AfterAll
  void stop() {
    gateway.close().await();
    simulator.close().await();
    jwks.close().await();
    vertx.close().await();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // A temp dir left behind is harmless.
    }
  }

  private KeyStore keys() {
    return gateway.keys().orElseThrow();
  }

  private HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> chat(String model, Map<String, String> headers) throws Exception {
    return call("POST", "/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}", headers);
  }

  private static String code(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("error").path("code").asText();
  }

  private String jwt(String appid, Instant expires, Set<String> roles) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).claim("appid", appid)
        .claim("roles", List.copyOf(roles)).issueTime(new Date()).expirationTime(Date.from(expires)).build();
    SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
    token.sign(new RSASSASigner(signingKey));
    return token.serialize();
  }

  @Test
  void noCredentialIs401WithAChallenge() throws Exception {
    HttpResponse<String> r = chat("gpt-4o", Map.of());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("missing_api_key");
    assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(call("GET", "/v1/models", null, Map.of()).statusCode()).isEqualTo(401);
  }

  @Test
  void unknownOrMalformedKeysAre401AndSayNothingMore() throws Exception {
    IssuedKey real = keys().create("search-app", Instant.now());
    String forged = real.plaintext().substring(0, real.plaintext().length() - 4) + "AAAA";
    for (String presented : List.of("sk-spw-AAAAAAAAAAAA_" + "B".repeat(43), forged, "nonsense", "sk-spw-")) {
      HttpResponse<String> r = chat("gpt-4o", Map.of("api-key", presented));
      assertThat(r.statusCode()).as(presented).isEqualTo(401);
      assertThat(code(r)).isEqualTo("invalid_api_key");
      assertThat(r.body()).doesNotContain("search-app").doesNotContain(presented);
    }
  }

  @Test
  void aValidKeyWorksAsApiKeyOrBearerForItsModelsOnly() throws Exception {
    String key = keys().create("search-app", Instant.now()).plaintext();
    assertThat(chat("gpt-4o", Map.of("api-key", key)).statusCode()).isEqualTo(200);
    assertThat(chat("gpt-4o", Map.of("authorization", "Bearer " + key)).statusCode()).isEqualTo(200);

    HttpResponse<String> other = chat("text-embedding-3-small", Map.of("api-key", key));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(code(other)).isEqualTo("model_not_allowed");
    // A model that does not exist gets the very same answer: nothing about other models leaks.
    HttpResponse<String> missing = chat("gpt-9", Map.of("api-key", key));
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(code(missing)).isEqualTo("model_not_allowed");

    JsonNode listed = JSON.readTree(call("GET", "/v1/models", null, Map.of("api-key", key)).body());
    assertThat(listed.path("data").findValuesAsText("id")).containsExactly("gpt-4o");
  }

  @Test
  void revocationTakesEffectAtOnce() throws Exception {
    IssuedKey key = keys().create("search-app", Instant.now());
    assertThat(chat("gpt-4o", Map.of("api-key", key.plaintext())).statusCode()).isEqualTo(200);
    keys().revoke(key.keyId(), Instant.now());
    assertThat(chat("gpt-4o", Map.of("api-key", key.plaintext())).statusCode()).isEqualTo(401);
  }

  @Test
  void aRevocationByTheCliOnTheKeyFileReachesTheRunningGateway() throws Exception {
    IssuedKey key = keys().create("indexer", Instant.now());
    assertThat(call("POST", "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}",
        Map.of("api-key", key.plaintext())).statusCode()).isEqualTo(200);
    // What `spillway keys revoke` does: another store instance writes the same file.
    KeyStore.file(keyFile, new KeyHasher(PEPPER)).revoke(key.keyId(), Instant.now());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int status = 200;
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      status = call("POST", "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}",
          Map.of("api-key", key.plaintext())).statusCode();
    }
    assertThat(status).isEqualTo(401);
  }

  @Test
  void rotationKeepsTwoValidKeys() throws Exception {
    String first = keys().rotate("search-app", Instant.now()).plaintext();
    String second = keys().rotate("search-app", Instant.now()).plaintext();
    assertThat(chat("gpt-4o", Map.of("api-key", first)).statusCode()).isEqualTo(200);
    assertThat(chat("gpt-4o", Map.of("api-key", second)).statusCode()).isEqualTo(200);
    String third = keys().rotate("search-app", Instant.now()).plaintext();
    assertThat(chat("gpt-4o", Map.of("api-key", first)).statusCode()).isEqualTo(401);
    assertThat(chat("gpt-4o", Map.of("api-key", second)).statusCode()).isEqualTo(200);
    assertThat(chat("gpt-4o", Map.of("api-key", third)).statusCode()).isEqualTo(200);
  }

  @Test
  void aValidJwtMapsToItsConsumer() throws Exception {
    String token = jwt("app-123", Instant.now().plusSeconds(600), Set.of());
    assertThat(chat("gpt-4o", Map.of("authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
    assertThat(chat("text-embedding-3-small", Map.of("authorization", "Bearer " + token)).statusCode()).isEqualTo(403);
  }

  @Test
  void anExpiredJwtIs401AndAnUnmappedOneIs403() throws Exception {
    HttpResponse<String> expired = chat("gpt-4o", Map.of("authorization", "Bearer " + jwt("app-123", Instant.now().minusSeconds(600), Set.of())));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(code(expired)).isEqualTo("invalid_api_key");
    HttpResponse<String> stranger = chat("gpt-4o", Map.of("authorization", "Bearer " + jwt("app-999", Instant.now().plusSeconds(600), Set.of())));
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(code(stranger)).isEqualTo("consumer_not_allowed");
  }

  @Test
  void adminNeedsTheAdminKeyOrAnAdminRoleEvenOnLoopback() throws Exception {
    assertThat(call("GET", "/admin/backends", null, Map.of()).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/admin/backends", null, Map.of("api-key", "wrong-admin-key-0000000")).statusCode()).isEqualTo(401);
    String consumerKey = keys().create("search-app", Instant.now()).plaintext();
    assertThat(call("GET", "/admin/backends", null, Map.of("api-key", consumerKey)).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/admin/backends", null, Map.of("api-key", ADMIN_KEY)).statusCode()).isEqualTo(200);
    String admin = jwt("ops-tool", Instant.now().plusSeconds(600), Set.of("Spillway.Admin"));
    assertThat(call("GET", "/admin/backends", null, Map.of("authorization", "Bearer " + admin)).statusCode()).isEqualTo(200);
    String notAdmin = jwt("app-123", Instant.now().plusSeconds(600), Set.of("Reader"));
    assertThat(call("GET", "/admin/backends", null, Map.of("authorization", "Bearer " + notAdmin)).statusCode()).isEqualTo(403);
  }

  @Test
  void consumersAndKeysAreManagedThroughTheAdminApi() throws Exception {
    Map<String, String> admin = Map.of("api-key", ADMIN_KEY);
    assertThat(call("GET", "/admin/consumers", null, Map.of()).statusCode()).isEqualTo(401);
    HttpResponse<String> listed = call("GET", "/admin/consumers", null, admin);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(listed.body()).path("consumers").findValuesAsText("id")).containsExactly("search-app", "indexer");
    assertThat(listed.body()).doesNotContain("salt").doesNotContain("hash").doesNotContain(PEPPER);

    HttpResponse<String> created = call("POST", "/admin/consumers/indexer/keys", "", admin);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("cache-control")).contains("no-store");
    JsonNode issued = JSON.readTree(created.body());
    String key = issued.path("key").asText();
    assertThat(key).startsWith("sk-spw-");
    String embed = "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}";
    assertThat(call("POST", "/v1/embeddings", embed, Map.of("api-key", key)).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/admin/consumers", null, admin).body()).contains(issued.path("keyId").asText()).doesNotContain(key);

    assertThat(call("POST", "/admin/keys/" + issued.path("keyId").asText() + "/revoke", "", admin).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/v1/embeddings", embed, Map.of("api-key", key)).statusCode()).isEqualTo(401);

    assertThat(code(call("POST", "/admin/consumers/nobody/keys", "", admin))).isEqualTo("consumer_not_found");
    assertThat(code(call("POST", "/admin/keys/nokey/revoke", "", admin))).isEqualTo("key_not_found");
  }

  @Test
  void consumersCanBeAddedAndRemovedThroughTheAdminApi() throws Exception {
    Map<String, String> admin = Map.of("api-key", ADMIN_KEY);
    String body = "{\"team\":\"marketing\",\"models\":[\"gpt-*\"],\"priorityClass\":\"batch\"}";
    assertThat(call("PUT", "/admin/consumers/new-app", body, Map.of()).statusCode()).isEqualTo(401);
    assertThat(call("PUT", "/admin/consumers/new-app", body, admin).statusCode()).isEqualTo(200);
    assertThat(Files.readString(dir.resolve("consumers.json"))).contains("new-app").contains("marketing");
    assertThat(new ConsumerDirectory(List.of(), Optional.of(dir.resolve("consumers.json"))).find("new-app")).isPresent();

    HttpResponse<String> listed = call("GET", "/admin/consumers", null, admin);
    assertThat(listed.body()).contains("\"id\":\"new-app\"").contains("\"source\":\"api\"");
    String key = JSON.readTree(call("POST", "/admin/consumers/new-app/keys", "", admin).body()).path("key").asText();
    assertThat(chat("gpt-4o", Map.of("api-key", key)).statusCode()).isEqualTo(200);
    assertThat(chat("text-embedding-3-small", Map.of("api-key", key)).statusCode()).isEqualTo(403);

    assertThat(code(call("PUT", "/admin/consumers/search-app", body, admin))).isEqualTo("consumer_in_config");
    assertThat(call("PUT", "/admin/consumers/bad", "{\"team\":\"t\",\"models\":[\"claude-*\"]}", admin).statusCode()).isEqualTo(400);
    assertThat(call("PUT", "/admin/consumers/bad", "{\"models\":[\"gpt-4o\"]}", admin).statusCode()).isEqualTo(400);
    assertThat(call("PUT", "/admin/consumers/bad", "not json", admin).statusCode()).isEqualTo(400);

    HttpResponse<String> deleted = call("DELETE", "/admin/consumers/new-app", null, admin);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(deleted.body()).path("revokedKeyIds")).hasSize(1);
    assertThat(chat("gpt-4o", Map.of("api-key", key)).statusCode()).isEqualTo(401);
    assertThat(code(call("DELETE", "/admin/consumers/search-app", null, admin))).isEqualTo("consumer_in_config");
    assertThat(code(call("DELETE", "/admin/consumers/new-app", null, admin))).isEqualTo("consumer_not_found");
  }

  @Test
  void probesNeedNoCredential() throws Exception {
    assertThat(call("GET", "/healthz", null, Map.of()).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/readyz", null, Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void theKeyFileHoldsNoSecret() throws Exception {
    String key = keys().create("search-app", Instant.now()).plaintext();
    String file = Files.readString(keyFile);
    assertThat(file).doesNotContain(key).doesNotContain(key.substring(key.indexOf('_') + 1)).doesNotContain(PEPPER);
  }
}
