package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.admin.UsageWorld;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway report --safety} over an SQLite ledger holding rows with the content guard's verdicts ({@link
 * UsageWorld#recordSafetyRows()}), checked against the ledger file and the fixture's known numbers.
 */
class ReportSafetyCommandTest {
  private static final String FROM = "2020-03-02";
  private static final String TO = "2020-03-04";

  @TempDir static Path dir;
  private static UsageWorld world;

  private record Run(int exit, String out, String err) {}

  @BeforeAll
  static void record() throws Exception {
    world = new UsageWorld(dir, true).recordSafetyRows();
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

  private static Run report(String... more) {
    List<String> args = new ArrayList<>(List.of("report", "--config", world.config().toString(), "--from", FROM,
        "--to", TO, "--safety"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static long[] counts(JsonNode bucket) {
    return new long[] {bucket.get("requests").asLong(), bucket.get("logged").asLong(), bucket.get("masked").asLong(),
        bucket.get("blocked").asLong()};
  }

  @Test
  void theJsonBucketsAreTheLedgersCountsPerDayAndTheEndUsersAreRanked() throws Exception {
    Run run = report("--format", "json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("bucket").asText()).isEqualTo("day");

    Map<String, long[]> ledger = world.ledgerSafety("%Y-%m-%dT00:00:00Z", Instant.parse(FROM + "T00:00:00Z"),
        Instant.parse(TO + "T00:00:00Z"));
    assertThat(ledger).hasSize(2);
    JsonNode buckets = json.get("buckets");
    assertThat(buckets).hasSize(2);
    List<String> starts = new ArrayList<>(ledger.keySet());
    for (int i = 0; i < 2; i++) {
      assertThat(buckets.get(i).get("start").asText()).isEqualTo(starts.get(i));
      assertThat(counts(buckets.get(i))).as(starts.get(i)).containsExactly(ledger.get(starts.get(i)));
    }
    assertThat(counts(buckets.get(0))).containsExactly(37, 1, 3, 13);
    assertThat(buckets.get(0).get("blockedShare").decimalValue()).isEqualByComparingTo("0.351");
    assertThat(buckets.get(0).get("categories").toString()).isEqualTo("["
        + "{\"category\":\"blocklist\",\"logged\":0,\"masked\":0,\"blocked\":5},"
        + "{\"category\":\"hate\",\"logged\":0,\"masked\":0,\"blocked\":2},"
        + "{\"category\":\"pii.credit_card\",\"logged\":0,\"masked\":2,\"blocked\":0},"
        + "{\"category\":\"pii.email\",\"logged\":1,\"masked\":1,\"blocked\":0},"
        + "{\"category\":\"prompt_injection\",\"logged\":0,\"masked\":0,\"blocked\":6}]");
    assertThat(counts(json.get("totals"))).containsExactly(38, 1, 3, 14);

    JsonNode users = json.get("endUsers");
    assertThat(json.get("rankedEndUsers").asLong()).isEqualTo(3);
    assertThat(users).hasSize(3);
    assertThat(users.get(0).toString()).isEqualTo("{\"consumer\":\"search-app\",\"endUser\":\"shopper-1\","
        + "\"requests\":13,\"flagged\":9,\"blocked\":7,\"flaggedShare\":0.692,"
        + "\"categories\":{\"pii.credit_card\":2,\"prompt_injection\":7}}");
    assertThat(users.get(1).get("endUser").asText()).isEqualTo(UsageWorld.FORMULA_USER);
    assertThat(users.get(1).get("flaggedShare").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(users.get(2).get("endUser").asText()).isEqualTo("clerk-7");
    assertThat(run.out()).doesNotContain("shopper-2");
  }

  @Test
  void theTableByHourShowsEachHourWithItsBlockedShare() throws Exception {
    Run run = report("--bucket", "hour");
    assertThat(run.exit()).as(run.err()).isZero();
    Map<String, long[]> ledger = world.ledgerSafety("%Y-%m-%d %H:00", Instant.parse(FROM + "T00:00:00Z"),
        Instant.parse(TO + "T00:00:00Z"));
    assertThat(ledger.keySet())
        .containsExactly("2020-03-02 10:00", "2020-03-02 11:00", "2020-03-02 12:00", "2020-03-03 00:00");
    for (Map.Entry<String, long[]> e : ledger.entrySet()) {
      long[] c = e.getValue();
      assertThat(run.out()).containsPattern("\n" + e.getKey() + " +all +" + c[0] + " +" + (c[1] + c[2] + c[3]) + " +"
          + c[1] + " +" + c[2] + " +" + c[3] + " ");
    }
    assertThat(run.out()).startsWith("Safety verdicts by hour (UTC), 2020-03-02T00:00:00Z to 2020-03-04T00:00:00Z\n")
        .containsPattern("\n2020-03-02 10:00 +all +12 +8 +0 +2 +6 +50\\.0%\n +pii\\.credit_card +2 +0 +2 +0 +0\\.0%\n"
            + " +prompt_injection +6 +0 +0 +6 +50\\.0%\n")
        .containsPattern("\n2020-03-02 11:00 +all +20 +6 +1 +0 +5 +25\\.0%\n")
        .containsPattern("\nTOTAL +all +38 +18 +1 +3 +14 +36\\.8%\n")
        .contains("End users by flagged share (at least 10 requests; 3 ranked, 3 shown):")
        .containsPattern("\nsearch-app +shopper-1 +13 +9 +7 +69\\.2% +pii\\.credit_card 2, prompt_injection 7\n")
        .containsPattern("\nbilling +clerk-7 +10 +1 +0 +10\\.0% +pii\\.email 1\n");
  }

  @Test
  void csvWritesTheFormulaLikeEndUserInert() {
    Run run = report("--format", "csv");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("section,start,category,consumer,end_user,requests,flagged,logged,masked,blocked,blocked_share,"
            + "flagged_share\r\nbucket,2020-03-02T00:00:00Z,,,,37,17,1,3,13,0.351,0.459\r\n")
        .contains("\r\ncategory,2020-03-02T00:00:00Z,blocklist,,,37,5,0,0,5,0.135,0.135\r\n")
        .contains("\r\nbucket,TOTAL,,,,38,18,1,3,14,0.368,0.474\r\n")
        .contains("\r\nend_user,,blocklist=5,billing,'" + UsageWorld.FORMULA_USER + ",10,5,,,5,0.500,0.500\r\n")
        .doesNotContain("," + UsageWorld.FORMULA_USER);
  }

  @Test
  void everyFormatCountsTheFlaggedRowsPerSeverityAsTheLedgerHasThem() throws Exception {
    Run json = report("--format", "json");
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode buckets = new ObjectMapper().readTree(json.out()).get("buckets");
    Map<String, Map<Integer, long[]>> ledger = world.ledgerSeverities("%Y-%m-%dT00:00:00Z",
        Instant.parse(FROM + "T00:00:00Z"), Instant.parse(TO + "T00:00:00Z"));
    assertThat(ledger).hasSize(2);
    for (JsonNode b : buckets) {
      Map<Integer, long[]> expected = ledger.get(b.get("start").asText());
      assertThat(b.get("severities")).hasSize(expected.size());
      int i = 0;
      for (Map.Entry<Integer, long[]> e : expected.entrySet()) {
        JsonNode level = b.get("severities").get(i++);
        assertThat(level.get("severity").asInt()).isEqualTo(e.getKey());
        assertThat(new long[] {level.get("logged").asLong(), level.get("masked").asLong(),
            level.get("blocked").asLong()}).containsExactly(e.getValue());
      }
    }
    assertThat(buckets.get(0).get("severities").findValuesAsText("severity")).containsExactly("0", "2", "4", "6");
    assertThat(buckets.get(0).get("maxSeverity").asInt()).isEqualTo(6);
    assertThat(buckets.get(1).get("severities").toString()).isEqualTo("[{\"severity\":6,\"flagged\":1,\"logged\":0,"
        + "\"masked\":0,\"blocked\":1,\"blockedShare\":1.0,\"categories\":[{\"category\":\"prompt_injection\","
        + "\"logged\":0,\"masked\":0,\"blocked\":1}]}]");

    Run csv = report("--format", "csv");
    assertThat(csv.exit()).as(csv.err()).isZero();
    assertThat(csv.out())
        .contains("\r\nseverity,2020-03-02T00:00:00Z,6,,,37,6,0,0,6,0.162,0.162\r\n")
        .contains("\r\nseverity,2020-03-02T00:00:00Z,0,,,37,2,1,1,0,0.000,0.054\r\n")
        .contains("\r\nseverity,TOTAL,6,,,38,7,0,0,7,0.184,0.184\r\n");

    Run table = report();
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("\nFlagged by severity (0 to 7, ")
        .containsPattern("\nTOTAL +6 +7 +0 +0 +7 +18\\.4% +prompt_injection 7 \\(7 blocked\\)\n"
            + " +4 +7 +0 +0 +7 +18\\.4% +blocklist 5 \\(5 blocked\\), hate 2 \\(2 blocked\\)\n"
            + " +2 +2 +0 +2 +0 +0\\.0% +pii\\.credit_card 2\n"
            + " +0 +2 +1 +1 +0 +0\\.0% +pii\\.email 2\n");
  }

  @Test
  void parametersTheSafetyReportCannotUseAreOneLine() {
    Run byUser = report("--by", "user");
    assertThat(byUser.exit()).isEqualTo(2);
    assertThat(byUser.err()).isEqualTo(
        "spillway: the safety report is by time bucket (bucket=hour|day) and end user, not by \"user\"\n");
    Run week = report("--bucket", "week");
    assertThat(week.exit()).isEqualTo(2);
    assertThat(week.err()).isEqualTo("spillway: bucket must be one of hour|day, got \"week\"\n");
    Run both = report("--cache");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("spillway: cache and safety are two reports: ask for one\n");
    Run bucketAlone = run("report", "--config", world.config().toString(), "--bucket", "hour");
    assertThat(bucketAlone.exit()).isEqualTo(2);
    assertThat(bucketAlone.err()).isEqualTo("spillway: bucket is only for the safety report\n");
  }
}
