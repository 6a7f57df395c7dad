package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Azure's own spillover, end to end against the simulator, which does what an Azure resource does: a PTU deployment
 * that spills passes a request it would refuse to a standard deployment and marks the answer {@code
 * x-ms-spillover-from-deployment: <ptu deployment>}. The gateway books such an answer as PAYG, may ask for the spillover as its last
 * resort, and never lets a client ask for it.
 */
class AzureSpilloverTest {
  private TestWorld world;
  private boolean closed;

  @AfterEach
  void stop() {
    if (!closed) {
      world.close();
    }
  }

  private HttpResponse<String> chat(String... headers) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Http.chat("gpt-4o", false)));
    if (headers.length > 0) {
      r.headers(headers);
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static List<String> ledgerRows(Path db) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select backend, tier, spilled, spilled_by from usage order by time_ms")) {
      while (r.next()) {
        rows.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getBoolean(3) + "|" + r.getString(4));
      }
    }
    return rows;
  }

  @Test
  void anAnswerAzureSpilledIsBookedAsPaygWithTheMark() throws Exception {
    Path dir = Files.createTempDirectory("spillway-azure-spill");
    Path db = dir.resolve("usage.db");
    // A PTU that holds one request, spilling by its own deployment property to a standard deployment.
    world =
        new TestWorld()
            .simulate(
                List.of(
                    DeploymentConfig.ptu("ptu", 60).withSpilloverDeployment("standard"),
                    DeploymentConfig.payg("standard", 10_000_000, 100_000)));
    SpillwayConfig config =
        Backends.config(Map.of("gpt-4o", List.of(Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1))))
            .toBuilder()
            .ledger(new LedgerConfig(Optional.of(db), Optional.empty(), dir.resolve("spill"), 1000))
            .build();
    world.gateway(config);

    HttpResponse<String> first = chat();
    HttpResponse<String> second = chat();
    long spilledIn = world.simulator.stats().deployment("standard").spilledIn();
    world.close(); // the gateway's ledger writer flushes on close
    closed = true;

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ms-spillover-from-deployment")).isEmpty();
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-ms-spillover-from-deployment")).contains("ptu");
    assertThat(spilledIn).isEqualTo(1);
    assertThat(ledgerRows(db)).containsExactly("ptu-1|ptu|false|null", "ptu-1|payg|true|azure");
  }

  @Test
  void theLastResortAsksTheFullPtuToSpillAndAClientCannotAskForIt() throws Exception {
    world =
        new TestWorld()
            .simulate(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("standard", 10_000_000, 100_000)));
    world.gateway(
        Backends.config(
            Map.of(
                "gpt-4o",
                List.of(
                    Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1)
                        .toBuilder()
                        .azureSpillover(Optional.of("standard"))
                        .build()))));

    assertThat(chat().statusCode()).isEqualTo(200); // fills the PTU
    // Full: the router has nothing left but the last resort, and asks the PTU to spill.
    HttpResponse<String> spilled = chat();
    assertThat(spilled.statusCode()).as(spilled.body()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("x-ms-spillover-from-deployment")).contains("ptu");
    assertThat(spilled.headers().firstValue("x-spillway-attempts")).contains("2");
    assertThat(world.simulator.stats().deployment("standard").spilledIn()).isEqualTo(1);
  }

  @Test
  void aClientsOwnSpilloverHeaderIsNotForwarded() throws Exception {
    world =
        new TestWorld()
            .simulate(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("standard", 10_000_000, 100_000)));
    world.gateway(
        Backends.config(Map.of("gpt-4o", List.of(Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1)))));

    assertThat(chat().statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat("x-ms-spillover-deployment", "standard");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(world.simulator.stats().deployment("standard").requests()).isZero();
  }
}
