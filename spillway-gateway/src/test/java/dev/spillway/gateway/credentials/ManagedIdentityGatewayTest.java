package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;
import static dev.spillway.gateway.credentials.ManagedIdentityTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ManagedIdentityCredentials;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end: a gateway whose backend authenticates with a managed identity, in front of the
 * simulator, which accepts only {@code Authorization: Bearer <the token the look-alike metadata
 * service hands out>}. Requests through the gateway succeed only if that bearer reaches the backend.
 */
class ManagedIdentityGatewayTest {
  private static final String GOOD_TOKEN = "mi-e2e-token-accepted-by-the-backend";
  private static final String IMDS_PATH = "/metadata/identity/oauth2/token";
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":8}";

  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Vertx vertx;
  private Simulator simulator;
  private LookAlikeTokenServer imds;
  private GatewayServer gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    simulator =
        Simulator.start(
                vertx,
                SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(GOOD_TOKEN).deployment(DeploymentConfig.payg("chat", 0, 0)).build())
            .await();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close().await();
    }
    imds.close();
    simulator.close().await();
    await(vertx.close());
  }

  @Test
  void theBackendGetsTheBearerFromTheMetadataServiceAndItIsRefreshedAheadOfExpiry() throws Exception {
    startGateway(n -> imdsToken(GOOD_TOKEN));

    assertThat(chat().statusCode()).isEqualTo(200);
    assertThat(imds.seen()).hasSize(1);
    assertThat(imds.last().headers().get("Metadata")).isEqualTo("true");
    assertThat(imds.last().query().get("resource")).isEqualTo("https://cognitiveservices.azure.com");

    ticker.advance(Duration.ofMinutes(20));
    assertThat(chat().statusCode()).isEqualTo(200);
    assertThat(imds.seen()).as("still cached").hasSize(1);

    ticker.advance(Duration.ofMinutes(36)); // 56 of 60 minutes: refreshed in the background
    assertThat(chat().statusCode()).isEqualTo(200);
    awaitTrue("the background refresh reached the metadata service", () -> imds.seen().size() == 2);
    assertThat(chat().statusCode()).isEqualTo(200);
    assertThat(imds.seen()).hasSize(2);
  }

  @Test
  void aTokenTheBackendRefusesIsReplacedOnceAndTheRequestSucceeds() throws Exception {
    startGateway(n -> imdsToken(n == 1 ? "mi-e2e-token-the-backend-refuses" : GOOD_TOKEN));

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(imds.seen()).hasSize(2);
  }

  @Test
  void whenTheMetadataServiceRefusesTheClientGetsAnOpenAiShapedError() throws Exception {
    startGateway(n -> imdsToken(GOOD_TOKEN));
    imds.thenAnswer(400, "{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");

    HttpResponse<String> response = chat();

    assertThat(response.statusCode()).isEqualTo(502);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_auth_failed");
    assertThat(error.getString("type")).isEqualTo("api_error");
    assertThat(error.getString("message")).doesNotContain("Identity not found");
    assertThat(error.containsKey("param")).isTrue();
  }

  private static JsonObject imdsToken(String token) {
    return new JsonObject()
        .put("access_token", token)
        .put("expires_in", "3600")
        .put("expires_on", "1700003600")
        .put("resource", "https://cognitiveservices.azure.com")
        .put("token_type", "Bearer");
  }

  private void startGateway(IntFunction<JsonObject> tokens) {
    imds = LookAlikeTokenServer.start(vertx, tokens);
    BackendConfig backend =
        BackendConfig.builder()
            .id("mi-backend")
            .type(BackendType.AZURE)
            .url(URI.create(simulator.baseUrl()))
            .deployment("chat")
            .auth(
                BackendAuth.of(
                    ManagedIdentityCredentials.imds(
                        imds.url(IMDS_PATH), Optional.empty(), ManagedIdentityCredentials.COGNITIVE_SERVICES_RESOURCE)))
            .tier(Tier.PAYG)
            .priority(1)
            .region("test")
            .build();
    SpillwayConfig config =
        SpillwayConfig.builder()
            .server(ServerConfig.builder().host("127.0.0.1").port(0).build())
            .routing(RoutingConfig.DEFAULTS)
            .models(
                Map.of(
                    "gpt-4o",
                    ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY).backends(List.of(backend)).build()))
            .build();
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().ticker(ticker).build()).await();
  }

  private HttpResponse<String> chat() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(CHAT))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
