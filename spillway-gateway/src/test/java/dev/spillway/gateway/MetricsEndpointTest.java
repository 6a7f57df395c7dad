package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.MetricsAccess;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} through real traffic, and its access setting. */
class MetricsEndpointTest {
  private static final String ADMIN_KEY = "metrics-admin-key-0123456789";
  private TestWorld world;

  @AfterEach
  void stop() {
    world.close();
  }

  private void start(AdminConfig admin) {
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(
            Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1),
            Backends.azure("payg-1", world.simUrl(), "payg", Tier.PAYG, 2))))
        .toBuilder()
        .admin(admin)
        .build();
    world.gateway(config);
  }

  @Test
  void trafficShowsUpInTheExposition() throws Exception {
    start(AdminConfig.LOOPBACK_ONLY);
    // The tiny PTU serves the first request and throttles the next, which PAYG absorbs.
    for (int i = 0; i < 3; i++) {
      assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false)).statusCode()).isEqualTo(200);
      world.listener.nextRequest();
    }

    HttpResponse<String> r = Http.get(world.url("/metrics"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    String text = r.body();
    assertThat(text).contains("# TYPE spillway_requests_total counter");
    // One request on the PTU, then two spilled to PAYG.
    assertThat(text).containsPattern("spillway_requests_total\\{[^}]*spillway_backend=\"ptu-1\"[^}]*\\} 1\\.0");
    assertThat(text).containsPattern("spillway_requests_total\\{[^}]*spillway_backend=\"payg-1\"[^}]*\\} 2\\.0");
    assertThat(text).containsPattern("spillway_throttled_absorbed_total\\{[^}]*spillway_backend=\"ptu-1\"[^}]*\\} 1\\.0");
    assertThat(text).containsPattern("gen_ai_client_token_usage_count\\{[^}]*gen_ai_token_type=\"input\"");
    assertThat(text).containsPattern("spillway_backend_throttled\\{[^}]*spillway_backend=\"ptu-1\"[^}]*\\} 1\\.0");
    assertThat(text).doesNotContain(Backends.BACKEND_KEY);
  }

  @Test
  void adminAccessRequiresTheAdminKey() throws Exception {
    start(new AdminConfig(Optional.of(ADMIN_KEY), Optional.empty(), Optional.empty(), MetricsAccess.ADMIN));
    assertThat(Http.get(world.url("/metrics")).statusCode()).isEqualTo(401);
    HttpResponse<String> r = Http.send("GET", world.url("/metrics"), null);
    assertThat(r.statusCode()).isEqualTo(401);
    java.net.http.HttpRequest withKey = java.net.http.HttpRequest.newBuilder(java.net.URI.create(world.url("/metrics")))
        .header("api-key", ADMIN_KEY).GET().build();
    assertThat(java.net.http.HttpClient.newHttpClient().send(withKey, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void openAccessNeedsNothing() throws Exception {
    start(new AdminConfig(Optional.of(ADMIN_KEY), Optional.empty(), Optional.empty(), MetricsAccess.OPEN));
    assertThat(Http.get(world.url("/metrics")).statusCode()).isEqualTo(200);
    // The admin API itself still needs its key.
    assertThat(Http.get(world.url("/admin/backends")).statusCode()).isEqualTo(401);
  }
}
