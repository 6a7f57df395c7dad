package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway plan} run in-process over an SQLite ledger written through the gateway's sink. gpt-4o gets two hours
 * of steady traffic whose PTU need is known by hand: 100 requests a minute of 500 prompt and 50 completion tokens use
 * 500 + 4 × 50 = 700 of a PTU's 2,500 input tokens a minute each, 70,000 a minute in all, 28 PTUs; so 30 is the
 * smallest deployable size (15 + 5n) that never spills.
 */
class PlanCommandTest {
  private static final Instant DAY = Instant.parse("2026-11-02T00:00:00Z");
  private static final String FROM = "2026-11-02T08:00:00Z";
  private static final String TO = "2026-11-02T10:00:00Z";

  @TempDir static Path dir;
  private static PlanLedger ledger;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void record() throws Exception {
    ledger = new PlanLedger(dir, PlanLedger.CONFIG)
        .steady("gpt-4o", DAY.plus(Duration.ofHours(8)), Duration.ofHours(1), 4_000, 500, 50, "ptu")
        .steady("gpt-4o", DAY.plus(Duration.ofHours(9)), Duration.ofHours(1), 6_000, 500, 50, "ptu")
        .steady("gpt-4o", DAY.plus(Duration.ofHours(8)).plusMillis(1), Duration.ofHours(1), 2_000, 500, 50, "payg")
        .refused("gpt-4o", DAY.plus(Duration.ofHours(9)), 429)
        .steady("chat", DAY.plus(Duration.ofHours(8)), Duration.ofHours(2), 100, 200, 20, "payg")
        .steady("gpt-4o", DAY.plus(Duration.ofHours(12)), Duration.ofHours(1), 500, 500, 50, "ptu") // after --to
        .write();
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
    List<String> all = new ArrayList<>(List.of("plan", "--config", ledger.config().toString()));
    all.addAll(List.of(args));
    return run(SpillwayCli.commandLine(), all.toArray(String[]::new));
  }

  @Test
  void recommendsTheSmallestDeployableSizeThatNeverSpillsAndListsEachCandidate() throws Exception {
    Run run = run("--from", FROM, "--to", TO, "--max-spill", "0%", "--format", "json");
    assertThat(run.exit()).as(run.err()).isZero();

    JsonNode plan = new ObjectMapper().readTree(run.out());
    assertThat(plan.get("from").asText()).isEqualTo(FROM);
    assertThat(plan.get("models")).hasSize(1);
    JsonNode gpt4o = plan.get("models").get(0);
    assertThat(gpt4o.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt4o.get("requests").asLong()).isEqualTo(12_000);
    assertThat(gpt4o.get("skippedRows").asLong()).isEqualTo(1);
    assertThat(gpt4o.get("recordedPaygShare").asDouble()).isCloseTo(1 / 6.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(gpt4o.get("maxWaitForPtuMillis").asLong()).isEqualTo(1_500);
    List<Integer> ptus = new ArrayList<>();
    gpt4o.get("candidates").forEach(c -> ptus.add(c.get("ptus").asInt()));
    assertThat(ptus).containsExactly(0, 15, 20, 25, 30, 35);
    assertThat(gpt4o.get("recommendation").get("ptus").asInt()).isEqualTo(30);
    assertThat(gpt4o.get("recommendation").get("meetsTarget").asBoolean()).isTrue();
    JsonNode thirty = gpt4o.get("candidates").get(4);
    assertThat(thirty.get("spillShare").asDouble()).isZero();
    assertThat(thirty.get("ptuUtilization").asDouble()).isCloseTo(70_000.0 / 75_000, org.assertj.core.data.Offset.offset(0.01));
    assertThat(thirty.get("monthlyCost").asText()).isEqualTo("7800.00");
    assertThat(gpt4o.get("candidates").get(3).get("spillShare").asDouble()).isGreaterThan(0.05); // 25 PTU: 62,500 a minute

    assertThat(plan.get("notes").get(0).asText()).startsWith("chat left out: no PTU figures (set plan.models.chat.");
  }

  @Test
  void theTableIsTheDefaultAndNamesTheRecommendation() {
    Run run = run("--from", FROM, "--to", TO, "--model", "gpt-4o", "--candidates", "0,25..35/5", "--max-spill", "0%",
        "--max-p99-wait", "2s");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("PTU plan, " + FROM + " to " + TO + ": costs in EUR a month (730 h), one PTU 260 EUR\n"
            + "target: spill <= 0%, p99 wait <= 2s\n\ngpt-4o: 12000 requests replayed (1 without tokens left out); the"
            + " ledger shows 16.7% of tokens on PAYG\n")
        .containsPattern("\n  \\*   30  +7800\\.00 ")
        .contains("  recommended: 30 PTU, 7800.00 EUR a month (spilled 0.0%, p99 wait 0ms, 0 client 429s)\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aPeriodWithoutFromCountsBackFromToAndTheDefaultIsTheLastWeek() {
    Run hour = run("--to", TO, "--period", "1h", "--model", "gpt-4o", "--candidates", "30", "--format", "json");
    assertThat(hour.exit()).as(hour.err()).isZero();
    assertThat(hour.out()).contains("\"from\" : \"2026-11-02T09:00:00Z\"").contains("\"requests\" : 6000");

    CommandLine cli = new CommandLine(new PlanCommand(Clock.fixed(Instant.parse("2026-11-05T00:00:00Z"), ZoneOffset.UTC)));
    cli.setExecutionExceptionHandler(new CliErrors());
    Run week = run(cli, "--config", ledger.config().toString(), "--model", "gpt-4o", "--candidates", "30", "--format",
        "json");
    assertThat(week.exit()).as(week.err()).isZero();
    assertThat(week.out()).contains("\"from\" : \"2026-10-29T00:00:00Z\"").contains("\"requests\" : 12500");
  }

  @Test
  void badOptionsAreOneLineWithExitCode2() {
    assertThat(run("--max-spill", "lots")).isEqualTo(new Run(2, "",
        "spillway: max-spill must be a percentage from 0 to 100 such as 5% or 2.5, got \"lots\"\n"));
    assertThat(run("--candidates", "a..b")).isEqualTo(new Run(2, "",
        "spillway: candidates must be PTU counts and ranges such as 0,15,20 or 0..40 or 15..100/5, got \"a..b\"\n"));
    assertThat(run("--from", FROM, "--to", TO, "--model", "chat").err())
        .startsWith("spillway: cannot plan chat: no PTU figures (set plan.models.chat.azureModel to a model with");
    assertThat(run("--from", "2026-10-01", "--to", "2026-10-02"))
        .isEqualTo(new Run(2, "", "spillway: nothing to plan between 2026-10-01T00:00:00Z and 2026-10-02T00:00:00Z:"
            + " the ledger has no requests then\n"));
    Run wait = run("--max-p99-wait", "soon");
    assertThat(wait.exit()).isEqualTo(2);
    assertThat(wait.err()).contains("'soon' is not a duration");
  }

  @Test
  void withoutAPtuPriceOrALedgerItSaysWhatToSet(@TempDir Path other) throws Exception {
    Path noPrice = other.resolve("no-price.yaml");
    Files.writeString(noPrice, Files.readString(ledger.config()).replace("  ptuUnitMonthly: 260\n", "")
        .replace("sqlite: data/usage.db", "sqlite: " + dir.resolve("data/usage.db")));
    Run price = run(SpillwayCli.commandLine(), "plan", "--config", noPrice.toString(), "--from", FROM, "--to", TO);
    assertThat(price).isEqualTo(new Run(2, "",
        "spillway: the config sets no costs.ptuUnitMonthly: planning needs the monthly price of one PTU\n"));

    Path noLedger = other.resolve("no-ledger.yaml");
    Files.writeString(noLedger, Files.readString(ledger.config()).replaceAll("(?s)\nledger:.*", "\nledger: off\n"));
    Run none = run(SpillwayCli.commandLine(), "plan", "--config", noLedger.toString());
    assertThat(none).isEqualTo(new Run(2, "",
        "spillway: the usage ledger is off in " + noLedger + " (ledger: off; without it usage is recorded to"
            + " spillway-usage.db next to the config, or set ledger.sqlite or ledger.postgres)\n"));
  }

  @Test
  void anUnreadableLedgerIsOneLineAndExitCode1(@TempDir Path other) throws Exception {
    Path config = other.resolve("spillway.yaml");
    Files.writeString(config, Files.readString(ledger.config()));
    Run run = run(SpillwayCli.commandLine(), "plan", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("spillway: cannot read the usage ledger: no SQLite ledger at ").doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }
}
