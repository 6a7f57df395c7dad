package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code admin.listen}, admin and probes move to their own listener; clients cannot reach admin. */
class AdminListenerTest {
  private TestWorld world;

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void adminAnswersOnlyOnItsOwnListener() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(Backends.azure("p", world.simUrl(), "payg", Tier.PAYG, 1))))
        .toBuilder()
        .admin(AdminConfig.builder().listen("127.0.0.1:0").build())
        .build();
    world.gateway(config);
    String admin = "http://127.0.0.1:" + world.gateway.adminPort().orElseThrow();

    assertThat(Http.get(world.url("/admin/backends")).statusCode()).isEqualTo(404);
    assertThat(Http.get(admin + "/admin/backends").statusCode()).isEqualTo(200);
    assertThat(Http.get(admin + "/healthz").statusCode()).isEqualTo(200);
    assertThat(Http.get(admin + "/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> proxiedOnAdmin = Http.post(admin + "/v1/chat/completions", Http.chat("gpt-4o", false));
    assertThat(proxiedOnAdmin.statusCode()).isEqualTo(404);
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false)).statusCode()).isEqualTo(200);
  }
}
