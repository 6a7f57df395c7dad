package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.admin.UsageWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway report --cache} over a ledger a real gateway wrote in front of a simulator with a prompt cache:
 * search-app's prompts begin alike, billing's vary early.
 */
class ReportCacheCommandTest {
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  private static final String FROM = TODAY.minusDays(1).toString();
  private static final String TO = TODAY.plusDays(2).toString();

  @TempDir static Path dir;
  private static UsageWorld world;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void record() throws Exception {
    world = new UsageWorld(dir, true).recordPromptCacheTraffic();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static Run run(String... args) {
    CommandLine cli = SpillwayCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** requests|prompt|cached tokens of a consumer's rows a backend answered, straight from the SQLite file. */
  private static String ledger(String consumer) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + world.ledger()); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(prompt_tokens), SUM(cached_tokens), COUNT(prompt_prefix_hash)"
            + " FROM usage WHERE consumer = '" + consumer + "' AND status < 400 AND prompt_tokens > 0")) {
      r.next();
      return r.getLong(1) + "|" + r.getLong(2) + "|" + r.getLong(3) + "|" + r.getLong(4);
    }
  }

  @Test
  void theJsonReportIsTheLedgersSumsWithStabilityAndTheFlag() throws Exception {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--by", "consumer",
        "--cache", "--format", "json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.get("by").asText()).isEqualTo("consumer");
    JsonNode rows = report.get("rows");
    assertThat(rows).hasSize(2);
    JsonNode billing = rows.get(0);
    JsonNode search = rows.get(1);
    assertThat(billing.get("key").asText()).isEqualTo("billing");
    assertThat(search.get("key").asText()).isEqualTo("search-app");
    for (JsonNode row : rows) {
      assertThat(row.get("model").asText()).isEqualTo("gpt-4o");
      assertThat(row.get("requests").asLong() + "|" + row.get("promptTokens").asLong() + "|"
          + row.get("cachedTokens").asLong() + "|" + row.get("longPrompts").asLong())
          .isEqualTo(ledger(row.get("key").asText()));
      assertThat(row.get("prefixPairs").asLong()).isEqualTo(10);
    }
    assertThat(search.get("stablePairs").asLong()).isEqualTo(10);
    assertThat(search.get("cachedTokens").asLong()).isPositive();
    assertThat(search.get("flags")).isEmpty();
    assertThat(billing.get("stablePairs").asLong()).isZero();
    assertThat(billing.get("cachedTokens").asLong()).isZero();
    assertThat(billing.get("flags").get(0).asText()).isEqualTo("varies_early");
  }

  @Test
  void theTableFlagsTheConsumerWhosePromptsVaryEarly() {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--cache");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Prompt cache by consumer and model, " + FROM + "T00:00:00Z")
        .containsPattern("\nbilling +gpt-4o +11 +\\d+ +0\\.0% +11 +0\\.0% +0\\.000000 +varies_early\n")
        .containsPattern("\nsearch-app +gpt-4o +11 +\\d+ +\\d+\\.\\d% +11 +100\\.0% +\\d+\\.\\d{6}\n")
        .contains("varies_early: most prompts are long");
  }

  @Test
  void csvByTeam() {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--cache", "--by",
        "team", "--format", "csv");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("team,model,requests,prompt_tokens,cached_tokens,cached_share,")
        .contains("\r\nfinance,gpt-4o,11,").contains("\r\nretail,gpt-4o,11,").contains("\r\nTOTAL,,22,");
  }

  @Test
  void aGroupingTheCacheReportDoesNotHaveIsOneLine() {
    Run run = run("report", "--config", world.config().toString(), "--cache", "--by", "backend");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "spillway: the prompt-cache report is by consumer or team (and model), got \"backend\"\n");
  }
}
