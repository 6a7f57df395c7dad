package dev.spillway.gateway.dashboard;

import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zero-latency simulator (a tiny PTU that throttles after one call, and a large PAYG) with a
 * gateway in front, on loopback ports chosen by the OS.
 */
final class DashboardWorld implements AutoCloseable {
  static final String BACKEND_KEY = "dashboard-backend-key-123";
  static final String PEPPER = "dashboard-pepper-0123456789";

  final Vertx vertx = Vertx.vertx();
  final HttpClient http = HttpClient.newHttpClient();
  final Simulator simulator;
  GatewayServer gateway;

  DashboardWorld() {
    simulator = Simulator.start(vertx, SimulatorConfig.builder().port(0).zeroLatency(true).apiKey(BACKEND_KEY)
        .deployments(List.of(DeploymentConfig.ptu("ptu", 60), DeploymentConfig.payg("payg", 10_000_000, 100_000))).build())
        .await();
  }

  /** Starts the gateway; {@code host} is where it listens. */
  DashboardWorld gateway(String host, List<ConsumerConfig> consumers, Path keyStore, AdminConfig admin) {
    List<BackendConfig> backends = List.of(backend("ptu-1", "ptu", Tier.PTU, 1), backend("payg-1", "payg", Tier.PAYG, 2));
    SpillwayConfig config = SpillwayConfig.builder()
        .server(ServerConfig.builder().host(host).port(0).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder()
            .name("gpt-4o")
            .strategy(RoutingStrategy.PRIORITY)
            .backends(backends)
            .build()))
        .consumers(consumers)
        .auth(consumers.isEmpty() ? AuthConfig.NONE : new AuthConfig(true, keyStore, Optional.of(PEPPER), List.of()))
        .admin(admin)
        .build();
    gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
    return this;
  }

  private BackendConfig backend(String id, String deployment, Tier tier, int priority) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create(simulator.baseUrl()))
        .deployment(deployment)
        .apiVersion("2024-10-21")
        .auth(BackendAuth.apiKey(BACKEND_KEY))
        .tier(tier)
        .priority(priority)
        .region("eastus")
        .build();
  }

  String url(String path) {
    return gateway.baseUrl() + path;
  }

  HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String url, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    if (gateway != null) {
      gateway.close().await();
    }
    simulator.close().await();
    vertx.close().await();
  }
}
