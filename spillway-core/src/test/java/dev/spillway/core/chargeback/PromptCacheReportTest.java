package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.ledger.PromptCacheTotals;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The prompt-cache report on one fixture, worked out by hand. gpt-4o costs 0.0025 per 1k input tokens and 0.00125
 * per 1k cached ones, so a cached PAYG token saves 0.00125 / 1000.
 *
 * <ul>
 *   <li>search-app: 12 long prompts, every one beginning like the one before (11 of 11 pairs); 10,240 of 14,400 prompt
 *       tokens cached (0.711), all on PAYG: saved 10,240 × 0.00125 / 1000 = 0.0128.
 *   <li>billing on gpt-4o: 12 long prompts, no two consecutive alike (0 of 11), nothing cached: flagged.
 *   <li>billing on mini: cached tokens but mini has no price: saves 0, listed as unpriced.
 *   <li>few: like billing but only 8 pairs, too few to flag.
 *   <li>chatty: 14 unstable pairs, but only 15 of its 40 prompts are long: not flagged.
 *   <li>ptu-app: cached tokens on PTU only: they save capacity, not money.
 * </ul>
 */
class PromptCacheReportTest {
  static final CostsConfig COSTS = new CostsConfig("EUR", Map.of(),
      Map.of("gpt-4o", new PaygPrice(new BigDecimal("0.0025"), new BigDecimal("0.01"), new BigDecimal("0.00125"))),
      Optional.empty());

  static final List<PromptCacheTotals> USAGE = List.of(
      new PromptCacheTotals("search-app", "retail", "gpt-4o", 12, 14_400, 10_240, 10_240, 12, 12, 11, 11),
      new PromptCacheTotals("billing", "finance", "gpt-4o", 12, 14_400, 0, 0, 12, 12, 11, 0),
      new PromptCacheTotals("billing", "finance", "mini", 3, 3_000, 2_048, 2_048, 3, 3, 2, 2),
      new PromptCacheTotals("few", "finance", "gpt-4o", 9, 9_900, 0, 0, 9, 9, 8, 0),
      new PromptCacheTotals("chatty", "retail", "gpt-4o", 40, 30_000, 0, 0, 15, 15, 14, 0),
      new PromptCacheTotals("ptu-app", "ops", "gpt-4o", 10, 12_000, 6_144, 0, 10, 10, 9, 9));

  static PromptCacheReport report(ReportDimension by) {
    return PromptCacheCalculator.report(USAGE, COSTS, ChargebackCalculatorTest.PERIOD, by);
  }

  private static BigDecimal money(String s) {
    return new BigDecimal(s);
  }

  @Test
  void byConsumerAndModel() {
    PromptCacheReport r = report(ReportDimension.CONSUMER);
    assertThat(r.rows()).containsExactly(
        new PromptCacheRow("billing", "gpt-4o", 12, 14_400, 0, 12, 11, 0, money("0.000000")),
        new PromptCacheRow("billing", "mini", 3, 3_000, 2_048, 3, 2, 2, money("0.000000")),
        new PromptCacheRow("chatty", "gpt-4o", 40, 30_000, 0, 15, 14, 0, money("0.000000")),
        new PromptCacheRow("few", "gpt-4o", 9, 9_900, 0, 9, 8, 0, money("0.000000")),
        new PromptCacheRow("ptu-app", "gpt-4o", 10, 12_000, 6_144, 10, 9, 9, money("0.000000")),
        new PromptCacheRow("search-app", "gpt-4o", 12, 14_400, 10_240, 12, 11, 11, money("0.012800")));
    assertThat(r.rows()).filteredOn(PromptCacheRow::variesEarly).extracting(PromptCacheRow::key)
        .containsExactly("billing");
    PromptCacheRow search = r.rows().getLast();
    assertThat(search.cachedShare()).contains(money("0.711"));
    assertThat(search.prefixStability()).contains(money("1.000"));
    assertThat(search.promptTokensPerRequest()).isEqualTo(1_200);
    assertThat(r.rows().getFirst().flags()).containsExactly(PromptCacheRow.VARIES_EARLY);
    assertThat(r.totals()).isEqualTo(
        new PromptCacheRow(ReportRow.TOTAL, "", 86, 83_700, 18_432, 61, 55, 22, money("0.012800")));
    assertThat(r.unpricedModels()).containsExactly("mini");
    assertThat(r.currency()).isEqualTo("EUR");
  }

  /** finance (billing and few) is flagged as a team; retail's 27 long prompts of 52 and 11 stable of 25 pairs too. */
  @Test
  void byTeamTheCallersPairsAddUp() {
    PromptCacheReport r = report(ReportDimension.TEAM);
    assertThat(r.rows()).extracting(PromptCacheRow::key, PromptCacheRow::model, PromptCacheRow::requests,
            PromptCacheRow::prefixPairs, PromptCacheRow::stablePairs, PromptCacheRow::variesEarly)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("finance", "gpt-4o", 21L, 19L, 0L, true),
            org.assertj.core.groups.Tuple.tuple("finance", "mini", 3L, 2L, 2L, false),
            org.assertj.core.groups.Tuple.tuple("ops", "gpt-4o", 10L, 9L, 9L, false),
            org.assertj.core.groups.Tuple.tuple("retail", "gpt-4o", 52L, 25L, 11L, true));
  }

  @Test
  void rowsWithoutAConsumerOrModelAreNoneAndComeLast() {
    PromptCacheReport r = PromptCacheCalculator.report(
        List.of(new PromptCacheTotals("", "", "", 1, 2_000, 0, 0, 1, 1, 0, 0),
            new PromptCacheTotals("a", "t", "gpt-4o", 1, 2_000, 0, 0, 1, 1, 0, 0)),
        COSTS, ChargebackCalculatorTest.PERIOD, ReportDimension.CONSUMER);
    assertThat(r.rows()).extracting(PromptCacheRow::key, PromptCacheRow::model).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a", "gpt-4o"),
        org.assertj.core.groups.Tuple.tuple(ReportRow.NONE, ReportRow.NONE));
    assertThat(r.rows().getLast().prefixStability()).isEmpty();
  }

  @Test
  void aCachedPriceAboveTheInputPriceSavesNothing() {
    PaygPrice odd = new PaygPrice(new BigDecimal("0.001"), new BigDecimal("0.002"), new BigDecimal("0.003"));
    assertThat(PromptCacheCalculator.saved(1_000_000, odd)).isEqualByComparingTo("0");
    assertThat(PromptCacheCalculator.saved(1_000_000, COSTS.payg().get("gpt-4o"))).isEqualByComparingTo("1.25");
  }

  @Test
  void jsonHasSharesAsNumbersAmountsAsStringsAndTheThresholds() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(report(ReportDimension.CONSUMER)));
    assertThat(json.get("by").asText()).isEqualTo("consumer");
    JsonNode billing = json.get("rows").get(0);
    assertThat(billing.get("key").asText()).isEqualTo("billing");
    assertThat(billing.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(billing.get("cachedShare").decimalValue()).isEqualByComparingTo("0");
    assertThat(billing.get("prefixStability").decimalValue()).isEqualByComparingTo("0");
    assertThat(billing.get("flags").get(0).asText()).isEqualTo("varies_early");
    JsonNode search = json.get("rows").get(5);
    assertThat(search.get("cachedShare").decimalValue()).isEqualByComparingTo("0.711");
    assertThat(search.get("promptTokensPerRequest").asLong()).isEqualTo(1_200);
    assertThat(search.get("savedCost").asText()).isEqualTo("0.012800");
    assertThat(search.get("flags")).isEmpty();
    assertThat(json.get("totals").get("savedCost").asText()).isEqualTo("0.012800");
    assertThat(json.get("totals").has("flags")).isFalse();
    assertThat(json.get("thresholds").get("minPairs").asLong()).isEqualTo(10);
    assertThat(json.get("unpricedModels").get(0).asText()).isEqualTo("mini");
  }

  @Test
  void csvHasAHeaderTheRowsAndTheTotals() {
    String[] lines = ReportFormat.CSV.render(report(ReportDimension.CONSUMER)).split("\r\n", -1);
    assertThat(lines[0]).isEqualTo("consumer,model,requests,prompt_tokens,cached_tokens,cached_share,"
        + "prompt_tokens_per_request,long_prompts,prefix_pairs,stable_pairs,prefix_stability,saved_cost,currency,flags");
    assertThat(lines[1]).isEqualTo("billing,gpt-4o,12,14400,0,0.000,1200,12,11,0,0.000,0.000000,EUR,varies_early");
    assertThat(lines[6]).isEqualTo("search-app,gpt-4o,12,14400,10240,0.711,1200,12,11,11,1.000,0.012800,EUR,");
    assertThat(lines[7]).isEqualTo("TOTAL,,86,83700,18432,0.220,973,61,55,22,0.400,0.012800,EUR,");
    assertThat(lines[8]).isEmpty();
  }

  @Test
  void theTableShowsPercentagesAndExplainsTheFlag() {
    String table = ReportFormat.TABLE.render(report(ReportDimension.CONSUMER));
    List<String> lines = table.lines().toList();
    assertThat(lines.getFirst())
        .isEqualTo("Prompt cache by consumer and model, 2026-01-16T00:00:00Z to 2026-02-15T00:00:00Z (EUR)");
    assertThat(lines.get(2)).matches("consumer +model +requests +prompt/req +cached +long +prefix stable +saved EUR +flag");
    assertThat(lines).anySatisfy(l -> assertThat(l)
        .matches("billing +gpt-4o +12 +1200 +0\\.0% +12 +0\\.0% +0\\.000000 +varies_early"));
    assertThat(lines).anySatisfy(l -> assertThat(l)
        .matches("search-app +gpt-4o +12 +1200 +71\\.1% +12 +100\\.0% +0\\.012800"));
    assertThat(table).contains("varies_early: most prompts are long, yet fewer than 50.0% of consecutive ones began"
        + " alike\nand under 25.0% of prompt tokens were cached");
    assertThat(table).contains("Models without a PAYG price (their savings are counted as 0): mini");
  }
}
