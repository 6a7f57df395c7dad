package dev.spillway.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TeamConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.spend.InMemorySpendStore;
import dev.spillway.core.spend.SpendBook;
import dev.spillway.core.usage.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PAYG spend against each budget: team series always, consumer series only with consumer labels switched on. */
class SpendGaugesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T15:30:00Z"), ZoneOffset.UTC);
  private static final ConsumerConfig REPORTS = ConsumerConfig.builder().id("reports").team("finance").models(List.of("*"))
      .spillRights(SpillRights.budget(Map.of(BudgetPeriod.DAY, new BigDecimal("20")))).build();

  private static SpendBook book() {
    BackendConfig payg = BackendConfig.builder().id("payg").url(URI.create("https://a.example")).deployment("d")
        .tier(Tier.PAYG).build();
    SpillwayConfig config = SpillwayConfig.builder()
        .server(ServerConfig.builder().port(0).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder().name("gpt-4o").backends(List.of(payg)).build()))
        .consumers(List.of(REPORTS))
        .teams(List.of(new TeamConfig("finance", SpillRights.budget(Map.of(
            BudgetPeriod.WEEK, new BigDecimal("100"), BudgetPeriod.MONTH, new BigDecimal("500.5"))))))
        .costs(new CostsConfig("EUR", Map.of(), Map.of("gpt-4o", new PaygPrice(BigDecimal.ONE, new BigDecimal("2"), null)),
            Optional.empty()))
        .build();
    SpendBook book = new SpendBook(new InMemorySpendStore(), config);
    book.record(REPORTS, "gpt-4o", TokenUsage.of(1_000, 500), CLOCK.millis()); // 1 + 1 = 2 EUR
    return book;
  }

  private static Exposition scrape(boolean consumerLabel) {
    GatewayMetrics metrics = GatewayMetrics.builder(Map.of())
        .options(new GatewayMetrics.Options(consumerLabel, false))
        .spend(book(), CLOCK)
        .build();
    return Exposition.parse(metrics.scrape());
  }

  @Test
  void eachTeamBudgetShowsThisPeriodsSpendBesideTheBudget() {
    Exposition e = scrape(false);
    assertThat(e.value("spillway_payg_spend", Map.of("team", "finance", "period", "month"))).isEqualTo(2.0);
    assertThat(e.value("spillway_payg_spend", Map.of("team", "finance", "period", "week"))).isEqualTo(2.0);
    assertThat(e.value("spillway_payg_budget", Map.of("team", "finance", "period", "month"))).isEqualTo(500.5);
    assertThat(e.value("spillway_payg_spend_store_failures_total", Map.of("operation", "check"))).isZero();
    assertThat(e.families()).doesNotContainKeys("spillway_payg_consumer_spend", "spillway_payg_consumer_budget");
  }

  @Test
  void consumerBudgetsAreSeriesOnlyWithConsumerLabelsOn() {
    Exposition e = scrape(true);
    assertThat(e.value("spillway_payg_consumer_spend", Map.of("consumer", "reports", "period", "day"))).isEqualTo(2.0);
    assertThat(e.value("spillway_payg_consumer_budget", Map.of("consumer", "reports", "period", "day"))).isEqualTo(20.0);
  }

  @Test
  void theSpendMetersPassPromtool() throws Exception {
    GatewayMetrics metrics = GatewayMetrics.builder(Map.of()).options(new GatewayMetrics.Options(true, true))
        .spend(book(), CLOCK).build();
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (java.io.IOException notInstalled) {
      org.junit.jupiter.api.Assumptions.abort("promtool is not installed (apt-get install prometheus)");
      return;
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}
