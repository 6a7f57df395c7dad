package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.simulator.ContentFilterConfig;
import dev.spillway.simulator.ContentSafetyConfig;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.FilterCategory;
import dev.spillway.simulator.FilterSeverity;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.TriggerTerm;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The severity of the content guard's finding, end to end: a gateway whose guard asks the simulator's Azure AI Content
 * Safety look-alike blocks a prompt it rates violence at severity 6 and logs one it rates hate at 2; the ledger row of
 * each (SQLite and PostgreSQL) keeps its verdict, category and severity, and {@code /admin/usage?safety=true} counts
 * them per severity.
 */
class SafetySeverityLedgerTest {
  @TempDir
  Path dir;
  private TestWorld world;
  private String database;
  private String key;

  @AfterEach
  void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  private void start(String ledgerYaml) {
    world = new TestWorld().simulate(SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(Backends.BACKEND_KEY)
        .deployments(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)))
        .contentFilter(ContentFilterConfig.of(
            TriggerTerm.prompt(FilterCategory.VIOLENCE, "punch him", FilterSeverity.HIGH),
            TriggerTerm.prompt(FilterCategory.HATE, "grumpy", FilterSeverity.LOW)))
        .contentSafety(ContentSafetyConfig.DEFAULTS.withLatency(Duration.ofMillis(1)))
        .build());
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%1$s", deployment: gpt-4o, auth: { apiKey: %2$s }, tier: payg }
        guard:
          profile: checked
          profiles:
            checked:
              contentSafety: { endpoint: "%1$s", key: %2$s, thresholds: { violence: 4 } }
        consumers:
          - { id: alice, team: red, models: ["*"] }
        auth:
          keyStore: %3$s
          keyPepper: pepper-0123456789abcdef
        %4$s
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"), ledgerYaml);
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    key = store.create("alice", Instant.now()).plaintext();
  }

  @Test
  void theSqliteLedgerKeepsTheSeverityOfEachVerdictAndTheSafetyReportCountsIt() throws Exception {
    Path db = dir.resolve("usage.db");
    start("ledger: { sqlite: \"%s\", spillDirectory: \"%s\" }".formatted(db, dir.resolve("spill")));
    assertLedgerAndReport(() -> java.sql.DriverManager.getConnection("jdbc:sqlite:" + db));
  }

  @Test
  void thePostgresLedgerKeepsTheSeverityOfEachVerdictAndTheSafetyReportCountsIt() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    start("ledger: { postgres: { url: \"%s\", user: postgres }, spillDirectory: \"%s\" }"
        .formatted(PostgresTestSupport.jdbcUrl(database), dir.resolve("spill")));
    assertLedgerAndReport(() -> PostgresTestSupport.connect(database));
  }

  private String ask(String text, int status) throws Exception {
    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}", Map.of("api-key", key));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.headers().firstValue("x-spillway-request-id").orElseThrow();
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  /** request id -> verdict, category and severity of every row so far. */
  private static Map<String, List<String>> rows(Connect connect) {
    Map<String, List<String>> rows = new HashMap<>();
    try (Connection c = connect.open(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT request_id, safety_verdict, safety_category, safety_severity FROM usage")) {
      while (r.next()) {
        rows.put(r.getString(1), List.of(r.getString(2), r.getString(3), Integer.toString(r.getInt(4))));
      }
    } catch (SQLException e) {
      return Map.of(); // the table is created by the ledger's first write
    }
    return rows;
  }

  private void assertLedgerAndReport(Connect connect) throws Exception {
    String blocked = ask("tell me how to punch him hard", 400);
    String logged = ask("a grumpy question about invoices", 200);
    String plain = ask("what are your opening hours?", 200);

    TestWorld.await("the ledger has the three requests",
        () -> rows(connect).keySet().containsAll(List.of(blocked, logged, plain)));
    Map<String, List<String>> rows = rows(connect);
    assertThat(rows.get(blocked)).containsExactly("blocked", "violence", "6");
    assertThat(rows.get(logged)).containsExactly("logged", "hate", "2");
    assertThat(rows.get(plain)).containsExactly("none", "", "0");

    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(2);
    HttpResponse<String> response = Http.get(world.url("/admin/usage?safety=true&" + period));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode totals = Http.json(response).path("totals");
    assertThat(totals.path("requests").asLong()).isEqualTo(3);
    assertThat(totals.path("blocked").asLong()).isEqualTo(1);
    assertThat(totals.path("maxSeverity").asInt()).isEqualTo(6);
    JsonNode severities = totals.path("severities");
    assertThat(severities.findValuesAsText("severity")).containsExactly("2", "6");
    assertThat(severities.get(1).path("blocked").asLong()).isEqualTo(1);
    assertThat(severities.get(1).path("blockedShare").decimalValue()).isEqualByComparingTo("0.333");
    assertThat(severities.get(1).path("categories").toString())
        .isEqualTo("[{\"category\":\"violence\",\"logged\":0,\"masked\":0,\"blocked\":1}]");
    assertThat(severities.get(0).path("categories").toString())
        .isEqualTo("[{\"category\":\"hate\",\"logged\":1,\"masked\":0,\"blocked\":0}]");

    HttpResponse<String> csv = Http.get(world.url("/admin/usage?safety=true&format=csv&" + period));
    assertThat(csv.body()).contains("\r\nseverity,TOTAL,6,,,3,1,0,0,1,0.333,0.333\r\n",
        "\r\nseverity,TOTAL,2,,,3,1,1,0,0,0.000,0.333\r\n");
  }
}
