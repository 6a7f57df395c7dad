package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.ledger.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report maths on one fixture, every expected number worked out by hand.
 *
 * <p>Period: 2026-01-16T00:00Z to 2026-02-15T00:00Z = 16 of January's 31 days + 14 of February's 28 days, so
 * 16/31 + 14/28 = 16/31 + 1/2 = 63/62 of a month.
 *
 * <p>PTU {@code ptu-a}, 1000 EUR a month: 1000 × 63/62 = 1016.1290322580... → 1016.129032 (1016129032 units of
 * 10^-6). Shared by ops, retail and search, 1000 tokens each: 1016129032 / 3 = 338709677 rest 1, so each gets
 * 338.709677 and the one unit left over goes to the first in order, ops: 338.709678. (Rounding each share alone
 * would lose it: 3 × 338.709677 = 1016.129031.)
 *
 * <p>PTU {@code ptu-b}, 500 EUR a month, serves nothing: 500 × 63/62 = 508.0645161290... → 508.064516, all on the
 * "(unused PTU)" row.
 *
 * <p>PAYG gpt-4o at input 0.0025, cachedInput 0.00125, output 0.01 per 1k:
 *
 * <ul>
 *   <li>retail: ((2,000,000 − 800,000) × 0.0025 + 800,000 × 0.00125 + 500,000 × 0.01) / 1000 = (3000 + 1000 +
 *       5000) / 1000 = 9
 *   <li>ops: (1,234,567 × 0.0025 + 7,654 × 0.01) / 1000 = (3086.4175 + 76.54) / 1000 = 3.1629575
 *   <li>search: (333 × 0.0025 + 1 × 0.01) / 1000 = 0.8425 / 1000 = 0.0008425
 * </ul>
 *
 * Exact total 12.1638 → 12.163800. Floors: 9.000000 + 3.162957 + 0.000842 = 12.163799; ops and search tie on the
 * remainder (half a unit each), the unit goes to ops (first): ops 3.162958, search 0.000842. Model {@code mini} has
 * no price: search's 5,100 mini tokens cost 0 and {@code mini} is listed as unpriced.
 *
 * <p>Totals: requests 5+3+2+4+7+1+6+3 = 31, failed 1+2+3 = 6, prompt 600+900+500+2,000,000+1,234,567+333+5,000 =
 * 3,241,900, completion 400+100+500+500,000+7,654+1+100 = 508,755, cached 100+800,000 = 800,100; PTU 1016.129032 +
 * 508.064516 = 1524.193548, PAYG 12.163800, total 1536.357348.
 */
class ChargebackCalculatorTest {
  static final ReportPeriod PERIOD =
      new ReportPeriod(Instant.parse("2026-01-16T00:00:00Z"), Instant.parse("2026-02-15T00:00:00Z"));

  static final CostsConfig COSTS = new CostsConfig(
      "EUR",
      Map.of("ptu-a", new BigDecimal("1000"), "ptu-b", new BigDecimal("500")),
      Map.of("gpt-4o", new PaygPrice(new BigDecimal("0.0025"), new BigDecimal("0.01"), new BigDecimal("0.00125"))),
      java.util.Optional.empty());

  static final List<UsageTotals> USAGE = List.of(
      new UsageTotals("app1", "retail", "gpt-4o", "ptu-a", "ptu", "chat", 5, 0, 600, 400, 100, 0),
      new UsageTotals("app2", "ops", "gpt-4o", "ptu-a", "ptu", "chat", 3, 1, 900, 100, 0, 0),
      new UsageTotals("app3", "search", "gpt-4o", "ptu-a", "ptu", "chat", 2, 0, 500, 500, 0, 50),
      new UsageTotals("app1", "retail", "gpt-4o", "payg-a", "payg", "chat", 4, 0, 2_000_000, 500_000, 800_000, 0),
      new UsageTotals("app2", "ops", "gpt-4o", "payg-a", "payg", "chat", 7, 2, 1_234_567, 7_654, 0, 0),
      new UsageTotals("app3", "search", "gpt-4o", "payg-a", "payg", "chat", 1, 0, 333, 1, 0, 0),
      new UsageTotals("app3", "search", "mini", "payg-mini", "payg", "chat", 6, 0, 5_000, 100, 0, 0),
      new UsageTotals("app4", "", "gpt-4o", "", "", "chat", 3, 3, 0, 0, 0, 0));

  static final ReportRow TOTALS =
      new ReportRow("TOTAL", 31, 6, 3_241_900, 508_755, 800_100, money("1524.193548"), money("12.163800"));

  static ChargebackReport report(ReportDimension by) {
    return ChargebackCalculator.report(USAGE, COSTS, PERIOD, by);
  }

  static BigDecimal money(String s) {
    return new BigDecimal(s);
  }

  @Test
  void byTeamSharesThePtuByTokensAndPricesPaygWithCachedTokens() {
    ChargebackReport r = report(ReportDimension.TEAM);
    assertThat(r.rows()).containsExactly(
        new ReportRow("ops", 10, 3, 1_235_467, 7_754, 0, money("338.709678"), money("3.162958")),
        new ReportRow("retail", 9, 0, 2_000_600, 500_400, 800_100, money("338.709677"), money("9.000000")),
        new ReportRow("search", 9, 0, 5_833, 601, 0, money("338.709677"), money("0.000842")),
        new ReportRow("(none)", 3, 3, 0, 0, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
    assertThat(r.totals()).isEqualTo(TOTALS);
    assertThat(r.totals().totalCost()).isEqualByComparingTo("1536.357348");
    assertThat(r.currency()).isEqualTo("EUR");
    assertThat(r.unpricedModels()).containsExactly("mini");
  }

  @Test
  void everyPtuDeploymentIsListedWithItsCostForThePeriod() {
    assertThat(report(ReportDimension.TEAM).ptu()).containsExactlyInAnyOrder(
        new PtuCharge("ptu-a", money("1000"), money("1016.129032"), 3_000),
        new PtuCharge("ptu-b", money("500"), money("508.064516"), 0));
  }

  /** As by team, but the PTU's odd unit now goes to app1, the first of the three equal shares. */
  @Test
  void byConsumer() {
    assertThat(report(ReportDimension.CONSUMER).rows()).containsExactly(
        new ReportRow("app1", 9, 0, 2_000_600, 500_400, 800_100, money("338.709678"), money("9.000000")),
        new ReportRow("app2", 10, 3, 1_235_467, 7_754, 0, money("338.709677"), money("3.162958")),
        new ReportRow("app3", 9, 0, 5_833, 601, 0, money("338.709677"), money("0.000842")),
        new ReportRow("app4", 3, 3, 0, 0, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
  }

  /** All of ptu-a's tokens are gpt-4o's, so it carries the whole 1016.129032; gpt-4o's PAYG is 12.1638 exactly. */
  @Test
  void byModel() {
    assertThat(report(ReportDimension.MODEL).rows()).containsExactly(
        new ReportRow("gpt-4o", 25, 6, 3_236_900, 508_655, 800_100, money("1016.129032"), money("12.163800")),
        new ReportRow("mini", 6, 0, 5_000, 100, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
  }

  @Test
  void byBackend() {
    assertThat(report(ReportDimension.BACKEND).rows()).containsExactly(
        new ReportRow("payg-a", 12, 2, 3_234_900, 507_655, 800_000, money("0.000000"), money("12.163800")),
        new ReportRow("payg-mini", 6, 0, 5_000, 100, 0, money("0.000000"), money("0.000000")),
        new ReportRow("ptu-a", 10, 1, 2_000, 1_000, 100, money("1016.129032"), money("0.000000")),
        new ReportRow("(none)", 3, 3, 0, 0, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
  }

  @Test
  void byTier() {
    assertThat(report(ReportDimension.TIER).rows()).containsExactly(
        new ReportRow("payg", 18, 2, 3_239_900, 507_755, 800_000, money("0.000000"), money("12.163800")),
        new ReportRow("ptu", 10, 1, 2_000, 1_000, 100, money("1016.129032"), money("0.000000")),
        new ReportRow("(none)", 3, 3, 0, 0, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
  }

  @Test
  void theTotalsAreTheLedgersSumsAndTheRowsSumsWhateverTheDimension() {
    for (ReportDimension by : ReportDimension.values()) {
      ChargebackReport r = report(by);
      assertThat(r.totals()).as(by.id()).isEqualTo(TOTALS);
      assertThat(r.rows().stream().mapToLong(ReportRow::promptTokens).sum()).isEqualTo(r.totals().promptTokens());
      assertThat(r.rows().stream().map(ReportRow::totalCost).reduce(BigDecimal.ZERO, BigDecimal::add))
          .as(by.id()).isEqualTo(r.totals().totalCost());
    }
  }

  static UsageTotals ofUser(String endUser, String consumer, String backend, String tier, long requests,
      long failed, long prompt, long completion) {
    return new UsageTotals(consumer, "team-" + consumer, "gpt-4o", backend, tier, "chat", requests, failed, prompt,
        completion, 0, 0, 0, 0, 0, UsageTotals.CacheTotals.NONE, endUser);
  }

  /**
   * By user: ptu-a's 1016.129032 split 1,000 : 2,000 tokens is 338.709677⅓ and 677.419354⅔, floors 338.709677 and
   * 677.419354, the unit left goes to the larger remainder (u-2). u-1's 1,000 PAYG prompt tokens cost 0.0025.
   */
  @Test
  void byUserGroupsEachEndUsersRowsAcrossConsumersAndTheRestUnderNone() {
    List<UsageTotals> usage = List.of(
        ofUser("u-1", "app1", "ptu-a", "ptu", 2, 0, 600, 400),
        ofUser("u-2", "app2", "ptu-a", "ptu", 1, 0, 1_500, 500),
        ofUser("u-1", "app2", "payg-a", "payg", 1, 0, 1_000, 0),
        ofUser("", "app3", "", "", 2, 2, 0, 0));

    ChargebackReport r = ChargebackCalculator.report(usage, COSTS, PERIOD, ReportDimension.USER);

    assertThat(r.by()).isEqualTo(ReportDimension.USER);
    assertThat(r.rows()).containsExactly(
        new ReportRow("u-1", 3, 0, 1_600, 400, 0, money("338.709677"), money("0.002500")),
        new ReportRow("u-2", 1, 0, 1_500, 500, 0, money("677.419355"), money("0.000000")),
        new ReportRow("(none)", 2, 2, 0, 0, 0, money("0.000000"), money("0.000000")),
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("508.064516"), money("0.000000")));
    assertThat(r.totals().totalCost()).isEqualTo(money("1524.196048"));
    assertThat(ReportDimension.parse("User")).contains(ReportDimension.USER);
  }

  @Test
  void withoutCostsEverythingIsCountedAndNothingCosts() {
    ChargebackReport r = ChargebackCalculator.report(USAGE, CostsConfig.NONE, PERIOD, ReportDimension.TEAM);
    assertThat(r.totals()).isEqualTo(new ReportRow("TOTAL", 31, 6, 3_241_900, 508_755, 800_100,
        money("0.000000"), money("0.000000")));
    assertThat(r.ptu()).isEmpty();
    assertThat(r.unpricedModels()).containsExactly("gpt-4o", "mini");
  }

  @Test
  void unitsAreSummedPerGroupAndInTheTotals() {
    List<UsageTotals> usage = List.of(
        new UsageTotals("a", "retail", "gpt-image-1", "img", "payg", "images/generations", 1, 0, 0, 0, 0, 0, 2, 0, 0),
        new UsageTotals("b", "retail", "whisper", "asr", "payg", "audio/transcriptions", 2, 0, 0, 0, 0, 0, 0, 7.5, 0),
        new UsageTotals("c", "ops", "whisper", "asr", "payg", "audio/translations", 1, 0, 0, 0, 0, 0, 0, 1.25, 0),
        new UsageTotals("c", "ops", "tts", "tts", "payg", "audio/speech", 3, 0, 0, 0, 0, 0, 0, 0, 120));
    ChargebackReport r = ChargebackCalculator.report(usage, CostsConfig.NONE, PERIOD, ReportDimension.TEAM);
    assertThat(r.rows()).extracting(ReportRow::key, ReportRow::images, ReportRow::audioSeconds, ReportRow::characters)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ops", 0L, 1.25, 120L),
            org.assertj.core.groups.Tuple.tuple("retail", 2L, 7.5, 0L));
    assertThat(r.totals().images()).isEqualTo(2);
    assertThat(r.totals().audioSeconds()).isEqualTo(8.75);
    assertThat(r.totals().characters()).isEqualTo(120);
    assertThat(r.totals().hasUnits()).isTrue();
    assertThat(report(ReportDimension.TEAM).totals().hasUnits()).isFalse();
  }

  @Test
  void anEmptyLedgerStillShowsThePtuPaidFor() {
    ChargebackReport r = ChargebackCalculator.report(List.of(), COSTS, PERIOD, ReportDimension.TEAM);
    assertThat(r.rows()).containsExactly(
        new ReportRow("(unused PTU)", 0, 0, 0, 0, 0, money("1524.193548"), money("0.000000")));
    assertThat(r.totals().totalCost()).isEqualByComparingTo("1524.193548");
  }

  /** 100,000 prompt tokens, 150,000 of them "cached" (a store's mistake): only the cached price applies. */
  @Test
  void moreCachedThanPromptTokensIsChargedAsAllCached() {
    UsageTotals u = new UsageTotals("a", "t", "gpt-4o", "p", "payg", "chat", 1, 0, 100_000, 0, 150_000, 0);
    assertThat(ChargebackCalculator.paygCost(u, COSTS.payg().get("gpt-4o"))).isEqualByComparingTo("0.125");
  }

  @Test
  void aRowAzuresOwnSpilloverServedIsPricedAsPaygAndTakesNoShareOfThePtu() {
    // ops sent 1,000 tokens through ptu-a that Azure itself passed to a standard deployment: the row keeps ptu-a as
    // its backend (the gateway called it) but its tier is payg. Without that tier check ops would take half of ptu-a.
    List<UsageTotals> usage = List.of(
        new UsageTotals("app1", "retail", "gpt-4o", "ptu-a", "ptu", "chat", 1, 0, 500, 500, 0, 0),
        new UsageTotals("app2", "ops", "gpt-4o", "ptu-a", "payg", "chat", 1, 0, 600, 400, 0, 0));
    ChargebackReport r = ChargebackCalculator.report(
        usage, new CostsConfig("EUR", Map.of("ptu-a", new BigDecimal("1000")), COSTS.payg(), java.util.Optional.empty()),
        PERIOD, ReportDimension.TEAM);
    assertThat(r.rows()).containsExactly(
        // (600 x 0.0025 + 400 x 0.01) / 1000 = 0.0055
        new ReportRow("ops", 1, 0, 600, 400, 0, money("0.000000"), money("0.005500")),
        new ReportRow("retail", 1, 0, 500, 500, 0, money("1016.129032"), money("0.000000")));
  }

  /**
   * Response-cache hits at the model's PAYG price, whatever tier made the answer. retail's 2 exact hits saved 3,000
   * prompt and 1,000 completion tokens of gpt-4o: (3,000 × 0.0025 + 1,000 × 0.01) / 1000 = 0.0175; ops' semantic hit
   * 1,001 and 1: (2.5025 + 0.01) / 1000 = 0.0025125; search's hit of mini has no price: 0, and mini is unpriced. Exact
   * total 0.0200125 → 0.020012 (half-even); floors 0.017500 + 0.002512 = 0.020012: nothing left over.
   */
  @Test
  void responseCacheHitsAreCountedAndTheirSavedTokensPricedAtPaygBesideTheCosts() {
    List<UsageTotals> usage = List.of(
        new UsageTotals("app1", "retail", "gpt-4o", "payg-a", "payg", "chat", 1, 0, 3_000, 1_000, 0, 0),
        new UsageTotals("app1", "retail", "gpt-4o", "", "", "chat", 2, 0, 0, 0, 0, 0, 0, 0, 0,
            new UsageTotals.CacheTotals(2, 0, 3_000, 1_000)),
        new UsageTotals("app2", "ops", "gpt-4o", "", "", "chat", 1, 0, 0, 0, 0, 0, 0, 0, 0,
            new UsageTotals.CacheTotals(0, 1, 1_001, 1)),
        new UsageTotals("app3", "search", "mini", "", "", "chat", 1, 0, 0, 0, 0, 0, 0, 0, 0,
            new UsageTotals.CacheTotals(1, 0, 10, 10)));
    ChargebackReport r = ChargebackCalculator.report(usage,
        new CostsConfig("EUR", Map.of(), COSTS.payg(), java.util.Optional.empty()), PERIOD, ReportDimension.TEAM);

    assertThat(r.rows()).containsExactly(
        new ReportRow("ops", 1, 0, 0, 0, 0, 0, 0, 0, money("0.000000"), money("0.000000"),
            new UsageTotals.CacheTotals(0, 1, 1_001, 1), money("0.002512")),
        new ReportRow("retail", 3, 0, 3_000, 1_000, 0, 0, 0, 0, money("0.000000"), money("0.017500"),
            new UsageTotals.CacheTotals(2, 0, 3_000, 1_000), money("0.017500")),
        new ReportRow("search", 1, 0, 0, 0, 0, 0, 0, 0, money("0.000000"), money("0.000000"),
            new UsageTotals.CacheTotals(1, 0, 10, 10), money("0.000000")));
    assertThat(r.totals().cache()).isEqualTo(new UsageTotals.CacheTotals(3, 1, 4_011, 1_011));
    assertThat(r.totals().savedCost()).isEqualTo(money("0.020012"));
    assertThat(r.totals().totalCost()).as("savings are not costs").isEqualTo(money("0.017500"));
    assertThat(r.unpricedModels()).containsExactly("mini");
  }
}
