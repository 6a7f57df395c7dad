package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.SafetyTotals.Bucket;
import dev.spillway.core.ledger.SafetyTotals.CategoryCounts;
import dev.spillway.core.ledger.SafetyTotals.EndUserCounts;
import dev.spillway.core.ledger.SafetyTotals.SeverityCounts;
import dev.spillway.core.ledger.TimeBucket;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The safety report on one fixture, worked out by hand.
 *
 * <ul>
 *   <li>Nov 1: 100 requests; pii.email logged 3, masked 2; prompt_injection blocked 5: 10 flagged, 5 % blocked.
 *   <li>Nov 2: 40 requests; hate blocked 2, pii.email logged 1: 3 flagged, 5 % blocked.
 *   <li>Nov 3: 7 requests, none flagged.
 *   <li>Totals: 147 requests; hate 0/0/2, pii.email 4/2/0, prompt_injection 0/0/5: 13 flagged, 7 blocked (4.8 %).
 *   <li>End users, in rank order: u-9 and u-3 at 1/2 (u-9 has more flagged), u-1 at 333,333,336 of 1,000,000,007
 *       (a hair above u-2's 1/3, both 0.333 rounded), billing's requests without an end user and a formula-like id at
 *       1/5 (the first has more flagged), two at 1/10 in id order. "few" was flagged 9 times of 9, but 9 requests are
 *       under the minimum.
 * </ul>
 */
class SafetyReportTest {
  static final ReportPeriod PERIOD =
      new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-04T00:00:00Z"));
  static final String FORMULA = "=HYPERLINK(\"http://x.example\",\"y\")";

  static final SafetyTotals COUNTS = new SafetyTotals(
      List.of(
          new Bucket(Instant.parse("2026-11-01T00:00:00Z"), 100, List.of(
              new CategoryCounts("pii.email", 3, 2, 0), new CategoryCounts("prompt_injection", 0, 0, 5))),
          new Bucket(Instant.parse("2026-11-02T00:00:00Z"), 40, List.of(
              new CategoryCounts("hate", 0, 0, 2), new CategoryCounts("pii.email", 1, 0, 0))),
          new Bucket(Instant.parse("2026-11-03T00:00:00Z"), 7, List.of())),
      List.of(
          new EndUserCounts("search", "@mention", 10, 1, 0, Map.of("blocklist", 1L)),
          new EndUserCounts("search", "u-2", 30, 10, 0, Map.of("pii.email", 10L)),
          new EndUserCounts("billing", FORMULA, 20, 4, 4, Map.of("blocklist", 4L)),
          new EndUserCounts("search", "u-3", 10, 5, 0, Map.of("pii.email", 5L)),
          new EndUserCounts("search", "few", 9, 9, 9, Map.of("hate", 9L)),
          new EndUserCounts("search", "-1+2", 10, 1, 0, Map.of("-x", 1L)),
          new EndUserCounts("billing", "", 30, 6, 1, Map.of("pii.email", 6L)),
          new EndUserCounts("search", "u-1", 1_000_000_007L, 333_333_336L, 0, Map.of("pii.email", 333_333_336L)),
          new EndUserCounts("search", "u-9", 12, 6, 2, Map.of("prompt_injection", 4L, "pii.email", 2L))));

  static SafetyReport report() {
    return SafetyCalculator.report(COUNTS, PERIOD, TimeBucket.DAY);
  }

  @Test
  void theBucketsAreTheLedgersAndTheTotalsTheirSums() {
    SafetyReport r = report();
    assertThat(r.buckets()).isEqualTo(COUNTS.buckets());
    assertThat(r.totals()).isEqualTo(new Bucket(PERIOD.from(), 147, List.of(
        new CategoryCounts("hate", 0, 0, 2), new CategoryCounts("pii.email", 4, 2, 0),
        new CategoryCounts("prompt_injection", 0, 0, 5))));
    assertThat(r.totals().flagged()).isEqualTo(13);
    assertThat(r.buckets()).extracting(SafetyReport::blockedShare).extracting(o -> o.orElseThrow())
        .containsExactly(new BigDecimal("0.050"), new BigDecimal("0.050"), new BigDecimal("0.000"));
    assertThat(SafetyReport.blockedShare(r.totals())).contains(new BigDecimal("0.048"));
    assertThat(SafetyReport.blockedShare(new Bucket(PERIOD.from(), 0, List.of()))).isEmpty();
  }

  @Test
  void endUsersWithEnoughRequestsAreRankedByTheirExactFlaggedShare() {
    SafetyReport r = report();
    assertThat(r.topEndUsers()).extracting(EndUserCounts::consumer, EndUserCounts::endUser).containsExactly(
        org.assertj.core.groups.Tuple.tuple("search", "u-9"),
        org.assertj.core.groups.Tuple.tuple("search", "u-3"),
        org.assertj.core.groups.Tuple.tuple("search", "u-1"),
        org.assertj.core.groups.Tuple.tuple("search", "u-2"),
        org.assertj.core.groups.Tuple.tuple("billing", ""),
        org.assertj.core.groups.Tuple.tuple("billing", FORMULA),
        org.assertj.core.groups.Tuple.tuple("search", "-1+2"),
        org.assertj.core.groups.Tuple.tuple("search", "@mention"));
    assertThat(r.rankedEndUsers()).isEqualTo(8);
    assertThat(SafetyReport.flaggedShare(r.topEndUsers().get(2))).contains(new BigDecimal("0.333"));
  }

  @Test
  void atMostTheTopTwentyAreShownAndAllRankedAreCounted() {
    List<EndUserCounts> many = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      many.add(new EndUserCounts("app", String.format("user-%02d", i), 100, i, 0, Map.of("hate", (long) i)));
    }
    many.add(new EndUserCounts("app", "quiet", SafetyReport.MIN_REQUESTS - 1, 9, 0, Map.of("hate", 9L)));
    SafetyReport r = SafetyCalculator.report(new SafetyTotals(List.of(), many), PERIOD, TimeBucket.HOUR);
    assertThat(r.rankedEndUsers()).isEqualTo(25);
    assertThat(r.topEndUsers()).hasSize(SafetyReport.TOP_END_USERS);
    assertThat(r.topEndUsers().getFirst().endUser()).isEqualTo("user-25");
    assertThat(r.topEndUsers().getLast().endUser()).isEqualTo("user-06");
    assertThat(r.totals()).isEqualTo(new Bucket(PERIOD.from(), 0, List.of()));
  }

  @Test
  void anEndUsersCountsNeverPrintTheirId() {
    assertThat(COUNTS.endUsers().get(7).toString()).doesNotContain("u-1").contains("endUser=hidden", "search");
    assertThat(new EndUserCounts("app", "", 1, 0, 0, Map.of()).toString()).contains("endUser=none");
  }

  @Test
  void exactComparisonOfSharesDoesNotOverflow() {
    long big = Long.MAX_VALUE / 3;
    assertThat(SafetyCalculator.compareProducts(big, 7, big, 6)).isPositive();
    assertThat(SafetyCalculator.compareProducts(big, 6, 6, big)).isZero();
    assertThat(SafetyCalculator.compareProducts(0, big, 1, 1)).isNegative();
  }

  @Test
  void csvHasALineKindPerLineAndCallerTextCannotBecomeAFormula() {
    String csv = ReportFormat.CSV.render(report());
    assertThat(csv.split("\r\n", -1)).startsWith(
        "section,start,category,consumer,end_user,requests,flagged,logged,masked,blocked,blocked_share,flagged_share",
        "bucket,2026-11-01T00:00:00Z,,,,100,10,3,2,5,0.050,0.100",
        "category,2026-11-01T00:00:00Z,pii.email,,,100,5,3,2,0,0.000,0.050",
        "category,2026-11-01T00:00:00Z,prompt_injection,,,100,5,0,0,5,0.050,0.050",
        "bucket,2026-11-02T00:00:00Z,,,,40,3,1,0,2,0.050,0.075");
    assertThat(csv)
        .contains("\r\nbucket,2026-11-03T00:00:00Z,,,,7,0,0,0,0,0.000,0.000\r\nbucket,TOTAL,,,,147,13,4,2,7,0.048,")
        .contains("\r\ncategory,TOTAL,prompt_injection,,,147,5,0,0,5,0.034,0.034\r\n")
        .contains("\r\nend_user,,pii.email=2;prompt_injection=4,search,u-9,12,6,,,2,0.167,0.500\r\n")
        .contains("\r\nend_user,,pii.email=6,billing,(none),30,6,,,1,0.033,0.200\r\n")
        .contains("\r\nend_user,,blocklist=4,billing,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"y\"\")\",20,4,,,4,")
        .contains("\r\nend_user,,'-x=1,search,'-1+2,10,1,,,0,0.000,0.100\r\n")
        .contains("\r\nend_user,,blocklist=1,search,'@mention,10,1,")
        .endsWith("0.100\r\n")
        .doesNotContain(",few,");
  }

  @Test
  void jsonKeepsTheIdsAsTheyAreWithSharesAsNumbers() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(report()));
    assertThat(json.get("bucket").asText()).isEqualTo("day");
    assertThat(json.get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
    JsonNode first = json.get("buckets").get(0);
    assertThat(first.get("start").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(first.get("requests").asLong()).isEqualTo(100);
    assertThat(first.get("flagged").asLong()).isEqualTo(10);
    assertThat(first.get("blocked").asLong()).isEqualTo(5);
    assertThat(first.get("blockedShare").decimalValue()).isEqualByComparingTo("0.05");
    assertThat(first.get("categories").get(1).toString())
        .isEqualTo("{\"category\":\"prompt_injection\",\"logged\":0,\"masked\":0,\"blocked\":5}");
    assertThat(json.get("totals").has("start")).isFalse();
    assertThat(json.get("totals").get("requests").asLong()).isEqualTo(147);
    assertThat(json.get("endUsers")).hasSize(8);
    JsonNode top = json.get("endUsers").get(0);
    assertThat(top.toString()).isEqualTo("{\"consumer\":\"search\",\"endUser\":\"u-9\",\"requests\":12,\"flagged\":6,"
        + "\"blocked\":2,\"flaggedShare\":0.5,\"categories\":{\"pii.email\":2,\"prompt_injection\":4}}");
    assertThat(json.get("endUsers").get(4).get("endUser").asText()).isEqualTo("(none)");
    assertThat(json.get("endUsers").get(5).get("endUser").asText()).isEqualTo(FORMULA);
    assertThat(json.get("rankedEndUsers").asLong()).isEqualTo(8);
    assertThat(json.get("thresholds").toString()).isEqualTo("{\"minRequests\":10,\"topEndUsers\":20}");
  }

  @Test
  void theTableShowsEachBucketWithItsCategoriesThenTheEndUsers() {
    String table = ReportFormat.TABLE.render(report());
    assertThat(table).startsWith(
        "Safety verdicts by day (UTC), 2026-11-01T00:00:00Z to 2026-11-04T00:00:00Z\n\nday         category")
        .containsPattern("\n2026-11-01 +all +100 +10 +3 +2 +5 +5\\.0%\n +pii\\.email +5 +3 +2 +0 +0\\.0%\n"
            + " +prompt_injection +5 +0 +0 +5 +5\\.0%\n2026-11-02 +all +40 ")
        .containsPattern("\n2026-11-03 +all +7 +0 +0 +0 +0 +0\\.0%\n-+\nTOTAL +all +147 +13 +4 +2 +7 +4\\.8%\n")
        .contains("End users by flagged share (at least 10 requests; 8 ranked, 8 shown):")
        .containsPattern("\nsearch +u-9 +12 +6 +2 +50\\.0% +pii\\.email 2, prompt_injection 4\n")
        .containsPattern("\nbilling +\\(none\\) +30 +6 +1 +20\\.0% +pii\\.email 6\n");
  }

  @Test
  void hourBucketsAreLabelledWithTheirHourAndAReportWithoutRankedEndUsersSaysSo() {
    SafetyTotals counts = new SafetyTotals(List.of(new Bucket(Instant.parse("2026-11-01T13:00:00Z"), 3, List.of())),
        List.of(new EndUserCounts("app", "u", 9, 9, 9, Map.of("hate", 9L))));
    String table = ReportFormat.TABLE.render(SafetyCalculator.report(counts, PERIOD, TimeBucket.HOUR));
    assertThat(table).startsWith("Safety verdicts by hour (UTC), ")
        .containsPattern("\n2026-11-01 13:00 +all +3 +0 ")
        .endsWith("\nNo end user with at least 10 requests in the period was flagged.\n");
  }

  /**
   * Severities, worked out by hand. Nov 1: 50 requests; violence logged 2 at severity 2, blocked 1 at 4 and 3 at 6;
   * pii.email masked 5 without a severity (0). Nov 2: 20 requests; violence blocked 2 at 6, hate logged 1 at 2. In
   * total, 70 requests: severity 0 masked 5, severity 2 logged 3, severity 4 blocked 1, severity 6 blocked 5.
   */
  static final SafetyTotals SEVERE = new SafetyTotals(List.of(
      new Bucket(Instant.parse("2026-11-01T00:00:00Z"), 50, List.of(
          new CategoryCounts("pii.email", 0, 5, 0),
          new CategoryCounts("violence", 2, 0, 4, List.of(
              new SeverityCounts(6, 0, 0, 3), new SeverityCounts(2, 2, 0, 0), new SeverityCounts(4, 0, 0, 1))))),
      new Bucket(Instant.parse("2026-11-02T00:00:00Z"), 20, List.of(
          new CategoryCounts("hate", 1, 0, 0, List.of(new SeverityCounts(2, 1, 0, 0))),
          new CategoryCounts("violence", 0, 0, 2, List.of(new SeverityCounts(6, 0, 0, 2)))))),
      List.of());

  @Test
  void theTotalsCountEachCategoryPerSeverityAndEachBucketSumsItsCategoriesPerSeverity() {
    SafetyReport r = SafetyCalculator.report(SEVERE, PERIOD, TimeBucket.DAY);
    assertThat(r.buckets().getFirst().severities()).containsExactly(new SeverityCounts(0, 0, 5, 0),
        new SeverityCounts(2, 2, 0, 0), new SeverityCounts(4, 0, 0, 1), new SeverityCounts(6, 0, 0, 3));
    assertThat(r.buckets().getFirst().maxSeverity()).isEqualTo(6);
    assertThat(r.totals().categories()).containsExactly(
        new CategoryCounts("hate", 1, 0, 0, List.of(new SeverityCounts(2, 1, 0, 0))),
        new CategoryCounts("pii.email", 0, 5, 0),
        new CategoryCounts("violence", 2, 0, 6, List.of(new SeverityCounts(2, 2, 0, 0),
            new SeverityCounts(4, 0, 0, 1), new SeverityCounts(6, 0, 0, 5))));
    assertThat(r.totals().severities()).containsExactly(new SeverityCounts(0, 0, 5, 0),
        new SeverityCounts(2, 3, 0, 0), new SeverityCounts(4, 0, 0, 1), new SeverityCounts(6, 0, 0, 5));
    assertThat(r.totals().categories().get(1).maxSeverity()).isZero();
    assertThat(new Bucket(PERIOD.from(), 3, List.of()).maxSeverity()).isZero();
  }

  @Test
  void aCategorysSeveritiesMustAddUpToItsCounts() {
    assertThat(new CategoryCounts("hate", 1, 0, 2, List.of(new SeverityCounts(6, 0, 0, 1),
        new SeverityCounts(2, 1, 0, 0), new SeverityCounts(6, 0, 0, 1))).severities())
        .containsExactly(new SeverityCounts(2, 1, 0, 0), new SeverityCounts(6, 0, 0, 2));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new CategoryCounts("hate", 0, 0, 2, List.of(new SeverityCounts(6, 0, 0, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hate");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SeverityCounts(8, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new CategoryCounts("hate", 0, 0, 0).severities()).isEmpty();
  }

  @Test
  void jsonGivesEachBucketItsHighestSeverityAndItsFlaggedRowsPerSeverityWithTheirCategories() throws Exception {
    JsonNode json = new ObjectMapper().readTree(
        ReportFormat.JSON.render(SafetyCalculator.report(SEVERE, PERIOD, TimeBucket.DAY)));
    JsonNode first = json.get("buckets").get(0);
    assertThat(first.get("maxSeverity").asInt()).isEqualTo(6);
    assertThat(first.get("severities").findValuesAsText("severity")).containsExactly("0", "2", "4", "6");
    JsonNode six = first.get("severities").get(3);
    assertThat(six.get("flagged").asLong()).isEqualTo(3);
    assertThat(six.get("blocked").asLong()).isEqualTo(3);
    assertThat(six.get("blockedShare").decimalValue()).isEqualByComparingTo("0.06");
    assertThat(six.get("categories").toString())
        .isEqualTo("[{\"category\":\"violence\",\"logged\":0,\"masked\":0,\"blocked\":3}]");
    JsonNode totalSix = json.get("totals").get("severities").get(3);
    assertThat(totalSix.get("severity").asInt()).isEqualTo(6);
    assertThat(totalSix.get("blocked").asLong()).isEqualTo(5);
    assertThat(totalSix.get("blockedShare").decimalValue()).isEqualByComparingTo("0.071");
    assertThat(json.get("totals").get("severities").get(1).get("categories").toString()).isEqualTo(
        "[{\"category\":\"hate\",\"logged\":1,\"masked\":0,\"blocked\":0},"
            + "{\"category\":\"violence\",\"logged\":2,\"masked\":0,\"blocked\":0}]");
    assertThat(json.get("totals").get("maxSeverity").asInt()).isEqualTo(6);
    // the categories themselves keep their shape
    assertThat(json.get("totals").get("categories").get(2).toString())
        .isEqualTo("{\"category\":\"violence\",\"logged\":2,\"masked\":0,\"blocked\":6}");
  }

  @Test
  void csvHasASeverityLinePerBucketAndSeverityAfterTheTotals() {
    String csv = ReportFormat.CSV.render(SafetyCalculator.report(SEVERE, PERIOD, TimeBucket.DAY));
    assertThat(csv).contains("\r\ncategory,TOTAL,violence,,,70,8,2,0,6,0.086,0.114\r\n"
        + "severity,2026-11-01T00:00:00Z,0,,,50,5,0,5,0,0.000,0.100\r\n"
        + "severity,2026-11-01T00:00:00Z,2,,,50,2,2,0,0,0.000,0.040\r\n"
        + "severity,2026-11-01T00:00:00Z,4,,,50,1,0,0,1,0.020,0.020\r\n"
        + "severity,2026-11-01T00:00:00Z,6,,,50,3,0,0,3,0.060,0.060\r\n"
        + "severity,2026-11-02T00:00:00Z,2,,,20,1,1,0,0,0.000,0.050\r\n"
        + "severity,2026-11-02T00:00:00Z,6,,,20,2,0,0,2,0.100,0.100\r\n"
        + "severity,TOTAL,0,,,70,5,0,5,0,0.000,0.071\r\n"
        + "severity,TOTAL,2,,,70,3,3,0,0,0.000,0.043\r\n"
        + "severity,TOTAL,4,,,70,1,0,0,1,0.014,0.014\r\n"
        + "severity,TOTAL,6,,,70,5,0,0,5,0.071,0.071\r\n");
    assertThat(csv).endsWith("severity,TOTAL,6,,,70,5,0,0,5,0.071,0.071\r\n");
  }

  @Test
  void theTableShowsEachBucketsSeveritiesHighestFirstWithTheirCategories() {
    String table = ReportFormat.TABLE.render(SafetyCalculator.report(SEVERE, PERIOD, TimeBucket.DAY));
    assertThat(table)
        .contains("\nFlagged by severity (0 to 7, Azure AI Content Safety's scale; 0 where a finding had none):\n\n")
        .containsPattern("\nday +severity +flagged +logged +masked +blocked +blocked share +categories\n"
            + "2026-11-01 +6 +3 +0 +0 +3 +6\\.0% +violence 3 \\(3 blocked\\)\n"
            + " +4 +1 +0 +0 +1 +2\\.0% +violence 1 \\(1 blocked\\)\n"
            + " +2 +2 +2 +0 +0 +0\\.0% +violence 2\n"
            + " +0 +5 +0 +5 +0 +0\\.0% +pii\\.email 5\n"
            + "2026-11-02 +6 +2 +0 +0 +2 +10\\.0% +violence 2 \\(2 blocked\\)\n"
            + " +2 +1 +1 +0 +0 +0\\.0% +hate 1\n-+\n"
            + "TOTAL +6 +5 +0 +0 +5 +7\\.1% +violence 5 \\(5 blocked\\)\n"
            + " +4 +1 +0 +0 +1 +1\\.4% +violence 1 \\(1 blocked\\)\n"
            + " +2 +3 +3 +0 +0 +0\\.0% +hate 1, violence 2\n"
            + " +0 +5 +0 +5 +0 +0\\.0% +pii\\.email 5\n\n");
    // rows without a severity count at 0
    assertThat(ReportFormat.TABLE.render(report())).containsPattern("\nTOTAL +0 +13 +4 +2 +7 +4\\.8% +hate 2 \\(2 "
        + "blocked\\), pii\\.email 6, prompt_injection 5 \\(5 blocked\\)\n\nEnd users by flagged share");
  }
}
