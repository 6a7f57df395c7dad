package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How Realtime sockets close: on the sim.close hook, on the client's close, when the simulator stops; and pings. */
class SimulatorRealtimeCloseTest {
  private static final String URL = "/v1/realtime?model=gpt-4o";
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void simCloseClosesTheSocketWithTheGivenCodeAndReason() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, URL)) {
      c.next("session.created");
      c.send("{\"type\":\"sim.close\",\"code\":1001}");
      assertThat(c.next("error").path("error").path("param").asText()).isEqualTo("code");

      c.send("{\"type\":\"sim.close\",\"code\":4000,\"reason\":\"backend says bye\"}");

      assertThat(c.awaitClose()).isEqualTo((short) 4000);
      assertThat(c.closeReason()).isEqualTo("backend says bye");
    }
    SimHarness.eventually(() -> sim.realtimeStats("gpt-4o").sessionsOpen() == 0);
  }

  @Test
  void aClientsCloseIsAnsweredWithTheSameCodeAndPingsAreAnsweredWithPongs() throws Exception {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, URL)) {
      c.next("session.created");
      CompletableFuture<String> pong = new CompletableFuture<>();
      c.ping(Buffer.buffer("are you there"), b -> pong.complete(b.toString()));
      assertThat(pong.get(5, TimeUnit.SECONDS)).isEqualTo("are you there");

      c.close((short) 4001, "client leaves");

      assertThat(c.awaitClose()).isEqualTo((short) 4001);
      assertThat(c.closeReason()).isEqualTo("client leaves");
    }
    SimHarness.eventually(() -> sim.realtimeStats("gpt-4o").sessionsOpen() == 0);
  }

  @Test
  void stoppingTheSimulatorClosesItsSessionsWith1000() {
    Simulator own = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, own, URL)) {
      c.next("session.created");
      assertThat(own.realtimeStats("gpt-4o").sessionsOpen()).isEqualTo(1);

      own.close().await();

      assertThat(c.awaitClose()).isEqualTo((short) 1000);
      assertThat(c.closeReason()).isEqualTo("simulator stopping");
      SimHarness.eventually(() -> own.realtimeStats("gpt-4o").sessionsOpen() == 0);
    }
  }
}
