package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pool whose breakers have all opened is not dark: through real HTTP with the simulator and the default breaker
 * ({@code routing.breaker.maxEjectedPercent} 99, all but one backend), the backend whose open time ends first keeps
 * getting trial calls, the admin view says so, and when it answers again traffic flows.
 */
class BreakerPanicTest {
  private static final Map<String, String> FAIL_WITH_500 = Map.of("x-sim-fault", "500");
  private TestWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void whenBothBreakersOfAPoolOpenOneBackendStaysOnTrialAndCarriesTheTrafficOnceItRecovers() throws Exception {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.payg("a", 10_000_000, 100_000), DeploymentConfig.payg("b", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("a", world.simUrl(), "a", Tier.PAYG, 1),
        Backends.azure("b", world.simUrl(), "b", Tier.PAYG, 2)))));

    // Five requests, each answered 500 by a and then by b: 5 of 5 failures open both breakers (the default rule).
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = chat(FAIL_WITH_500);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.headers().firstValue("x-spillway-attempts")).contains("2");
    }
    JsonNode a = adminBackend("a");
    JsonNode b = adminBackend("b");
    assertThat(b.path("state").asText()).isEqualTo("open");
    assertThat(b.path("breaker").path("panic").asBoolean()).isFalse();
    // a opened first, so its open time ends first: it is on trial now, ahead of its time, and says why.
    assertThat(a.path("state").asText()).isEqualTo("half_open");
    assertThat(a.path("breaker").path("state").asText()).isEqualTo("HALF_OPEN");
    assertThat(a.path("breaker").path("panic").asBoolean()).isTrue();
    assertThat(a.path("breaker").path("windowFailures").asInt()).isEqualTo(5);
    long callsBefore = world.simulator.stats().total().requests();

    // Still failing: the requests are still tried on the backends (one trial each), not answered 503 by the gateway.
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = chat(FAIL_WITH_500);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(Http.json(r).path("error").path("code").asText()).isNotEqualTo("backends_unavailable");
    }
    assertThat(world.simulator.stats().total().requests()).isEqualTo(callsBefore + 6);

    // The backends recover: the trial call succeeds, its breaker closes and every request is served again.
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = chat(Map.of());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-spillway-attempts")).contains("1");
    }
    JsonNode served = adminBackend(backendOf(chat(Map.of())));
    assertThat(served.path("state").asText()).isEqualTo("available");
    assertThat(served.path("breaker").path("panic").asBoolean()).isFalse();
  }

  private HttpResponse<String> chat(Map<String, String> headers) throws Exception {
    return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), headers);
  }

  private static String backendOf(HttpResponse<String> r) {
    return r.headers().firstValue("x-spillway-backend").orElseThrow();
  }

  private JsonNode adminBackend(String id) throws Exception {
    HttpResponse<String> r = Http.get(world.url("/admin/backends"));
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode b : Http.json(r).path("backends")) {
      if (b.path("id").asText().equals(id)) {
        return b;
      }
    }
    throw new AssertionError("no backend " + id + " in " + r.body());
  }
}
