package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.UsageTotals;
import dev.spillway.gateway.ledger.Ledgers;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway configured with {@code ledger.postgres} records every finished request in PostgreSQL. */
class PostgresLedgerWiringTest {
  @TempDir
  Path dir;
  String database;

  @BeforeEach
  void createDatabase() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    PostgresTestSupport.dropDatabase(database);
  }

  private SpillwayConfig config(String simUrl, PostgresLedger postgres) {
    return Backends.config(Map.of("gpt-4o", List.of(
            Backends.azure("ptu-1", simUrl, "ptu", Tier.PTU, 1),
            Backends.azure("payg-1", simUrl, "payg", Tier.PAYG, 2))))
        .toBuilder()
        .ledger(new LedgerConfig(Optional.empty(), Optional.of(postgres), dir.resolve("spill"), 1000))
        .build();
  }

  @Test
  void requestsLandInThePostgresLedgerAndTheReaderSumsThem() throws Exception {
    Instant from = Instant.now().minus(Duration.ofMinutes(1));
    TestWorld world = new TestWorld().simulate(
        List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    SpillwayConfig config = config(world.simUrl(), PostgresTestSupport.ledger(database));
    try {
      world.gateway(config);
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));
      Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-9", false));
    } finally {
      world.close(); // drains the ledger writer
    }

    List<String> rows = new ArrayList<>();
    try (Connection c = PostgresTestSupport.connect(database);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT model, backend, tier, status, prompt_tokens > 0, completion_tokens > 0,"
            + " usage_estimated, spilled, ttft_ms IS NOT NULL FROM usage ORDER BY time")) {
      while (r.next()) {
        rows.add(r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" + r.getInt(4) + "|"
            + r.getBoolean(5) + "|" + r.getBoolean(6) + "|" + r.getBoolean(7) + "|" + r.getBoolean(8) + "|"
            + r.getBoolean(9));
      }
    }
    // The tiny PTU serves the first request; the stream spills to PAYG; the unknown model is refused.
    assertThat(rows).containsExactly(
        "gpt-4o|ptu-1|ptu|200|true|true|false|false|false",
        "gpt-4o|payg-1|payg|200|true|true|false|true|true",
        "|||404|false|false|false|false|false");

    try (LedgerReader reader = Ledgers.openReader(config.ledger()).orElseThrow()) {
      List<UsageTotals> totals = reader.totals(from, Instant.now().plus(Duration.ofMinutes(1)));
      assertThat(totals).extracting(t -> t.backend() + "|" + t.requests() + "|" + t.failedRequests())
          .containsExactlyInAnyOrder("ptu-1|1|0", "payg-1|1|0", "|1|1");
    }
  }

  @Test
  void servesWhileTheLedgerDatabaseIsDownAndSpillsTheRows() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    PostgresLedger unreachable =
        new PostgresLedger("jdbc:postgresql://127.0.0.1:" + closedPort + "/spillway", "postgres", Optional.empty(), 2);
    TestWorld world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu", 60)));
    try {
      world.gateway(config(world.simUrl(), unreachable));
      assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false)).statusCode())
          .isEqualTo(200);
    } finally {
      world.close();
    }
    try (Stream<Path> spill = Files.list(dir.resolve("spill"))) {
      assertThat(spill.mapToLong(PostgresLedgerWiringTest::lines).sum()).isEqualTo(1);
    }
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> !l.isBlank()).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
