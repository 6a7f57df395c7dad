package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.FileKeyStore;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.ManagementPlane;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway init} end to end: two simulated Azure OpenAI resources (eastus and swedencentral, each gpt-4o and
 * gpt-4o-mini as PTU + PAYG) behind a simulated Azure Resource Manager and Entra token endpoint; init discovers them,
 * writes a config, issues a key; the gateway started from that file answers a request with that key from a PTU.
 */
class InitCommandTest {
  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String CLIENT_ID = "00000000-0000-0000-0000-00000000c11d";
  private static final String CLIENT_SECRET = "init-test-client-secret";
  private static final String EAST_KEY = "east-resource-key-0001";
  private static final String SWEDEN_KEY = "sweden-resource-key-0002";
  private static final Pattern GATEWAY_KEY = Pattern.compile("sk-spw-\\S+");
  private static final Pattern PEPPER = Pattern.compile("export SPILLWAY_KEY_PEPPER=(\\S+)");

  private static Vertx vertx;
  private static Simulator east;
  private static Simulator sweden;
  private static ManagementPlane azure;
  private static String eastId;
  private static String swedenId;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void startAzure() {
    vertx = Vertx.vertx();
    east = Simulator.start(vertx, resource(EAST_KEY)).await();
    sweden = Simulator.start(vertx, resource(SWEDEN_KEY)).await();
    ManagementPlane.Account eastAccount = new ManagementPlane.Account("sub-1", "rg-ai", "contoso-east", "eastus", east);
    ManagementPlane.Account swedenAccount =
        new ManagementPlane.Account("sub-1", "rg-ai", "contoso-sweden", "swedencentral", sweden);
    eastId = eastAccount.resourceId();
    swedenId = swedenAccount.resourceId();
    // Pages of 3: each resource's four deployments come in two pages, so init must follow nextLink.
    azure = ManagementPlane.start(vertx, new ManagementPlane.Settings(TENANT, CLIENT_ID, CLIENT_SECRET, 3,
        List.of(eastAccount, swedenAccount))).await();
  }

  @AfterAll
  static void stopAzure() {
    vertx.close().await();
  }

  private static SimulatorConfig resource(String key) {
    return SimulatorConfig.builder().zeroLatency(true).apiKey(key)
        .deployment(DeploymentConfig.ptu("gpt-4o-ptu", 50_000).withModel("gpt-4o"))
        .deployment(DeploymentConfig.payg("gpt-4o", 450_000, 2_700).withModel("gpt-4o"))
        .deployment(DeploymentConfig.ptu("mini-ptu", 74_000).withModel("gpt-4o-mini"))
        .deployment(DeploymentConfig.payg("mini", 0, 0).withModel("gpt-4o-mini"))
        .build();
  }

  private static Run init(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new InitCommand(env::get));
    cli.setExecutionExceptionHandler(new CliErrors());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static String[] viaArm(Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--resource-id", eastId, "--resource-id", swedenId,
        "--tenant-id", TENANT, "--client-id", CLIENT_ID, "--authority-host", azure.baseUrl(),
        "--arm-endpoint", azure.baseUrl(), "--out", out.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String match(Pattern p, String text, int group) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return m.group(group);
  }

  @Test
  void initFromAzureResourceManagerThenServeAnswersWithTheIssuedKeyFromAPtu(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf").resolve("spillway.yaml");
    long tokensBefore = azure.tokensIssued();
    long pagesBefore = azure.deploymentPagesServed();

    Run run = init(Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET), viaArm(file));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(azure.tokensIssued() - tokensBefore).as("one ARM token for both resources").isEqualTo(1);
    assertThat(azure.deploymentPagesServed() - pagesBefore).as("two pages per resource").isEqualTo(4);
    String gatewayKey = match(GATEWAY_KEY, run.out(), 0);
    String pepper = match(PEPPER, run.out(), 1);
    assertThat(run.out()).contains("export AZURE_OPENAI_KEY_CONTOSO_EAST=", "export AZURE_OPENAI_KEY_CONTOSO_SWEDEN=");
    String yaml = Files.readString(file);
    for (String secret : List.of(EAST_KEY, SWEDEN_KEY, CLIENT_SECRET, pepper, gatewayKey)) {
      assertThat(yaml).as("the file holds no secret").doesNotContain(secret);
    }
    assertThat(Files.readString(file.resolveSibling("spillway-data/keys.json"))).doesNotContain(gatewayKey);

    Map<String, String> env = new HashMap<>(Map.of("AZURE_OPENAI_KEY_CONTOSO_EAST", EAST_KEY,
        "AZURE_OPENAI_KEY_CONTOSO_SWEDEN", SWEDEN_KEY, "SPILLWAY_KEY_PEPPER", pepper, "SPILLWAY_LISTEN", "127.0.0.1:0"));
    SpillwayConfig config = ConfigLoader.parse(yaml, file.toString(), env::get, file.getParent());
    List<BackendConfig> gpt4o = config.models().get("gpt-4o").backends();
    assertThat(gpt4o).extracting(BackendConfig::id).containsExactly(
        "eastus-gpt-4o-ptu", "swedencentral-gpt-4o-ptu", "eastus-gpt-4o", "swedencentral-gpt-4o");
    assertThat(gpt4o).extracting(BackendConfig::tier).containsExactly(Tier.PTU, Tier.PTU, Tier.PAYG, Tier.PAYG);
    assertThat(gpt4o).extracting(BackendConfig::priority).containsExactly(1, 1, 2, 2);
    // 50,000 tokens a minute reported as 20 PTU, back to 50,000 with gpt-4o's published 2,500 per PTU.
    assertThat(gpt4o).extracting(b -> b.capacity().tokensPerMinute().getAsLong())
        .containsExactly(50_000L, 50_000L, 450_000L, 450_000L);
    assertThat(gpt4o.get(0).url()).isEqualTo(URI.create(east.baseUrl()));
    assertThat(config.models().get("gpt-4o-mini").backends()).extracting(BackendConfig::deployment)
        .containsExactly("mini-ptu", "mini-ptu", "mini", "mini");

    GatewayServer gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> answer = http.send(chat(gateway.baseUrl() + "/v1/chat/completions", gatewayKey,
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(ptuSucceeded("gpt-4o-ptu")).as("served by a PTU deployment").isEqualTo(1);
      assertThat(ptuSucceeded("gpt-4o")).as("no PAYG deployment used").isZero();

      HttpResponse<String> azureStyle = http.send(chat(gateway.baseUrl()
          + "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21", gatewayKey,
          "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"), HttpResponse.BodyHandlers.ofString());
      assertThat(azureStyle.statusCode()).as(azureStyle.body()).isEqualTo(200);
      assertThat(ptuSucceeded("mini-ptu")).isEqualTo(1);

      HttpResponse<String> anonymous = http.send(chat(gateway.baseUrl() + "/v1/chat/completions", "sk-spw-wrong",
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    } finally {
      gateway.close().await();
    }
  }

  @Test
  void keyOnlyDiscoveryWritesPaygUnlessPtuNamesItAndReusesASetPepper(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spillway.yaml");
    String pepper = "pepper-from-the-environment-42";
    Run run = init(Map.of("AZURE_OPENAI_KEY_EAST", EAST_KEY, "SWEDEN_KEY", SWEDEN_KEY, "SPILLWAY_KEY_PEPPER", pepper),
        "--endpoint", east.baseUrl() + "/", "--name", "east", "--endpoint", sweden.baseUrl(), "--name", "sweden",
        "--key-env", "SWEDEN_KEY", "--ptu", "gpt-4o-ptu", "--out", file.toString(), "--consumer", "search-app");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("SPILLWAY_KEY_PEPPER is set already").doesNotContain(pepper);
    String yaml = Files.readString(file);
    assertThat(yaml).contains("${AZURE_OPENAI_KEY_EAST}", "${SWEDEN_KEY}", "SKU unknown").doesNotContain(EAST_KEY);
    SpillwayConfig config = ConfigLoader.parse(yaml, file.toString(),
        Map.of("AZURE_OPENAI_KEY_EAST", EAST_KEY, "SWEDEN_KEY", SWEDEN_KEY, "SPILLWAY_KEY_PEPPER", pepper)::get, dir);
    List<BackendConfig> gpt4o = config.models().get("gpt-4o").backends();
    assertThat(gpt4o).extracting(BackendConfig::id)
        .containsExactly("east-gpt-4o-ptu", "sweden-gpt-4o-ptu", "east-gpt-4o", "sweden-gpt-4o");
    assertThat(gpt4o).extracting(BackendConfig::tier).containsExactly(Tier.PTU, Tier.PTU, Tier.PAYG, Tier.PAYG);
    assertThat(gpt4o).allMatch(b -> !b.capacity().declared());
    assertThat(config.models().get("gpt-4o-mini").backends()).extracting(BackendConfig::tier)
        .containsOnly(Tier.PAYG);
    String gatewayKey = match(GATEWAY_KEY, run.out(), 0);
    FileKeyStore keys = new FileKeyStore(dir.resolve("spillway-data/keys.json"), new KeyHasher(pepper));
    assertThat(keys.authenticate(gatewayKey)).contains("search-app");
  }

  @Test
  void anUnreachableEndpointFailsWithItsUrlAndWritesNothing(@TempDir Path dir) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path file = dir.resolve("spillway.yaml");
    Run run = init(Map.of("AZURE_OPENAI_KEY_DOWN", "k"), "--endpoint", "http://127.0.0.1:" + closedPort,
        "--name", "down", "--out", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach the resource at http://127.0.0.1:" + closedPort
        + "/openai/deployments").doesNotContain("Exception:").doesNotContain("\tat ");
    assertThat(file).doesNotExist();
    assertThat(dir.resolve("spillway-data")).doesNotExist();

    Run notHttp = init(Map.of(), "--endpoint", "ftp://contoso.example", "--out", file.toString());
    assertThat(notHttp.exit()).isEqualTo(2);
    assertThat(notHttp.err()).contains("--endpoint must be an absolute http(s) URL");

    Run wrongKey = init(Map.of("AZURE_OPENAI_KEY_EAST", "not-the-key"), "--endpoint", east.baseUrl(), "--name",
        "east", "--out", file.toString());
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("answered 401", "the key was refused").doesNotContain("not-the-key");

    Run noKey = init(Map.of(), "--endpoint", east.baseUrl(), "--name", "east", "--out", file.toString());
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("set AZURE_OPENAI_KEY_EAST to the key of");
    assertThat(file).doesNotExist();
  }

  @Test
  void aRefusedClientSecretIsNamedByItsCodeNeverByItsValue(@TempDir Path dir) {
    Path file = dir.resolve("spillway.yaml");
    Run run = init(Map.of("AZURE_CLIENT_SECRET", "wrong-secret-value"), viaArm(file));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("invalid_client", "AADSTS7000215").doesNotContain("wrong-secret-value");
    assertThat(file).doesNotExist();

    Run missing = init(Map.of(), viaArm(file));
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("set AZURE_CLIENT_SECRET to the client secret of " + CLIENT_ID);
  }

  @Test
  void entraBackendAuthWritesTheClientAndTheSecretsVariableNotTheSecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spillway.yaml");
    Run run = init(Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET, "SPILLWAY_KEY_PEPPER", "pepper-0123456789abcdef"),
        viaArm(file, "--backend-auth", "entra"));
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("export AZURE_CLIENT_SECRET=<the client secret>")
        .doesNotContain("AZURE_OPENAI_KEY_");
    String yaml = Files.readString(file);
    assertThat(yaml).contains("clientSecret: ${AZURE_CLIENT_SECRET}").doesNotContain(CLIENT_SECRET);
    SpillwayConfig config = ConfigLoader.parse(yaml, file.toString(),
        Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET, "SPILLWAY_KEY_PEPPER", "pepper-0123456789abcdef")::get, dir);
    assertThat(config.models().values()).flatMap(m -> m.backends()).allSatisfy(b -> {
      assertThat(b.auth().entra()).isPresent();
      assertThat(b.auth().entra().get().tokenUrl())
          .isEqualTo(URI.create(azure.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token"));
      assertThat(b.auth().entra().get().clientId()).isEqualTo(CLIENT_ID);
      assertThat(b.auth().entra().get().clientSecret()).isEqualTo(CLIENT_SECRET);
    });
  }

  @Test
  void aKeyStoreThatCannotBeWrittenLeavesTheConfigAndSaysHowToIssueTheKeyLater(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spillway.yaml");
    Files.createDirectories(dir.resolve("spillway-data/keys.json")); // a directory where the key file should be
    Run run = init(Map.of("AZURE_OPENAI_KEY_EAST", EAST_KEY), "--endpoint", east.baseUrl(), "--name", "east",
        "--out", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("could not issue a gateway key", "spillway keys create --config " + file)
        .doesNotContain("\tat ");
    assertThat(file).exists();
    assertThat(run.out()).doesNotContain("sk-spw-");
  }

  @Test
  void helpShowsTheVariableReferenceLiterally() {
    // picocli expands ${...} in descriptions: unescaped, the reference printed as "null".
    Run help = init(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("${AZURE_OPENAI_KEY_<NAME>}").doesNotContain("null");
  }

  @Test
  void anExistingFileIsKeptUnlessForced(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("spillway.yaml");
    Files.writeString(file, "# mine\n");
    Map<String, String> env = Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET);
    Run refused = init(env, viaArm(file));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("exists; pass --force");
    assertThat(Files.readString(file)).isEqualTo("# mine\n");

    Run forced = init(env, viaArm(file, "--force"));
    assertThat(forced.exit()).as(forced.err()).isZero();
    assertThat(Files.readString(file)).contains("models:");
  }

  private static long ptuSucceeded(String deployment) {
    return east.stats().deployment(deployment).succeeded() + sweden.stats().deployment(deployment).succeeded();
  }

  private static HttpRequest chat(String url, String key, String body) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").header("api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
