package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.ledger.UsageTotals;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {
  private static final ChargebackReport BY_TEAM = ChargebackCalculatorTest.report(ReportDimension.TEAM);

  @Test
  void csvHasAHeaderTheRowsAndTheTotalsWithCrlf() {
    String csv = ReportFormat.CSV.render(BY_TEAM);
    assertThat(csv.split("\r\n", -1)).containsExactly(
        "team,requests,failed_requests,prompt_tokens,completion_tokens,cached_tokens,images,audio_seconds,characters,"
            + "ptu_cost,payg_cost,total_cost,cache_hits,semantic_cache_hits,saved_prompt_tokens,saved_completion_tokens,"
            + "saved_cost,currency",
        "ops,10,3,1235467,7754,0,0,0.000,0,338.709678,3.162958,341.872636,0,0,0,0,0.000000,EUR",
        "retail,9,0,2000600,500400,800100,0,0.000,0,338.709677,9.000000,347.709677,0,0,0,0,0.000000,EUR",
        "search,9,0,5833,601,0,0,0.000,0,338.709677,0.000842,338.710519,0,0,0,0,0.000000,EUR",
        "(none),3,3,0,0,0,0,0.000,0,0.000000,0.000000,0.000000,0,0,0,0,0.000000,EUR",
        "(unused PTU),0,0,0,0,0,0,0.000,0,508.064516,0.000000,508.064516,0,0,0,0,0.000000,EUR",
        "TOTAL,31,6,3241900,508755,800100,0,0.000,0,1524.193548,12.163800,1536.357348,0,0,0,0,0.000000,EUR",
        "");
  }

  @Test
  void csvQuotesCommasQuotesAndLineBreaks() {
    List<UsageTotals> usage = List.of(new UsageTotals("a", "R&D, \"labs\"\nwest", "m", "b", "payg", "chat", 1, 0, 1, 1, 0, 0));
    ChargebackReport r = ChargebackCalculator.report(
        usage, ChargebackCalculatorTest.COSTS, ChargebackCalculatorTest.PERIOD, ReportDimension.TEAM);
    assertThat(ReportFormat.CSV.render(r)).contains("\r\n\"R&D, \"\"labs\"\"\nwest\",1,0,1,1,0,");
  }

  @Test
  void csvKeysThatASpreadsheetWouldRunAsFormulasAreWrittenAsText() {
    List<UsageTotals> usage = java.util.stream.Stream.of("=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@sum",
            "\tx", "u-1", "a=b")
        .map(user -> ChargebackCalculatorTest.ofUser(user, "a", "b", "payg", 1, 0, 1, 1))
        .toList();
    ChargebackReport r = ChargebackCalculator.report(
        usage, ChargebackCalculatorTest.COSTS, ChargebackCalculatorTest.PERIOD, ReportDimension.USER);

    List<String> keys = java.util.Arrays.stream(ReportFormat.CSV.render(r).split("\r\n"))
        .map(line -> line.substring(0, line.indexOf(",1,0,") < 0 ? line.indexOf(',') : line.indexOf(",1,0,")))
        .toList();
    assertThat(keys).containsExactly("user", "'\tx", "'+1", "'-2", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "'@sum", "a=b", "u-1", "(unused PTU)", "TOTAL");
    assertThat(ReportFormat.TABLE.render(r)).contains("=HYPERLINK(").doesNotContain("'=HYPERLINK(");
  }

  /** Images, audio seconds and characters by operation: their own columns in every format. */
  static ChargebackReport unitsByOperation() {
    List<UsageTotals> usage = List.of(
        new UsageTotals("a", "t", "gpt-image-1", "img", "payg", "images/generations", 2, 0, 40, 4_000, 0, 0, 3, 0, 0),
        new UsageTotals("a", "t", "whisper", "asr", "payg", "audio/transcriptions", 2, 0, 0, 0, 0, 0, 0, 4.5, 0),
        new UsageTotals("b", "u", "whisper", "asr", "payg", "audio/transcriptions", 1, 0, 0, 0, 0, 0, 0, 0.1235, 0),
        new UsageTotals("a", "t", "tts", "tts", "payg", "audio/speech", 1, 0, 9, 0, 0, 0, 0, 0, 37));
    return ChargebackCalculator.report(
        usage, dev.spillway.core.config.CostsConfig.NONE, ChargebackCalculatorTest.PERIOD, ReportDimension.OPERATION);
  }

  @Test
  void unitsHaveTheirColumnsInCsvJsonAndTable() throws Exception {
    ChargebackReport r = unitsByOperation();
    assertThat(ReportFormat.CSV.render(r).split("\r\n")).contains(
        "audio/speech,1,0,9,0,0,0,0.000,37,0.000000,0.000000,0.000000,0,0,0,0,0.000000,USD",
        "audio/transcriptions,3,0,0,0,0,0,4.624,0,0.000000,0.000000,0.000000,0,0,0,0,0.000000,USD",
        "images/generations,2,0,40,4000,0,3,0.000,0,0.000000,0.000000,0.000000,0,0,0,0,0.000000,USD",
        "TOTAL,6,0,49,4000,0,3,4.624,37,0.000000,0.000000,0.000000,0,0,0,0,0.000000,USD");

    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(r));
    JsonNode transcriptions = json.get("rows").get(1);
    assertThat(transcriptions.get("key").asText()).isEqualTo("audio/transcriptions");
    assertThat(transcriptions.get("audioSeconds").decimalValue()).isEqualByComparingTo("4.624");
    assertThat(json.get("totals").get("images").asLong()).isEqualTo(3);
    assertThat(json.get("totals").get("characters").asLong()).isEqualTo(37);
    assertThat(json.get("totals").get("images").isIntegralNumber()).isTrue();

    List<String> lines = ReportFormat.TABLE.render(r).lines().toList();
    assertThat(lines.get(2)).containsPattern("cached +images +audio s +characters +ptu USD");
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("TOTAL +6 +0 +49 +4000 +0 +3 +4\\.624 +37 +0\\.000000 .*"));
    // Without units the table keeps its token columns only.
    assertThat(ReportFormat.TABLE.render(BY_TEAM)).doesNotContain("images");
  }

  @Test
  void jsonCarriesAmountsAsExactDecimalStrings() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(BY_TEAM));
    assertThat(json.get("by").asText()).isEqualTo("team");
    assertThat(json.get("from").asText()).isEqualTo("2026-01-16T00:00:00Z");
    assertThat(json.get("to").asText()).isEqualTo("2026-02-15T00:00:00Z");
    assertThat(json.get("currency").asText()).isEqualTo("EUR");
    assertThat(json.get("rows")).hasSize(5);
    JsonNode ops = json.get("rows").get(0);
    assertThat(ops.get("key").asText()).isEqualTo("ops");
    assertThat(ops.get("promptTokens").isIntegralNumber()).isTrue();
    assertThat(ops.get("ptuCost").isTextual()).isTrue();
    assertThat(ops.get("ptuCost").asText()).isEqualTo("338.709678");
    JsonNode totals = json.get("totals");
    assertThat(totals.get("requests").asLong()).isEqualTo(31);
    assertThat(totals.get("promptTokens").asLong()).isEqualTo(3_241_900);
    assertThat(totals.get("totalCost").asText()).isEqualTo("1536.357348");
    assertThat(json.get("ptu").findValuesAsText("backend")).containsExactlyInAnyOrder("ptu-a", "ptu-b");
    assertThat(json.get("unpricedModels").get(0).asText()).isEqualTo("mini");
  }

  @Test
  void theTableAlignsItsColumnsAndShowsTheCurrency() {
    String table = ReportFormat.TABLE.render(BY_TEAM);
    List<String> lines = table.lines().toList();
    assertThat(lines.getFirst()).isEqualTo("Chargeback by team, 2026-01-16T00:00:00Z to 2026-02-15T00:00:00Z (EUR)");
    String header = lines.get(2);
    assertThat(header).startsWith("team").endsWith("total EUR");
    assertThat(lines).contains(
        "ops                 10       3  1235467        7754       0   338.709678   3.162958   341.872636",
        "TOTAL               31       6  3241900      508755  800100  1524.193548  12.163800  1536.357348",
        "PTU ptu-b: 500 EUR a month, 508.064516 for the period, unused (on the (unused PTU) row)",
        "Models without a PAYG price (their PAYG cost and savings are counted as 0): mini");
    // Every row ends where the header ends: numbers are right-aligned under their headings.
    lines.subList(3, 9).stream().filter(l -> !l.startsWith("-"))
        .forEach(l -> assertThat(l).hasSameSizeAs(header));
  }

  @Test
  void responseCacheHitsHaveTheirColumnsInCsvJsonAndTheTableWhenThereAreAny() throws Exception {
    List<UsageTotals> usage = List.of(
        new UsageTotals("a", "t", "gpt-4o", "payg-a", "payg", "chat", 1, 0, 3_000, 1_000, 0, 0),
        new UsageTotals("a", "t", "gpt-4o", "", "", "chat", 3, 0, 0, 0, 0, 0, 0, 0, 0,
            new UsageTotals.CacheTotals(2, 1, 3_000, 1_000)));
    ChargebackReport r = ChargebackCalculator.report(usage, new dev.spillway.core.config.CostsConfig("EUR",
        java.util.Map.of(), ChargebackCalculatorTest.COSTS.payg(), java.util.Optional.empty()),
        ChargebackCalculatorTest.PERIOD, ReportDimension.CONSUMER);

    assertThat(ReportFormat.CSV.render(r).split("\r\n")).contains(
        "a,4,0,3000,1000,0,0,0.000,0,0.000000,0.017500,0.017500,2,1,3000,1000,0.017500,EUR");
    JsonNode a = new ObjectMapper().readTree(ReportFormat.JSON.render(r)).get("rows").get(0);
    assertThat(a.get("cacheHits").asLong()).isEqualTo(2);
    assertThat(a.get("semanticCacheHits").asLong()).isEqualTo(1);
    assertThat(a.get("savedPromptTokens").asLong()).isEqualTo(3_000);
    assertThat(a.get("savedCompletionTokens").asLong()).isEqualTo(1_000);
    assertThat(a.get("savedCost").asText()).isEqualTo("0.017500");
    List<String> table = ReportFormat.TABLE.render(r).lines().toList();
    assertThat(table.get(2)).endsWith("total EUR  hits  semantic  saved tokens  saved EUR");
    assertThat(table).anySatisfy(l -> assertThat(l).matches("TOTAL +4 .* 0\\.017500 +2 +1 +4000 +0\\.017500"));
    assertThat(ReportFormat.TABLE.render(BY_TEAM)).doesNotContain("saved");
  }

  @Test
  void formatsAndDimensionsAreNamedInLowerCase() {
    assertThat(ReportFormat.parse("CSV")).contains(ReportFormat.CSV);
    assertThat(ReportFormat.parse("xml")).isEmpty();
    assertThat(ReportFormat.choices()).isEqualTo("table|csv|json");
    assertThat(ReportDimension.parse("Backend")).contains(ReportDimension.BACKEND);
    assertThat(ReportDimension.choices()).isEqualTo("team|consumer|model|backend|tier|operation|user");
  }
}
