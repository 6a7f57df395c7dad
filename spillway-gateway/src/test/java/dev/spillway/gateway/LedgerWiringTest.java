package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every finished request — success, stream, refusal, spill — becomes one row in the SQLite ledger. */
class LedgerWiringTest {

  @Test
  void requestsLandInTheLedgerWithTheirUsage() throws Exception {
    Path dir = Files.createTempDirectory("spillway-ledger");
    Path db = dir.resolve("usage.db");
    TestWorld world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    try {
      SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(
              Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1),
              Backends.azure("payg-1", world.simUrl(), "payg", Tier.PAYG, 2))))
          .toBuilder()
          .ledger(new LedgerConfig(Optional.of(db), Optional.empty(), dir.resolve("spill"), 1000))
          .build();
      world.gateway(config);
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-9", false));
    } finally {
      world.close();
    }

    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "select model, backend, tier, status, prompt_tokens, completion_tokens, usage_estimated, spilled, consumer "
                + "from usage order by time_ms")) {
      while (r.next()) {
        rows.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getInt(4) + "|"
            + (r.getLong(5) > 0) + "|" + (r.getLong(6) > 0) + "|" + r.getBoolean(7) + "|" + r.getBoolean(8) + "|" + r.getString(9));
      }
    }
    // The tiny PTU serves the first request; the stream spills to PAYG; the unknown model is refused.
    assertThat(rows).containsExactly(
        "gpt-4o|ptu-1|ptu|200|true|true|false|false|anonymous",
        "gpt-4o|payg-1|payg|200|true|true|false|true|anonymous",
        "|||404|false|false|false|false|anonymous"); // refused after authentication: the caller is known
  }

  @Test
  void aLedgerDatabaseThatIsDownShowsInReadinessAndMetrics() throws Exception {
    Path dir = Files.createTempDirectory("spillway-ledger-down");
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    TestWorld world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    try {
      SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(
              Backends.azure("payg-1", world.simUrl(), "payg", Tier.PAYG, 1))))
          .toBuilder()
          .ledger(new LedgerConfig(Optional.empty(),
              Optional.of(new dev.spillway.core.config.PostgresLedger(
                  "jdbc:postgresql://127.0.0.1:" + closedPort + "/spillway", "postgres", Optional.empty(), 2)),
              dir.resolve("spill"), 1000))
          .build();
      world.gateway(config);
      assertThat(Http.json(Http.get(world.url("/readyz"))).path("ledger").asText()).isEqualTo("ok");

      assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false)).statusCode()).isEqualTo(200);

      // The answer went out; its record waits on disk for the database, and readiness says so (still ready).
      TestWorld.await("the ledger spills", () -> {
        try {
          return Http.json(Http.get(world.url("/readyz"))).path("ledger").asText().equals("spilling");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      HttpResponse<String> ready = Http.get(world.url("/readyz"));
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(Http.json(ready).path("status").asText()).isEqualTo("ready");
      assertThat(Http.json(ready).path("ledgerBacklog").asLong()).isEqualTo(1);
      String metrics = Http.get(world.url("/metrics")).body();
      assertThat(metrics).contains("spillway_ledger_spilling 1.0").contains("spillway_ledger_backlog_records 1.0");
    } finally {
      world.close();
    }
  }
}
