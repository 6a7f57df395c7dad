package dev.spillway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.spillway.core.auth.keys.IssuedKey;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.EntraCredentials;
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
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Known secrets sent through every kind of outcome (success, streaming, 401, 403, 429, 5xx, a
 * backend refusing the gateway's own credential, the admin API) appear in no response body, no
 * response header, no log record, nothing printed, no published event and no config
 * {@code toString()}.
 *
 * <p>All of the JVM's {@code java.util.logging} output at every level and everything printed is
 * captured from before the first server starts until after the last one stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretLeakTest {
  private static final String BACKEND_KEY = "leaktest-backend-key-3f9a1c77e2";
  private static final String WRONG_BACKEND_KEY = "leaktest-stale-backend-key-8d2b4e";
  private static final String PEPPER = "leaktest-pepper-5a6b7c8d9e0f1a2b";
  private static final String ADMIN_KEY = "leaktest-admin-key-c4d3b2a1f0e9";
  private static final String WRONG_ADMIN_KEY = "leaktest-wrong-admin-key-77e1d0";
  private static final String ENTRA_CLIENT_SECRET = "leaktest-entra-client-secret-0b1c2d";
  private static final String ENTRA_ACCESS_TOKEN = "leaktest-entra-access-token-9e8f7a";
  /** Well-formed, but in no key store. */
  private static final String INVALID_GATEWAY_KEY = "sk-spw-NoSuchKeyId1_" + "leaktestInvalidGatewayKeySecretPart00000000".substring(0, 43);
  /** What a client configured for OpenAI might send the gateway by mistake. */
  private static final String CLIENT_API_KEY = "sk-proj-leaktest-client-api-key-4e5f6a";
  private static final String CLIENT_COOKIE = "leaktest-client-session-cookie-1a2b3c";
  private static final String ISSUER = "https://login.example.test/leaktest/v2.0";
  private static final String AUDIENCE = "api://spillway-leaktest";

  /** One request and what came back. */
  private record Exchange(String label, int status, Map<String, List<String>> headers, String body) {}

  private final List<Exchange> exchanges = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private LogCapture logs;
  private Path dir;
  private Vertx vertx;
  private Simulator simulator;
  private HttpServer tokenEndpoint;
  private GatewayServer gateway;
  private SpillwayConfig config;
  private RSAKey signingKey;
  private String validKey;
  private String revokedKey;
  private String validJwt;
  private String forgedJwt;

  @BeforeAll
  void start() throws Exception {
    logs = LogCapture.start();
    dir = Files.createTempDirectory("spillway-leak-test");
    vertx = Vertx.vertx();
    simulator =
        Simulator.start(vertx, SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(BACKEND_KEY)
            .deployment(DeploymentConfig.payg("chat", 0, 0))
            // One token a minute: the first request fills the bucket and every later one is throttled.
            .deployment(DeploymentConfig.ptu("tiny", 1))
            .build()).await();
    tokenEndpoint =
        vertx.createHttpServer()
            .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("content-type", "application/json")
                .end("{\"access_token\":\"" + ENTRA_ACCESS_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")))
            .listen(0, "127.0.0.1")
            .await();

    signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString());
    JwtIssuerConfig issuer = JwtIssuerConfig.of(ISSUER, Set.of(AUDIENCE), Optional.empty(), Optional.of(jwks), "appid");

    Map<String, ModelConfig> models = new LinkedHashMap<>();
    model(models, "gpt-4o", azure("chat-a", "chat", Tier.PAYG, BackendAuth.apiKey(BACKEND_KEY)));
    model(models, "gpt-4o-ptu", azure("ptu-a", "tiny", Tier.PTU, BackendAuth.apiKey(BACKEND_KEY)));
    model(models, "gpt-4o-faulty", azure("faulty-a", "chat", Tier.PAYG, BackendAuth.apiKey(BACKEND_KEY)));
    model(models, "gpt-4o-stale-key", azure("stale-a", "chat", Tier.PAYG, BackendAuth.apiKey(WRONG_BACKEND_KEY)));
    model(models, "gpt-4o-entra", azure("entra-a", "chat", Tier.PAYG, new BackendAuth(Optional.empty(), Optional.empty(),
        Optional.of(new EntraCredentials(URI.create("http://127.0.0.1:" + tokenEndpoint.actualPort() + "/token"),
            "leaktest-client-id", ENTRA_CLIENT_SECRET, EntraCredentials.COGNITIVE_SERVICES_SCOPE)))));
    model(models, "gpt-4o-private", azure("private-a", "chat", Tier.PAYG, BackendAuth.apiKey(BACKEND_KEY)));
    List<ConsumerConfig> consumers =
        List.of(ConsumerConfig.builder()
            .id("app")
            .team("retail")
            .models(List.of("gpt-4o", "gpt-4o-ptu", "gpt-4o-faulty", "gpt-4o-stale-key", "gpt-4o-entra"))
            .priorityClass(PriorityClass.STANDARD)
            .jwtSubjects(List.of("app-123"))
            .build());
    config = SpillwayConfig.builder()
        .server(ServerConfig.builder().host("127.0.0.1").port(0).maxBodyBytes(1 << 20).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(models)
        .consumers(consumers)
        .auth(new AuthConfig(true, dir.resolve("keys.json"), Optional.of(PEPPER), List.of(issuer)))
        .admin(AdminConfig.builder().apiKey(ADMIN_KEY).build())
        .build();
    GatewayListener recorder =
        new GatewayListener() {
          @Override
          public void onAttempt(AttemptOutcome attempt) {
            events.add(attempt.toString());
          }

          @Override
          public void onRequest(RequestOutcome request) {
            events.add(request.toString());
          }
        };
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().listener(recorder).build()).await();

    KeyStore keys = gateway.keys().orElseThrow();
    validKey = keys.create("app", Instant.now()).plaintext();
    IssuedKey revoked = keys.create("app", Instant.now());
    keys.revoke(revoked.keyId(), Instant.now());
    revokedKey = revoked.plaintext();
    validJwt = jwt(signingKey);
    forgedJwt = jwt(new RSAKeyGenerator(2048).keyID("k1").generate());
  }

  private static void model(Map<String, ModelConfig> models, String name, BackendConfig backend) {
    models.put(name, ModelConfig.builder()
        .name(name)
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend))
        .build());
  }

  private BackendConfig azure(String id, String deployment, Tier tier, BackendAuth auth) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create(simulator.baseUrl()))
        .deployment(deployment)
        .auth(auth)
        .tier(tier)
        .priority(1)
        .region("test")
        .build();
  }

  private static String jwt(RSAKey key) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).claim("appid", "app-123")
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
    SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
    token.sign(new RSASSASigner(key));
    return token.serialize();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      closeServers();
    } finally {
      logs.close();
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void closeServers() {
    if (gateway != null) {
      gateway.close().await();
      gateway = null;
    }
    if (simulator != null) {
      simulator.close().await();
      tokenEndpoint.close().await();
      vertx.close().await();
      simulator = null;
    }
  }

  /** Every secret, with the secret half of each gateway key on its own (a log might print only that). */
  private List<String> secrets() {
    List<String> all =
        new ArrayList<>(List.of(BACKEND_KEY, WRONG_BACKEND_KEY, PEPPER, ADMIN_KEY, WRONG_ADMIN_KEY, ENTRA_CLIENT_SECRET,
            ENTRA_ACCESS_TOKEN, INVALID_GATEWAY_KEY, CLIENT_API_KEY, CLIENT_COOKIE, validKey, revokedKey, validJwt, forgedJwt));
    for (String key : List.of(validKey, revokedKey, INVALID_GATEWAY_KEY)) {
      all.add(key.substring(key.indexOf('_') + 1));
    }
    for (String token : List.of(validJwt, forgedJwt)) {
      all.add(token.substring(token.lastIndexOf('.') + 1));
    }
    return all;
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":8"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  private HttpResponse<String> call(String label, String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    exchanges.add(new Exchange(label, r.statusCode(), r.headers().map(), r.body()));
    return r;
  }

  private HttpResponse<String> expect(int status, String label, String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpResponse<String> r = call(label, method, path, body, headers);
    assertThat(r.statusCode()).as("%s: %s", label, r.body()).isEqualTo(status);
    return r;
  }

  private static String code(HttpResponse<String> r) throws Exception {
    return OpenAiErrors.JSON.readTree(r.body()).path("error").path("code").asText();
  }

  @Test
  void noSecretAppearsInAnyResponseHeaderLogLineOrEvent() throws Exception {
    String completions = "/v1/chat/completions";
    Map<String, String> asKey = Map.of("api-key", validKey);

    // Success, with client credentials the gateway must drop on the way.
    HttpResponse<String> ok = expect(200, "success", "POST", completions, chat("gpt-4o", false),
        Map.of("authorization", "Bearer " + validKey, "cookie", "session=" + CLIENT_COOKIE, "x-api-key", CLIENT_API_KEY));
    assertThat(OpenAiErrors.JSON.readTree(ok.body()).path("choices").isArray()).isTrue();
    HttpResponse<String> stream = expect(200, "stream", "POST", completions, chat("gpt-4o", true), asKey);
    assertThat(stream.body()).contains("data: [DONE]");
    expect(200, "jwt stream", "POST", completions, chat("gpt-4o", true), Map.of("authorization", "Bearer " + validJwt));
    expect(200, "models", "GET", "/v1/models", null, asKey);

    // 401: no credential, an unknown key, a revoked key, a forged JWT, a foreign API key.
    assertThat(code(expect(401, "no key", "POST", completions, chat("gpt-4o", false), Map.of()))).isEqualTo("missing_api_key");
    for (Map.Entry<String, Map<String, String>> bad : Map.of(
            "unknown key", Map.of("authorization", "Bearer " + INVALID_GATEWAY_KEY),
            "revoked key", Map.of("api-key", revokedKey),
            "forged jwt", Map.of("authorization", "Bearer " + forgedJwt),
            "foreign api key", Map.of("api-key", CLIENT_API_KEY, "cookie", "session=" + CLIENT_COOKIE))
        .entrySet()) {
      assertThat(code(expect(401, bad.getKey(), "POST", completions, chat("gpt-4o", false), bad.getValue())))
          .isEqualTo("invalid_api_key");
      expect(401, bad.getKey() + " (stream)", "POST", completions, chat("gpt-4o", true), bad.getValue());
      expect(401, bad.getKey() + " (models)", "GET", "/v1/models", null, bad.getValue());
    }

    // 403: a model outside the consumer's grant.
    assertThat(code(expect(403, "forbidden model", "POST", completions, chat("gpt-4o-private", false), asKey)))
        .isEqualTo("model_not_allowed");

    // 429: the only backend is a PTU of one token a minute; no PAYG to spill to.
    HttpResponse<String> throttled = call("ptu", "POST", completions, chat("gpt-4o-ptu", false), asKey);
    for (int i = 0; i < 4 && throttled.statusCode() != 429; i++) {
      throttled = call("ptu", "POST", completions, chat("gpt-4o-ptu", false), asKey);
    }
    assertThat(throttled.statusCode()).as(throttled.body()).isEqualTo(429);
    assertThat(code(throttled)).isEqualTo("rate_limit_exceeded");
    expect(429, "ptu stream", "POST", completions, chat("gpt-4o-ptu", true), asKey);

    // 5xx from the backend, and a stream the backend breaks off.
    expect(500, "backend 500", "POST", completions, chat("gpt-4o-faulty", false), Map.of("api-key", validKey, "x-sim-fault", "500"));
    expect(503, "backend 503", "POST", completions, chat("gpt-4o-faulty", true), Map.of("api-key", validKey, "x-sim-fault", "503"));
    HttpResponse<String> broken =
        expect(200, "midstream", "POST", completions, chat("gpt-4o", true), Map.of("api-key", validKey, "x-sim-fault", "midstream"));
    assertThat(broken.body()).contains("upstream_stream_interrupted");

    // The backend refuses the gateway's own credential: a stale API key, an Entra token it does not take.
    assertThat(code(expect(502, "stale backend key", "POST", completions, chat("gpt-4o-stale-key", false), asKey)))
        .isEqualTo("upstream_auth_failed");
    expect(502, "stale backend key (stream)", "POST", completions, chat("gpt-4o-stale-key", true), asKey);
    assertThat(code(expect(502, "entra token refused", "POST", completions, chat("gpt-4o-entra", false), asKey)))
        .isEqualTo("upstream_auth_failed");

    // The admin API with no key, wrong keys, a consumer's key, then the admin key.
    expect(401, "admin no key", "GET", "/admin/backends", null, Map.of());
    expect(401, "admin wrong key", "GET", "/admin/backends", null, Map.of("api-key", WRONG_ADMIN_KEY));
    expect(401, "admin wrong bearer", "GET", "/admin/backends", null, Map.of("authorization", "Bearer " + WRONG_ADMIN_KEY));
    expect(401, "admin consumer key", "GET", "/admin/backends", null, asKey);
    expect(401, "admin client api key", "POST", "/admin/backends/chat-a/reset", null, Map.of("api-key", CLIENT_API_KEY));
    HttpResponse<String> admin = expect(200, "admin", "GET", "/admin/backends", null, Map.of("api-key", ADMIN_KEY));
    assertThat(admin.body()).contains("chat-a").contains("entra-a");
    expect(200, "admin reset", "POST", "/admin/backends/ptu-a/reset", null, Map.of("authorization", "Bearer " + ADMIN_KEY));
    HttpResponse<String> metrics = expect(200, "metrics", "GET", "/metrics", null, Map.of());
    assertThat(metrics.body()).contains("spillway_requests_total").contains("spillway_backend_breaker_state");

    // Stop everything, so whatever the servers log on the way out is captured too.
    closeServers();
    System.getLogger("spillway.leaktest").log(System.Logger.Level.DEBUG, "capture canary: system logger");
    io.vertx.core.internal.logging.LoggerFactory.getLogger(SecretLeakTest.class).debug("capture canary: vertx logger");
    System.out.println("capture canary: stdout");
    System.err.println("capture canary: stderr");
    List<String> logLines = logs.lines();
    for (String canary : List.of("system logger", "vertx logger", "stdout", "stderr")) {
      assertThat(logLines).as("the capture works for the %s", canary).anyMatch(l -> l.contains("capture canary: " + canary));
    }

    for (String secret : secrets()) {
      for (Exchange e : exchanges) {
        assertThat(e.body()).as("body of '%s' (%d)", e.label(), e.status()).doesNotContain(secret);
        e.headers().forEach((name, values) -> values.forEach(v ->
            assertThat(v).as("header %s of '%s' (%d)", name, e.label(), e.status()).doesNotContain(secret)));
      }
      for (String line : logLines) {
        assertThat(line).as("a captured log line").doesNotContain(secret);
      }
      for (String event : events) {
        assertThat(event).as("a published gateway event").doesNotContain(secret);
      }
    }
    assertThat(events).as("events were published").isNotEmpty();
  }

  @Test
  void configToStringShowsNoSecret() {
    List<String> rendered = new ArrayList<>();
    rendered.add(config.toString());
    rendered.add(config.auth().toString());
    rendered.add(config.admin().toString());
    for (ModelConfig model : config.models().values()) {
      rendered.add(model.toString());
      for (BackendConfig backend : model.backends()) {
        rendered.add(backend.toString());
        rendered.add(backend.auth().toString());
      }
    }
    assertThat(String.join("\n", rendered)).as("the config is rendered in full").contains("entra-a").contains("stale-a");
    for (String secret : List.of(BACKEND_KEY, WRONG_BACKEND_KEY, PEPPER, ADMIN_KEY, ENTRA_CLIENT_SECRET)) {
      for (String text : rendered) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }
}
