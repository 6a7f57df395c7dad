package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as deploy/ runs it, in its own process: the JVM flags of the Dockerfile's ENTRYPOINT, the arguments of
 * its CMD, the ConfigMap's spillway.yaml (its two ports moved to free ones) and the Deployment's environment (the
 * Secret's connection settings pointed at the test's Redis and a PostgreSQL database of its own). The paths and ports
 * the Deployment's probes ask answer 200, so does the Dockerfile's HEALTHCHECK command; the admin port serves admin
 * to the Secret's admin key (and to nobody without it); and on SIGTERM readiness turns 503 and the process exits 0
 * well inside the grace period that is left after preStop.
 * The only difference from the image: the classes come from the module's output and its runtime dependencies (what
 * spillway.jar is shaded from) instead of spillway.jar itself.
 */
class DeploymentRunTest {
  private Process gateway;
  private String database;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void tearDown() throws Exception {
    if (gateway != null) {
      gateway.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    PostgresTestSupport.dropDatabase(database);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theGatewayStartedAsTheImageAndTheManifestsSayAnswersTheirProbesAndDrainsWithinTheGracePeriod(@TempDir Path dir)
      throws Exception {
    RedisTestSupport.requireRedis();
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    DockerfileFacts image = DockerfileFacts.read(DeploymentManifestsTest.ROOT.resolve("deploy/Dockerfile"));
    ManifestSet set = ManifestSet.render(DeploymentManifestsTest.KUBERNETES.resolve("base"));
    Deployment deployment = set.get(Deployment.class, "spillway");
    Container container = DeploymentManifestsTest.gatewayContainer(deployment);

    int clientPort = DeploymentManifestsTest.containerPort(container, "http");
    int adminPort = DeploymentManifestsTest.containerPort(container, "admin");
    Map<Integer, Integer> moved = Map.of(clientPort, freePort(), adminPort, freePort());
    String configText = GatewayManifest.configText(set);
    for (var port : moved.entrySet()) {
      String listen = "0.0.0.0:" + port.getKey();
      assertThat(configText.split(listen, -1)).as("%s once in the config", listen).hasSize(2);
      configText = configText.replace(listen, "0.0.0.0:" + port.getValue());
    }
    List<String> cmd = new ArrayList<>(image.cmd());
    int configArg = cmd.indexOf("--config") + 1;
    Path configFile = dir.resolve(Path.of(cmd.get(configArg)).getFileName().toString());
    Files.writeString(configFile, configText);
    cmd.set(configArg, configFile.toString());

    Map<String, String> env = GatewayManifest.environment(set, DeploymentManifestsTest.exampleSecret());
    assertThat(env).containsKeys("SPILLWAY_REDIS_URL", "SPILLWAY_POSTGRES_URL", "SPILLWAY_POSTGRES_USER");
    env.put("SPILLWAY_REDIS_URL", RedisTestSupport.CONNECTION_STRING);
    env.put("SPILLWAY_POSTGRES_URL", PostgresTestSupport.jdbcUrl(database));
    env.put("SPILLWAY_POSTGRES_USER", "postgres");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The start-up cache is made while the image is built (from its own runtime and jar); a class path run has none.
    // Compact object headers are a JDK 25 flag (the image's runtime); a build on JDK 21 runs without it.
    command.addAll(image.jvmFlags().stream().filter(f -> !f.startsWith("-XX:AOTCache="))
        .filter(f -> Runtime.version().feature() >= 25 || !f.equals("-XX:+UseCompactObjectHeaders")).toList());
    command.addAll(List.of("-cp", runtimeClassPath(), SpillwayCli.class.getName()));
    command.addAll(cmd);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    builder.environment().putAll(env);
    gateway = builder.start();
    awaitListening();

    // Every probe of the Deployment: its path on the port it names (as moved) answers 200.
    for (String which : List.of("startup", "liveness", "readiness")) {
      HTTPGetAction get = DeploymentManifestsTest.probe(container, which).getHttpGet();
      int port = moved.get(DeploymentManifestsTest.containerPort(container, get.getPort().getStrVal()));
      HttpResponse<String> answer = get(port, get.getPath());
      assertThat(answer.statusCode()).as("%s probe %s on port %s: %s", which, get.getPath(), port, output).isEqualTo(200);
    }
    assertThat(get(moved.get(clientPort), "/readyz").body()).as("limits in the Secret's Redis")
        .contains("\"status\":\"ready\"").contains("\"limitStore\":\"redis\"");
    assertThat(get(moved.get(adminPort), "/readyz").statusCode()).as("the admin port answers the probes too").isEqualTo(200);
    String adminKey = env.get("SPILLWAY_ADMIN_KEY");
    assertThat(get(moved.get(adminPort), "/admin/backends", adminKey).statusCode()).as("admin on its own port, with the key")
        .isEqualTo(200);
    assertThat(get(moved.get(adminPort), "/admin/backends").statusCode()).as("without the key, even from loopback")
        .isEqualTo(401);
    assertThat(get(moved.get(clientPort), "/admin/backends", adminKey).statusCode()).as("not on the client port")
        .isEqualTo(404);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'spillway_store'"))
        .as("the consumer and key store is the Secret's PostgreSQL").isEqualTo(1);

    // The image's HEALTHCHECK command, word for word but for the port.
    List<String> healthcheck = image.healthcheck().stream()
        .map(w -> w.replace("/" + clientPort + " ", "/" + moved.get(clientPort) + " ")).toList();
    assertThat(healthcheck).isNotEqualTo(image.healthcheck());
    Process check = new ProcessBuilder(healthcheck).redirectErrorStream(true).start();
    assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as("HEALTHCHECK exit code").isZero();

    // SIGTERM, as the kubelet sends it after preStop: not ready at once, then a clean exit inside what is left.
    long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()
        - GatewayManifest.preStopSeconds(container);
    long signalled = System.nanoTime();
    gateway.destroy();
    int readiness = get(moved.get(clientPort), "/readyz").statusCode();
    var readinessProbe = DeploymentManifestsTest.probe(container, "readiness");
    long deadline = System.nanoTime()
        + TimeUnit.SECONDS.toNanos((long) readinessProbe.getPeriodSeconds() * readinessProbe.getFailureThreshold());
    while (readiness != 503 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      readiness = get(moved.get(clientPort), "/readyz").statusCode();
    }
    assertThat(readiness).as("readiness after SIGTERM, within the readiness probe's window").isEqualTo(503);
    assertThat(gateway.waitFor(grace, TimeUnit.SECONDS)).as("stopped within %s s", grace).isTrue();
    assertThat(gateway.exitValue()).isZero();
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).isLessThan(grace);
  }

  /**
   * What spillway.jar holds: this module's classes and its runtime dependencies, as the build wrote them
   * (maven-dependency-plugin, generate-test-resources); not surefire's class path, whose test-scoped artifacts could
   * hide a class the jar lacks.
   */
  private static String runtimeClassPath() throws Exception {
    Path written = Path.of("target/runtime-classpath.txt");
    assertThat(written).as("written by the build (mvnw test)").isRegularFile();
    return Path.of("target/classes").toAbsolutePath() + java.io.File.pathSeparator + Files.readString(written).strip();
  }

  private void awaitListening() throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    String line;
    boolean listening = false;
    while (!listening && (line = out.readLine()) != null) {
      output.add(line);
      listening = line.contains("listening on");
    }
    assertThat(listening).as("the gateway started: %s", output).isTrue();
    Thread.ofVirtual().start(() -> out.lines().forEach(output::add));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path, String apiKey) throws Exception {
    return http.send(request(port, path).header("api-key", apiKey).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
