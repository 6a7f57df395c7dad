package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.admin.UsageWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spillway report} run in-process over a ledger a real gateway wrote, checked against the SQLite file. */
class ReportCommandTest {
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  private static final String FROM = TODAY.minusDays(1).toString();
  private static final String TO = TODAY.plusDays(2).toString();

  @TempDir static Path dir;
  private static UsageWorld world;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void record() throws Exception {
    world = new UsageWorld(dir, true).recordTraffic();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(SpillwayCli.commandLine(), args);
  }

  @Test
  void theJsonReportsCountsAreTheLedgersSums() throws Exception {
    Map<String, String> columns = Map.of("team", "team", "consumer", "consumer", "model", "model", "backend", "backend",
        "tier", "tier", "operation", "route", "user", "end_user");
    for (String by : columns.keySet()) {
      Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--by", by,
          "--format", "json");
      assertThat(run.exit()).as(run.err()).isZero();
      JsonNode report = new ObjectMapper().readTree(run.out());
      Map<String, long[]> ledger = world.ledgerSums(columns.get(by));
      for (JsonNode row : report.get("rows")) {
        String key = row.get("key").asText().equals("(none)") ? "" : row.get("key").asText();
        assertThat(counts(row)).as(by + " " + key).containsExactly(ledger.get(key));
      }
      assertThat(report.get("rows")).hasSize(ledger.size() - 1);
      assertThat(counts(report.get("totals"))).as(by).containsExactly(ledger.get("TOTAL"));
    }
  }

  @Test
  void theDefaultIsATableByTeam() throws Exception {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO);
    assertThat(run.exit()).as(run.err()).isZero();
    long[] total = world.ledgerSums("team").get("TOTAL");
    assertThat(run.out()).startsWith("Chargeback by team, " + FROM + "T00:00:00Z to " + TO + "T00:00:00Z (EUR)\n")
        .containsPattern("\nfinance +\\d+ +1 ")
        .containsPattern("\nTOTAL +" + total[0] + " +" + total[1] + " +" + total[2] + " +" + total[3] + " +" + total[4] + " ")
        .contains("PTU ptu-1: 18000 EUR a month");
  }

  @Test
  void csvGoesToStdout() {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--format", "csv",
        "--by", "tier");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("tier,requests,failed_requests,prompt_tokens,").contains("\r\nTOTAL,6,1,");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void byUserEachEndUserIsARowAndThoseWithoutOneAreNone() {
    Run run = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--by", "user");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Chargeback by user, ")
        .containsPattern("\nclerk-7 +2 +1 ")
        .containsPattern("\nshopper-1 +2 +0 ")
        .containsPattern("\nshopper-2 +1 +0 ")
        .containsPattern("\n\\(none\\) +1 +0 ")
        .doesNotContain("body-user");
    Run csv = run("report", "--config", world.config().toString(), "--from", FROM, "--to", TO, "--by", "user",
        "--format", "csv");
    assertThat(csv.out()).startsWith("user,requests,").contains("\r\nclerk-7,2,1,", "\r\n(none),1,0,",
        "\r\nTOTAL,6,1,");
  }

  @Test
  void theDefaultPeriodIsThisUtcMonthSoFar() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);
    CommandLine cli = new CommandLine(new ReportCommand(clock));
    cli.setExecutionExceptionHandler(new CliErrors());
    Run run = run(cli, "--config", world.config().toString(), "--format", "json");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("\"from\" : \"2026-03-01T00:00:00Z\"").contains("\"to\" : \"2026-03-10T12:00:00Z\"");
  }

  @Test
  void badParametersAreOneLine() {
    Run from = run("report", "--config", world.config().toString(), "--from", "last-week");
    assertThat(from.exit()).isEqualTo(2);
    assertThat(from.err()).isEqualTo(
        "spillway: from must be an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z), got \"last-week\"\n");
    Run order = run("report", "--config", world.config().toString(), "--from", "2026-11-02", "--to", "2026-11-01");
    assertThat(order.exit()).isEqualTo(2);
    assertThat(order.err()).isEqualTo("spillway: from (2026-11-02T00:00:00Z) must be before to (2026-11-01T00:00:00Z)\n");
    Run by = run("report", "--config", world.config().toString(), "--by", "planet");
    assertThat(by.exit()).isEqualTo(2);
    assertThat(by.err()).isEqualTo("spillway: by must be one of team|consumer|model|backend|tier|operation|user, got \"planet\"\n");
  }

  @Test
  void withoutALedgerItSaysSo(@TempDir Path other) throws Exception {
    Path config = other.resolve("spillway.yaml");
    Files.writeString(config, Files.readString(world.config()).replaceAll("(?s)\nledger:.*", "\nledger: off\n"));
    Run run = run("report", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(
        "spillway: the usage ledger is off in " + config + " (ledger: off; without it usage is recorded to"
            + " spillway-usage.db next to the config, or set ledger.sqlite or ledger.postgres)\n");
  }

  @Test
  void withoutALedgerSectionItReadsTheEmbeddedLedgerNextToTheConfig(@TempDir Path other) throws Exception {
    Path config = other.resolve("spillway.yaml");
    Files.writeString(config, Files.readString(world.config()).replaceAll("(?s)\nledger:.*", "\n"));
    Run run = run("report", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("spillway: cannot read the usage ledger: no SQLite ledger at "
        + other.toAbsolutePath().resolve("spillway-usage.db") + "\n");
  }

  @Test
  void anUnreadableLedgerIsOneLineAndExitCode1(@TempDir Path other) throws Exception {
    Path config = other.resolve("spillway.yaml");
    Files.writeString(config, Files.readString(world.config()));
    Run run = run("report", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("spillway: cannot read the usage ledger: no SQLite ledger at ").doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  private static long[] counts(JsonNode row) {
    return new long[] {row.get("requests").asLong(), row.get("failedRequests").asLong(), row.get("promptTokens").asLong(),
        row.get("completionTokens").asLong(), row.get("cachedTokens").asLong()};
  }
}
