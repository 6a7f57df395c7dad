package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery of simulated resources over real HTTP: the data plane's deployment list with the resource key, and the
 * management plane's Entra token endpoint, account and paged deployment list, answered from the simulators' configs.
 */
class SimulatorDiscoveryTest {
  private static final String TENANT = "11111111-2222-3333-4444-555555555555";
  private static final String CLIENT = "init-app";
  private static final String SECRET = "client-secret-value";
  private static final String ARM_SCOPE = "https://management.azure.com/.default";

  private static SimHarness harness;
  private static Simulator eastus;
  private static Simulator sweden;
  private static ManagementPlane arm;
  private static String eastusId;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    eastus = harness.start(SimHarness.fast(
            DeploymentConfig.ptu("chat-ptu", 50_000).withModel("gpt-4o"),
            DeploymentConfig.payg("chat-payg", 450_000, 2_700).withModel("gpt-4o"),
            DeploymentConfig.embeddings("text-embedding-3-small"))
        .toBuilder().apiKey("east-key").build());
    sweden = harness.start(SimHarness.fast(DeploymentConfig.ptu("mini-ptu", 74_000).withModel("gpt-4o-mini"),
        DeploymentConfig.ptu("odd-ptu", 1_000).withModel("my-finetune")));
    ManagementPlane.Account east = new ManagementPlane.Account("sub-1", "rg-ai", "contoso-east", "eastus", eastus);
    eastusId = east.resourceId();
    arm = ManagementPlane.start(harness.vertx, new ManagementPlane.Settings(TENANT, CLIENT, SECRET, 2, List.of(east,
        new ManagementPlane.Account("sub-1", "rg-ai", "contoso-sweden", "swedencentral", sweden)))).await();
  }

  @AfterAll
  static void stop() {
    arm.close().await();
    harness.close();
  }

  @Test
  void dataPlaneListNamesEachDeploymentsModelButNoSku() {
    HttpResponse<String> r = harness.get(eastus, "/openai/deployments?api-version=2022-12-01", "api-key", "east-key");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = SimHarness.json(r);
    assertThat(body.path("object").asText()).isEqualTo("list");
    Map<String, String> models = new TreeMap<>();
    for (JsonNode d : body.path("data")) {
      models.put(d.path("id").asText(), d.path("model").asText());
      assertThat(d.path("object").asText()).isEqualTo("deployment");
      assertThat(d.path("status").asText()).isEqualTo("succeeded");
      assertThat(d.has("sku")).isFalse();
    }
    assertThat(models).containsExactlyInAnyOrderEntriesOf(Map.of("chat-ptu", "gpt-4o", "chat-payg", "gpt-4o",
        "text-embedding-3-small", "text-embedding-3-small"));
  }

  @Test
  void dataPlaneListNeedsTheKeyAndAnApiVersion() {
    assertThat(harness.get(eastus, "/openai/deployments?api-version=2022-12-01", "api-key", "wrong").statusCode())
        .isEqualTo(401);
    assertThat(harness.get(eastus, "/openai/deployments", "api-key", "east-key").statusCode()).isEqualTo(404);
  }

  @Test
  void managementPlaneListsDeploymentsWithSkuAndCapacityAcrossPages() {
    String token = token(ARM_SCOPE);
    long pagesBefore = arm.deploymentPagesServed();
    List<JsonNode> all = new ArrayList<>();
    String next = arm.baseUrl() + eastusId + "/deployments?api-version=2024-10-01";
    int pages = 0;
    while (next != null) {
      HttpResponse<String> r = get(next, token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = SimHarness.json(r);
      body.path("value").forEach(all::add);
      next = body.hasNonNull("nextLink") ? body.path("nextLink").asText() : null;
      pages++;
    }
    assertThat(pages).as("3 deployments in pages of 2").isEqualTo(2);
    assertThat(arm.deploymentPagesServed() - pagesBefore).isEqualTo(2);
    Map<String, String> skus = new TreeMap<>();
    for (JsonNode d : all) {
      skus.put(d.path("name").asText(), d.path("sku").path("name").asText() + " " + d.path("sku").path("capacity")
          .asLong() + " " + d.path("properties").path("model").path("name").asText());
      assertThat(d.path("properties").path("model").path("format").asText()).isEqualTo("OpenAI");
      assertThat(d.path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
    }
    assertThat(skus).containsExactlyInAnyOrderEntriesOf(Map.of(
        "chat-ptu", "ProvisionedManaged 20 gpt-4o", // 50,000 tokens a minute at 2,500 per PTU
        "chat-payg", "Standard 450 gpt-4o", // thousands of tokens a minute
        "text-embedding-3-small", "Standard 1000 text-embedding-3-small")); // unlimited
  }

  @Test
  void nextLinkNamesTheManagementPlanesOwnOriginOverHttp2Too() throws Exception {
    // Over HTTP/2 a request has :authority, not necessarily a Host header.
    java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2)
        .build();
    HttpRequest first = HttpRequest.newBuilder(URI.create(arm.baseUrl() + eastusId + "/deployments?api-version=2024-10-01"))
        .header("authorization", "Bearer " + token(ARM_SCOPE)).GET().build();
    // The first request carries the h2c upgrade, the second goes over HTTP/2 proper.
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = h2.send(first, HttpResponse.BodyHandlers.ofString());
      assertThat(SimHarness.json(r).path("nextLink").asText()).as("request %d over %s", i, r.version())
          .isEqualTo(arm.baseUrl() + eastusId + "/deployments?api-version=2024-10-01&$skipToken=2");
    }
  }

  @Test
  void ptuCapacityUsesTheModelsPublishedFiguresElseGpt4osRoundedUp() {
    String token = token(ARM_SCOPE);
    String url = arm.baseUrl() + eastusId.replace("contoso-east", "CONTOSO-SWEDEN").replace("resourceGroups",
        "resourcegroups") + "/deployments?api-version=2024-10-01";
    JsonNode body = SimHarness.json(get(url, token));
    Map<String, Long> ptus = new TreeMap<>();
    body.path("value").forEach(d -> ptus.put(d.path("name").asText(), d.path("sku").path("capacity").asLong()));
    assertThat(ptus).isEqualTo(Map.of("mini-ptu", 2L, "odd-ptu", 1L)); // 74,000 / 37,000; 1,000 / 2,500 up to 1
  }

  @Test
  void accountReportsItsLocationAndTheSimulatorAsEndpoint() {
    HttpResponse<String> r = get(arm.baseUrl() + eastusId + "?api-version=2024-10-01", token(ARM_SCOPE));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = SimHarness.json(r);
    assertThat(body.path("location").asText()).isEqualTo("eastus");
    assertThat(body.path("kind").asText()).isEqualTo("OpenAI");
    assertThat(body.path("properties").path("endpoint").asText()).isEqualTo(eastus.baseUrl() + "/");
    assertThat(body.path("id").asText()).isEqualTo(eastusId);
  }

  @Test
  void managementPlaneRefusesMissingForeignOrUnknownTokens() {
    String url = arm.baseUrl() + eastusId + "/deployments?api-version=2024-10-01";
    HttpResponse<String> none = harness.send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(SimHarness.json(none).path("error").path("code").asText()).isEqualTo("AuthenticationFailed");
    assertThat(get(url, "made-up").statusCode()).isEqualTo(401);
    HttpResponse<String> foreign = get(url, token("https://cognitiveservices.azure.com/.default"));
    assertThat(foreign.statusCode()).isEqualTo(401);
    assertThat(SimHarness.json(foreign).path("error").path("code").asText())
        .isEqualTo("InvalidAuthenticationTokenAudience");
  }

  @Test
  void managementPlaneNamesUnknownAccountsAndMissingApiVersions() {
    String token = token(ARM_SCOPE);
    HttpResponse<String> unknown = get(arm.baseUrl() + eastusId.replace("contoso-east", "nope")
        + "/deployments?api-version=2024-10-01", token);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(SimHarness.json(unknown).path("error").path("code").asText()).isEqualTo("ResourceNotFound");
    HttpResponse<String> noVersion = get(arm.baseUrl() + eastusId + "/deployments", token);
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(noVersion).path("error").path("code").asText()).isEqualTo("MissingApiVersionParameter");
  }

  @Test
  void tokenEndpointChecksTenantClientSecretAndScope() {
    assertThat(tokenResponse(TENANT, CLIENT, "wrong", ARM_SCOPE).statusCode()).isEqualTo(401);
    assertThat(SimHarness.json(tokenResponse(TENANT, CLIENT, "wrong", ARM_SCOPE)).path("error").asText())
        .isEqualTo("invalid_client");
    assertThat(tokenResponse("other-tenant", CLIENT, SECRET, ARM_SCOPE).statusCode()).isEqualTo(400);
    assertThat(tokenResponse(TENANT, "other-app", SECRET, ARM_SCOPE).statusCode()).isEqualTo(400);
    HttpResponse<String> badScope = tokenResponse(TENANT, CLIENT, SECRET, "https://management.azure.com");
    assertThat(badScope.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(badScope).path("error_codes").get(0).asInt()).isEqualTo(1002012);
    JsonNode ok = SimHarness.json(tokenResponse(TENANT, CLIENT, SECRET, ARM_SCOPE));
    assertThat(ok.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(ok.path("expires_in").asLong()).isPositive();
  }

  private static String token(String scope) {
    HttpResponse<String> r = tokenResponse(TENANT, CLIENT, SECRET, scope);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return SimHarness.json(r).path("access_token").asText();
  }

  private static HttpResponse<String> tokenResponse(String tenant, String client, String secret, String scope) {
    String form = "grant_type=client_credentials&client_id=" + enc(client) + "&client_secret=" + enc(secret)
        + "&scope=" + enc(scope);
    return harness.send(HttpRequest.newBuilder(URI.create(arm.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  private static HttpResponse<String> get(String url, String token) {
    return harness.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("authorization", "Bearer " + token).GET().build());
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
