package dev.spillway.gateway;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.util.List;

/** A simulator and a gateway on loopback ports chosen by the OS, torn down after each test. */
final class TestWorld implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final RecordingListener listener = new RecordingListener();
  Simulator simulator;
  /** A second simulator, for backends that must not share one (an object a backend holds exists there only). */
  Simulator other;
  GatewayServer gateway;

  /** A zero-latency simulator that requires {@link Backends#BACKEND_KEY}. */
  TestWorld simulate(List<DeploymentConfig> deployments) {
    return simulate(SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(Backends.BACKEND_KEY).deployments(deployments).build());
  }

  TestWorld simulate(SimulatorConfig config) {
    simulator = Simulator.start(vertx, config).await();
    return this;
  }

  String simUrl() {
    return simulator.baseUrl();
  }

  /** Starts the {@link #other} simulator, zero-latency, requiring {@link Backends#BACKEND_KEY}. */
  TestWorld simulateOther(List<DeploymentConfig> deployments) {
    other = Simulator.start(vertx,
        SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(Backends.BACKEND_KEY).deployments(deployments).build())
        .await();
    return this;
  }

  String otherUrl() {
    return other.baseUrl();
  }

  TestWorld gateway(SpillwayConfig config) {
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().listener(listener).build()).await();
    return this;
  }

  /** The gateway counting prompts with {@code estimator} (say, one whose vocabulary loads the test holds). */
  TestWorld gateway(SpillwayConfig config, dev.spillway.core.tokens.TokenEstimator estimator) {
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().listener(listener).tokenEstimator(estimator).build()).await();
    return this;
  }

  /** Simulator and gateway share {@code ticker}, so a test moves time for both without sleeping. */
  TestWorld simulate(List<DeploymentConfig> deployments, dev.spillway.core.time.Ticker ticker) {
    SimulatorConfig config = SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(Backends.BACKEND_KEY).deployments(deployments).build();
    simulator = Simulator.start(vertx, config, ticker).await();
    return this;
  }

  TestWorld gateway(SpillwayConfig config, dev.spillway.core.time.Ticker ticker) {
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().listener(listener).ticker(ticker).build()).await();
    return this;
  }

  /** Every timer of the request path runs on {@code scheduler}: the test moves time and timers together, no sleeping. */
  TestWorld gateway(SpillwayConfig config, dev.spillway.core.time.ManualScheduler scheduler) {
    gateway = GatewayServer.start(vertx, config, GatewayOptions.builder().listener(listener).scheduler(scheduler).build()).await();
    return this;
  }

  /** Waits (polling, at most 10 s) until {@code condition} holds; for states a test cannot be told about. */
  static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(2);
    }
  }

  String url(String path) {
    return gateway.baseUrl() + path;
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close().await();
    }
    if (simulator != null) {
      simulator.close().await();
    }
    if (other != null) {
      other.close().await();
    }
    vertx.close().await();
  }
}
