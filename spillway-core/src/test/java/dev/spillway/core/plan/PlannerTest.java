package dev.spillway.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.chargeback.ReportPeriod;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** From a config and recorded rows to a plan: which models are planned, what is left out and why, and the output. */
class PlannerTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-11-02T00:00:00Z");
  private static final String CONFIG = """
      models:
        gpt-4o:
          maxWaitForPtu: 1500ms
          backends:
            - { id: ptu-1, url: https://a.example, deployment: d, tier: ptu, priority: 1 }
            - { id: payg-1, url: https://a.example, deployment: d, tier: payg, priority: 2 }
        chat:
          backends:
            - { id: payg-chat, url: https://a.example, deployment: c, tier: payg }
        unpriced:
          backends:
            - { id: payg-u, url: https://a.example, deployment: u, tier: payg }
      costs:
        currency: EUR
        ptuUnitMonthly: 260
        payg:
          gpt-4o: { input: 0.0025, output: 0.01 }
          chat: { input: 0.001, output: 0.002 }
      """;

  private static SpillwayConfig config(String yaml) {
    return ConfigLoader.parse(yaml, "spillway.yaml", Map.<String, String>of()::get);
  }

  /** gpt-4o: 600 requests over the day, a third on PAYG; chat and unpriced: a few; one refused row without tokens. */
  private static RecordedTraffic traffic() {
    RecordedTraffic t = new RecordedTraffic(new ReportPeriod(FROM, TO));
    for (int i = 0; i < 600; i++) {
      t.accept(new RecordedRequest(FROM.plusSeconds(i * 120L), "gpt-4o", i % 3 == 0 ? "payg" : "ptu", 200, 2_000, 300, 0));
    }
    t.accept(new RecordedRequest(FROM.plusSeconds(5), "gpt-4o", "", 429, 0, 0, 0));
    t.accept(new RecordedRequest(FROM.plusSeconds(7), "chat", "payg", 200, 100, 10, 0));
    t.accept(new RecordedRequest(FROM.plusSeconds(9), "unpriced", "payg", 200, 100, 10, 0));
    t.accept(new RecordedRequest(FROM.plusSeconds(11), "", "", 401, 0, 0, 0));
    return t;
  }

  private static PlanRequest request(String models, String candidates, String format) {
    return PlanRequest.parse(Optional.of(FROM.toString()), Optional.of(TO.toString()), Optional.empty(),
        Optional.ofNullable(models), Optional.ofNullable(candidates), Optional.of("5%"),
        Optional.of(Duration.ofSeconds(2)), Optional.ofNullable(format), TO);
  }

  @Test
  void everyModelWithTrafficIsPlannedAndTheOnesThatCannotBeAreLeftOutWithTheReason() {
    PlanReport report = Planner.plan(config(CONFIG), traffic(), request(null, null, null));

    assertThat(report.models()).extracting(ModelPlan::model).containsExactly("gpt-4o");
    assertThat(report.notes()).containsExactly(
        "chat left out: no PTU figures (" + PtuThroughput.missing("chat") + ")",
        "unpriced left out: no PAYG price (set costs.payg.unpriced)");
    ModelPlan gpt4o = report.models().getFirst();
    assertThat(gpt4o.requests()).isEqualTo(600);
    assertThat(gpt4o.skippedRows()).isEqualTo(1);
    assertThat(gpt4o.recordedPaygShare()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(gpt4o.maxWaitForPtu()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(gpt4o.throughput().basis()).isEqualTo("published figures for gpt-4o");
    // one request a minute at most, 3,200 converted tokens: the minimum of 15 PTUs holds it, 20 is one step beyond
    assertThat(gpt4o.candidates()).extracting(CandidateResult::ptus).containsExactly(0, 15, 20);
    assertThat(gpt4o.recommendation().candidate().ptus()).isEqualTo(15);
    assertThat(gpt4o.recommendation().meetsTarget()).isTrue();
  }

  @Test
  void aNamedModelThatCannotBePlannedIsAnErrorThatSaysWhy() {
    assertThatThrownBy(() -> Planner.plan(config(CONFIG), traffic(), request("unpriced", "0,15", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot plan unpriced: no PAYG price (set costs.payg.unpriced)");
    assertThatThrownBy(() -> Planner.plan(config(CONFIG), traffic(), request("gpt-5", null, null)))
        .hasMessage("cannot plan gpt-5: the ledger has no requests for it in the period");
    assertThatThrownBy(() -> Planner.plan(config(CONFIG.replace("  ptuUnitMonthly: 260\n", "")), traffic(),
        request(null, null, null)))
        .hasMessage("the config sets no costs.ptuUnitMonthly: planning needs the monthly price of one PTU");
  }

  @Test
  void anEmptyPeriodIsNothingToPlan() {
    RecordedTraffic none = new RecordedTraffic(new ReportPeriod(FROM, TO));
    assertThatThrownBy(() -> Planner.plan(config(CONFIG), none, request(null, null, null)))
        .hasMessage("nothing to plan between 2026-11-01T00:00:00Z and 2026-11-02T00:00:00Z: the ledger has no"
            + " requests then");
  }

  @Test
  void theWrittenFiguresAndCandidatesAreUsed() {
    String yaml = CONFIG + """
        plan:
          models:
            chat: { azureModel: gpt-4o-mini, minimumPtu: 25, ptuIncrement: 25 }
        """;
    PlanReport report = Planner.plan(config(yaml), traffic(), request("chat,gpt-4o", "0..2", null));

    assertThat(report.models()).extracting(ModelPlan::model).containsExactly("chat", "gpt-4o");
    assertThat(report.models().getFirst().throughput().basis())
        .isEqualTo("published figures for gpt-4o-mini with plan.models.chat");
    assertThat(report.models().getFirst().candidates()).extracting(CandidateResult::ptus).containsExactly(0, 1, 2);
  }

  @Test
  void theTableShowsEachCandidateAndMarksTheRecommendation() {
    String table = PlanFormat.TABLE.render(Planner.plan(config(CONFIG), traffic(), request("gpt-4o", null, "table")));

    assertThat(table)
        .startsWith("PTU plan, 2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z: costs in EUR a month (730 h), one PTU 260"
            + " EUR\ntarget: spill <= 5%, p99 wait <= 2s\n\ngpt-4o: 600 requests replayed (1 without tokens left out);"
            + " the ledger shows 33.3% of tokens on PAYG\n")
        .contains("  2500 input tokens a minute per PTU, an output token counts 4, sizes 15 + 5n (published figures"
            + " for gpt-4o)\n")
        .contains("  waits for the PTU up to 1.5s; PAYG quota ample\n")
        .containsPattern("\n +ptu  monthly EUR  +ptu EUR  +payg EUR  +ptu use  +spilled  +p50 wait  +p99 wait"
            + "  +client 429s\n")
        .containsPattern("\n  \\*   15  +3900\\.00  +3900\\.00  +0\\.00 ")
        .contains("  recommended: 15 PTU, 3900.00 EUR a month (spilled 0.0%, p99 wait 0ms, 0 client 429s)\n");
  }

  @Test
  void theJsonHasStableFieldsAndDecimalAmounts() throws Exception {
    PlanRequest asked = request(null, "0,15", "json");
    JsonNode json = new ObjectMapper().readTree(asked.format().render(Planner.plan(config(CONFIG), traffic(), asked)));

    assertThat(json.get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(json.get("currency").asText()).isEqualTo("EUR");
    assertThat(json.get("hoursPerMonth").asInt()).isEqualTo(730);
    assertThat(json.get("target").get("maxSpillShare").asDouble()).isEqualTo(0.05);
    assertThat(json.get("target").get("maxP99WaitMillis").asLong()).isEqualTo(2_000);
    JsonNode model = json.get("models").get(0);
    assertThat(model.get("model").asText()).isEqualTo("gpt-4o");
    assertThat(model.get("ptuFigures").get("outputTokenWeight").asText()).isEqualTo("4");
    JsonNode payg = model.get("candidates").get(0);
    assertThat(payg.get("ptus").asInt()).isZero();
    assertThat(payg.get("spillShare").asDouble()).isEqualTo(1.0);
    assertThat(payg.get("monthlyCost").isTextual()).isTrue();
    // 600 requests of 2,000 prompt and 300 completion tokens in a day: (5 + 3) × 600 = 4,800 ÷ 1000 × 730 ÷ 24
    assertThat(payg.get("monthlyCost").asText()).isEqualTo("146.00");
    assertThat(model.get("recommendation").get("ptus").asInt()).isEqualTo(15);
    assertThat(model.get("recommendation").get("meetsTarget").asBoolean()).isTrue();
    assertThat(json.get("notes")).hasSize(2);
  }
}
