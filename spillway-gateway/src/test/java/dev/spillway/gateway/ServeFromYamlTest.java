package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A config file as a user writes it, with the backend key from the environment, serving real traffic. */
class ServeFromYamlTest {
  private TestWorld world;

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void aYamlConfigWithAnEnvironmentKeyServesChat() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("sim-ptu", 1_000_000), DeploymentConfig.payg("sim-payg", 1_000_000, 10_000)));
    String yaml = """
        server:
          listen: 127.0.0.1:0
          maxBodyBytes: 1MiB
        models:
          gpt-4o:
            strategy: priority
            backends:
              - id: ptu
                url: ${SIM_URL}
                deployment: sim-ptu
                auth:
                  apiKey: ${BACKEND_KEY}
                tier: ptu
                priority: 1
              - id: payg
                url: ${SIM_URL}
                deployment: sim-payg
                auth:
                  apiKey: ${BACKEND_KEY}
                tier: payg
                priority: 2
        """;
    Map<String, String> env = Map.of("SIM_URL", world.simUrl(), "BACKEND_KEY", Backends.BACKEND_KEY);
    SpillwayConfig config = ConfigLoader.parse(yaml, "test.yaml", env::get);
    world.gateway(config);

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("ptu");
    assertThat(config.toString()).doesNotContain(Backends.BACKEND_KEY);
  }

  @Test
  void aPortInUseIsNamedInTheStartError() throws Exception {
    world = new TestWorld();
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      String yaml = """
          server:
            listen: 127.0.0.1:%d
          models:
            gpt-4o:
              backends:
                - { id: payg, url: "http://127.0.0.1:9", deployment: d, tier: payg }
          """.formatted(taken.getLocalPort());
      SpillwayConfig config = ConfigLoader.parse(yaml, "test.yaml", name -> null);

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> GatewayServer.start(world.vertx, config, GatewayOptions.defaults()).await())
          .isInstanceOf(java.net.BindException.class)
          .hasMessageStartingWith("127.0.0.1:" + taken.getLocalPort() + ": ");
    }
  }
}
