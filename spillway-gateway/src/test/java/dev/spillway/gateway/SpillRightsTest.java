package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.PipelineConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TeamConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spill rights end to end: a simulated PTU that stays full (its leaky bucket is on the test's clock, which does not
 * move) in front of a simulated PAYG. Consumer {@code open} may spill, {@code closed} may not ({@code payg: deny}), and
 * {@code saver}'s team has a monthly PAYG budget of 0.01 USD, which one request (about 30 tokens at 1 USD per 1k)
 * uses up.
 */
class SpillRightsTest {
  private static final String BUDGET_REASON_FORMAT = "team %s has used its PAYG budget for this month (0.01 USD)";

  private final String team = "savers-" + UUID.randomUUID().toString().substring(0, 8);
  private TestWorld world;
  private ManualScheduler scheduler;
  private Path dir;
  private final Map<String, String> keys = new java.util.HashMap<>();

  @BeforeEach
  void simulate() throws Exception {
    dir = Files.createTempDirectory("spillway-spill-rights");
    scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
    world = new TestWorld().simulate(
        List.of(DeploymentConfig.ptu("ptu", 1_200), DeploymentConfig.payg("payg", 10_000_000, 100_000)), scheduler.ticker());
  }

  @AfterEach
  void stop() throws Exception {
    world.close();
  }

  private SpillwayConfig config() {
    ModelConfig model = ModelConfig.builder()
        .name("gpt-4o")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(
            Backends.azure("ptu", world.simUrl(), "ptu", Tier.PTU, 1),
            Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))
        .build();
    List<ConsumerConfig> consumers = List.of(
        ConsumerConfig.builder().id("open").team("retail").models(List.of("*")).build(),
        ConsumerConfig.builder().id("closed").team("retail").models(List.of("*")).spillRights(SpillRights.denied()).build(),
        ConsumerConfig.builder().id("saver").team(team).models(List.of("*")).build());
    return Backends.config(model, RoutingConfig.DEFAULTS).toBuilder()
        .consumers(consumers)
        .teams(List.of(new TeamConfig(team, SpillRights.budget(Map.of(BudgetPeriod.MONTH, new BigDecimal("0.01"))))))
        .costs(new CostsConfig("USD", Map.of(),
            Map.of("gpt-4o", new PaygPrice(BigDecimal.ONE, BigDecimal.ONE, null)), Optional.empty()))
        .auth(new AuthConfig(true, dir.resolve("keys.json"), Optional.of("pepper-0123456789abcdef"), List.of()))
        .build();
  }

  private GatewayServer start(SpillwayConfig config) {
    GatewayServer gateway = GatewayServer.start(world.vertx, config,
        GatewayOptions.builder().listener(world.listener).scheduler(scheduler).build()).await();
    if (keys.isEmpty()) {
      KeyStore store = gateway.keys().orElseThrow();
      for (String consumer : List.of("open", "closed", "saver")) {
        keys.put(consumer, store.create(consumer, Instant.now()).plaintext());
      }
    }
    return gateway;
  }

  private static HttpResponse<String> chat(GatewayServer gateway, String key) throws Exception {
    return Http.post(gateway.baseUrl() + "/v1/chat/completions", Http.chat("gpt-4o", false), Map.of("api-key", key));
  }

  private static String backendOf(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-spillway-backend").orElseThrow();
  }

  /** Sends {@code open}'s requests until the PTU refuses one (PAYG then serves it): the PTU is full from now on. */
  private void fillThePtu(GatewayServer gateway) throws Exception {
    String backend = "ptu";
    for (int i = 0; i < 50 && backend.equals("ptu"); i++) {
      backend = backendOf(chat(gateway, keys.get("open")));
    }
    assertThat(backend).isEqualTo("payg");
  }

  private long paygRequests() {
    return world.simulator.stats().deployment("payg").requests();
  }

  /** The 429 a caller closed to PAYG gets while the PTU is full: its code, a Retry-After, and the reason. */
  private static void assertClosedToPayg(HttpResponse<String> r, String reason) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    JsonNode error = Http.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("payg_not_allowed");
    assertThat(error.path("message").asText()).contains("`gpt-4o` is full and " + reason + ", so the request was not sent");
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isPositive();
    assertThat(r.headers().firstValue("retry-after-ms")).isPresent();
  }

  /** This period's PAYG spend of {@code team} in {@code /metrics}, once it is more than {@code above}. */
  private static double spendOver(GatewayServer gateway, String team, double above) throws Exception {
    Pattern line = Pattern.compile("spillway_payg_spend\\{period=\"month\",team=\"" + Pattern.quote(team) + "\"} (\\S+)");
    double[] spend = {-1};
    TestWorld.await("the spend of " + team + " is counted", () -> {
      try {
        Matcher m = line.matcher(Http.get(gateway.baseUrl() + "/metrics").body());
        spend[0] = m.find() ? Double.parseDouble(m.group(1)) : -1;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return spend[0] > above;
    });
    return spend[0];
  }

  @Test
  void aConsumerThatMayNotSpillGets429WhenThePtuIsFullWhileOneThatMaySpillsToPayg() throws Exception {
    world.gateway = start(config());
    assertThat(backendOf(chat(world.gateway, keys.get("closed")))).isEqualTo("ptu"); // PTU has room: served as usual
    fillThePtu(world.gateway);
    long payg = paygRequests();

    assertClosedToPayg(chat(world.gateway, keys.get("closed")), "consumer closed may not use pay-as-you-go (payg: deny)");
    assertThat(paygRequests()).isEqualTo(payg);
    assertThat(backendOf(chat(world.gateway, keys.get("open")))).isEqualTo("payg");
    assertThat(paygRequests()).isEqualTo(payg + 1);
  }

  @Test
  void aTeamWhosePaygBudgetIsUsedUpGets429WithTheBudgetAsTheReason() throws Exception {
    world.gateway = start(config());
    fillThePtu(world.gateway);
    assertThat(backendOf(chat(world.gateway, keys.get("saver")))).isEqualTo("payg"); // 0 of 0.01 spent: may spill
    assertThat(spendOver(world.gateway, team, 0.01)).isLessThan(1);
    long payg = paygRequests();

    assertClosedToPayg(chat(world.gateway, keys.get("saver")), BUDGET_REASON_FORMAT.formatted(team));
    assertThat(paygRequests()).isEqualTo(payg);
    assertThat(Http.get(world.url("/metrics")).body())
        .contains("spillway_payg_budget{period=\"month\",team=\"" + team + "\"} 0.01")
        .contains("spillway_payg_spend_store_failures_total{operation=\"check\"} 0.0");
    // The dashboard shows the team's spend against its budget.
    com.fasterxml.jackson.databind.JsonNode budgets = Http.json(Http.get(world.url("/dashboard/api/stats"))).get("paygBudgets");
    com.fasterxml.jackson.databind.JsonNode row = null;
    for (com.fasterxml.jackson.databind.JsonNode b : budgets) {
      if (b.get("owner").asText().equals(team)) {
        row = b;
      }
    }
    assertThat(row).as(budgets.toString()).isNotNull();
    assertThat(row.get("kind").asText()).isEqualTo("team");
    assertThat(row.get("period").asText()).isEqualTo("month");
    assertThat(row.get("budget").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(row.get("spent").decimalValue()).isPositive();
  }

  @Test
  void theSpendInTheLedgerSurvivesARestart() throws Exception {
    SpillwayConfig config = config().toBuilder()
        .ledger(new LedgerConfig(Optional.of(dir.resolve("usage.db")), Optional.empty(), dir.resolve("spill"), 1000))
        .build();
    world.gateway = start(config);
    fillThePtu(world.gateway);
    assertThat(backendOf(chat(world.gateway, keys.get("saver")))).isEqualTo("payg");
    double spent = spendOver(world.gateway, team, 0.01);
    world.gateway.close().await(); // the ledger writes its last rows on the way out

    world.gateway = start(config);
    assertThat(spendOver(world.gateway, team, 0)).isEqualTo(spent);
    // The PTU is still full: this gateway learns it from the PTU's 429, and PAYG is closed by the ledger's spend.
    assertClosedToPayg(chat(world.gateway, keys.get("saver")), BUDGET_REASON_FORMAT.formatted(team));
  }

  @Test
  void twoGatewaysOnOneRedisShareTheSpend() throws Exception {
    RedisTestSupport.requireRedis();
    SpillwayConfig config = config().toBuilder()
        .limits(new LimitsConfig(LimitsConfig.Store.REDIS, RedisTestSupport.CONNECTION_STRING, true, 1024))
        .build();
    GatewayServer first = start(config);
    world.gateway = start(config); // the second reads the key file the first wrote
    try {
      fillThePtu(first);
      assertThat(backendOf(chat(first, keys.get("saver")))).isEqualTo("payg");
      spendOver(first, team, 0.01);

      assertClosedToPayg(chat(world.gateway, keys.get("saver")), BUDGET_REASON_FORMAT.formatted(team));
      assertThat(spendOver(world.gateway, team, 0.01)).isEqualTo(spendOver(first, team, 0.01));
    } finally {
      first.close().await();
      RedisTestSupport.deleteKeys(world.vertx, "spillway:spend:team:" + team + ":*");
    }
  }

  @Test
  void aSpendStoreThatCannotBeReachedLeavesPaygOpenAndIsCounted() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    world.gateway = start(config().toBuilder()
        .limits(new LimitsConfig(LimitsConfig.Store.REDIS, "redis://127.0.0.1:" + port, true, 1024))
        .build());
    fillThePtu(world.gateway);

    assertThat(backendOf(chat(world.gateway, keys.get("saver")))).isEqualTo("payg");
    assertThat(backendOf(chat(world.gateway, keys.get("saver")))).isEqualTo("payg");
    String metrics = Http.get(world.url("/metrics")).body();
    assertThat(metrics).contains("spillway_payg_spend_store_failures_total{operation=\"check\"} 2.0");
    // payg: deny needs no store: still closed
    assertClosedToPayg(chat(world.gateway, keys.get("closed")), "consumer closed may not use pay-as-you-go (payg: deny)");
  }

  @Test
  void rulesWithAPipelineThatLeavesOutSpillRightsDoNotStart() {
    SpillwayConfig config = config().toBuilder()
        .pipeline(new PipelineConfig("spillway.yaml", List.of(
            new PipelineConfig.Stage("authenticate", 7), new PipelineConfig.Stage("parse", 7),
            new PipelineConfig.Stage("authorizeModel", 7), new PipelineConfig.Stage("forward", 7))))
        .build();
    Throwable failure = GatewayServer.start(world.vertx, config, GatewayOptions.builder().scheduler(scheduler).build())
        .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).join();
    assertThat(failure).isInstanceOf(ConfigException.class)
        .hasMessageContaining("spillway.yaml:7: pipeline: consumers or teams set payg or paygBudget, but the pipeline"
            + " leaves out spillRights");
  }
}
