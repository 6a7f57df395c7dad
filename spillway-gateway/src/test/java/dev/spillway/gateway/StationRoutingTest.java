package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PTU station end to end: a simulated PTU (a leaky bucket on the test's clock) and PAYG behind the gateway, time
 * moved by the test. Requests that find the PTU full wait in the station and are released one at a time, at the pace
 * the PTU drains — no request is sent to find the PTU full again.
 */
class StationRoutingTest {
  /** 20 tokens a second; a test request costs about 20 tokens, so the PTU takes about one a second when full. */
  private static final long PTU_TOKENS_PER_MINUTE = 1_200;

  private TestWorld world;

  @AfterEach
  void stop() {
    world.close();
  }

  private HttpResponse<String> chat() {
    try {
      return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static String backendOf(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-spillway-backend").orElseThrow();
  }

  private ManualScheduler start(Duration budget) {
    ManualTicker ticker = new ManualTicker(1_000_000_000L);
    ManualScheduler scheduler = new ManualScheduler(ticker);
    world =
        new TestWorld()
            .simulate(
                List.of(DeploymentConfig.ptu("ptu", PTU_TOKENS_PER_MINUTE), DeploymentConfig.payg("payg", 10_000_000, 100_000)),
                ticker);
    BackendConfig ptu =
        Backends.azure("ptu", world.simUrl(), "ptu", Tier.PTU, 1)
            .toBuilder()
            .capacity(new BackendCapacity(OptionalLong.of(PTU_TOKENS_PER_MINUTE), OptionalLong.empty()))
            .build();
    ModelConfig model =
        ModelConfig.builder()
            .name("gpt-4o")
            .strategy(RoutingStrategy.PRIORITY)
            .backends(List.of(ptu, Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))
            .maxWaitForPtu(budget)
            .build();
    world.gateway(Backends.config(model, RoutingConfig.DEFAULTS), scheduler);
    return scheduler;
  }

  /** A timer closer than 3 s is pending: a waiter's (the head's); nothing else on the test's clock is that close. */
  private static boolean waiterTimerDue(ManualScheduler scheduler) {
    long next = scheduler.nanosUntilNext();
    return next >= 0 && next < Duration.ofSeconds(3).toNanos();
  }

  /** Fills the PTU until it refuses one request (which PAYG then serves): the station now knows its room. */
  private void fillThePtu() {
    String backend = "ptu";
    for (int i = 0; i < 50 && backend.equals("ptu"); i++) {
      backend = backendOf(chat());
    }
    assertThat(backend).isEqualTo("payg");
    assertThat(world.simulator.stats().deployment("ptu").throttled()).isEqualTo(1);
  }

  @Test
  void waitersAreReleasedOneAtATimeAtThePtusPaceWithoutAnotherRefusal() throws Exception {
    // A long budget: a waiter behind the head sleeps until the end of its budget (it is woken when it becomes the
    // head), and the test moves time only to timers closer than 3 s, so it never fires one of those by mistake.
    ManualScheduler scheduler = start(Duration.ofSeconds(20));
    // Fill the PTU until it refuses a request: that one waits in the station (it fits in about a second).
    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 50 && waiting.isEmpty(); i++) {
      CompletableFuture<HttpResponse<String>> r = CompletableFuture.supplyAsync(this::chat);
      TestWorld.await("an answer or a waiter", () -> r.isDone() || world.gateway.pools().get("gpt-4o").ptuWaiters() == 1);
      if (r.isDone()) {
        assertThat(backendOf(r.get())).isEqualTo("ptu");
      } else {
        waiting.add(r);
      }
    }
    assertThat(world.simulator.stats().deployment("ptu").throttled()).isEqualTo(1);
    waiting.add(CompletableFuture.supplyAsync(this::chat));
    TestWorld.await("a second request waits behind it", () -> world.gateway.pools().get("gpt-4o").ptuWaiters() == 2);
    long firstWait = scheduler.nanosUntilNext();
    assertThat(firstWait).isBetween(1L, Duration.ofSeconds(2).toNanos());

    scheduler.advance(Duration.ofNanos(firstWait));
    TestWorld.await("one waiter is released", () -> waiting.stream().filter(CompletableFuture::isDone).count() == 1);
    assertThat(world.gateway.pools().get("gpt-4o").ptuWaiters()).isEqualTo(1);
    // The next one fits about a second later (one request's cost at 20 tokens a second), not at once.
    long releasedFirst = scheduler.ticker().read();
    long releasedSecond = -1;
    for (int step = 0; step < 40 && releasedSecond < 0; step++) {
      TestWorld.await(
          "the second answer or a waiter's timer",
          () -> waiting.get(1).isDone() || waiterTimerDue(scheduler));
      if (waiting.get(1).isDone()) {
        releasedSecond = scheduler.ticker().read();
      } else {
        scheduler.advance(Duration.ofNanos(scheduler.nanosUntilNext())); // to the nanosecond the station named
      }
    }
    assertThat(releasedSecond).as("the second waiter was released").isPositive();
    assertThat(releasedSecond - releasedFirst).isBetween(Duration.ofMillis(500).toNanos(), Duration.ofMillis(1500).toNanos());

    for (CompletableFuture<HttpResponse<String>> r : waiting) {
      assertThat(backendOf(r.get(10, TimeUnit.SECONDS))).isEqualTo("ptu");
    }
    // The simulator charges a chat message one token more than the gateway's estimate (4 against the 3 of OpenAI's
    // counting), so the second release can be early once; that refusal teaches the drain model the cost scale.
    assertThat(world.simulator.stats().deployment("ptu").throttled()).isBetween(1L, 2L);
    assertThat(world.simulator.stats().deployment("payg").requests()).isZero();

    // Taught, the station paces the next waiters without a refusal.
    long refusals = world.simulator.stats().deployment("ptu").throttled();
    List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      more.add(CompletableFuture.supplyAsync(this::chat));
      int expected = i + 1;
      TestWorld.await("waiter " + expected, () -> world.gateway.pools().get("gpt-4o").ptuWaiters() == expected);
    }
    for (int step = 0; step < 100 && !more.stream().allMatch(CompletableFuture::isDone); step++) {
      TestWorld.await(
          "a waiter's timer or the end",
          () -> more.stream().allMatch(CompletableFuture::isDone) || waiterTimerDue(scheduler));
      if (!more.stream().allMatch(CompletableFuture::isDone)) {
        scheduler.advance(Duration.ofNanos(scheduler.nanosUntilNext()));
      }
    }
    for (CompletableFuture<HttpResponse<String>> r : more) {
      assertThat(backendOf(r.get(10, TimeUnit.SECONDS))).isEqualTo("ptu");
    }
    assertThat(world.simulator.stats().deployment("ptu").throttled()).isEqualTo(refusals);
  }

  @Test
  void aRequestThatWouldWaitBeyondItsBudgetSpillsAtOnceAndTheMetricsSayWhy() throws Exception {
    start(Duration.ofMillis(300)); // under the ~1 s the full PTU needs for one more request
    fillThePtu(); // the request the PTU refused spilled over budget

    assertThat(backendOf(chat())).isEqualTo("payg");
    assertThat(world.gateway.pools().get("gpt-4o").ptuWaiters()).isZero();
    assertThat(world.simulator.stats().deployment("ptu").throttled()).isEqualTo(1);

    String metrics = Http.get(world.url("/metrics")).body();
    assertThat(metrics)
        .contains("spillway_station_spilled_total{gen_ai_request_model=\"gpt-4o\",priority_class=\"standard\",reason=\"over-budget\"} 2.0")
        .contains("spillway_station_waiting{gen_ai_request_model=\"gpt-4o\",priority_class=\"critical\"} 0.0")
        .contains("spillway_station_drain_tokens_per_minute{gen_ai_request_model=\"gpt-4o\"} 1200.0");
  }
}
