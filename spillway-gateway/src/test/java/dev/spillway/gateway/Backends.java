package dev.spillway.gateway;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config builders for tests: backends pointing at a simulator or a scripted server on loopback. */
final class Backends {
  static final String BACKEND_KEY = "backend-secret-key-123";

  private Backends() {}

  static BackendConfig azure(String id, String url, String deployment, Tier tier, int priority) {
    return azure(id, url, deployment, tier, priority, BackendTimeouts.DEFAULTS);
  }

  static BackendConfig azure(String id, String url, String deployment, Tier tier, int priority, BackendTimeouts timeouts) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create(url))
        .deployment(deployment)
        .apiVersion("2024-10-21")
        .auth(BackendAuth.apiKey(BACKEND_KEY))
        .tier(tier)
        .priority(priority)
        .region("test")
        .timeouts(timeouts)
        .build();
  }

  static BackendConfig openai(String id, String baseUrl, String model, Tier tier, int priority) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.OPENAI)
        .url(URI.create(baseUrl))
        .deployment(model)
        .auth(BackendAuth.apiKey(BACKEND_KEY))
        .tier(tier)
        .priority(priority)
        .region("test")
        .build();
  }

  static BackendTimeouts shortTimeouts(Duration firstByte, Duration idle) {
    return new BackendTimeouts(Duration.ofSeconds(2), firstByte, idle, Duration.ofSeconds(30));
  }

  static SpillwayConfig config(long maxBodyBytes, Map<String, List<BackendConfig>> models) {
    Map<String, ModelConfig> pools = new LinkedHashMap<>();
    models.forEach((name, backends) -> pools.put(name, ModelConfig.builder()
        .name(name)
        .strategy(RoutingStrategy.PRIORITY)
        .backends(backends)
        .build()));
    return SpillwayConfig.builder()
        .server(ServerConfig.builder().host("127.0.0.1").port(0).maxBodyBytes(maxBodyBytes).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(pools)
        .build();
  }

  /** One model with its own settings (wait budget, strategy, affinity) and the given routing settings. */
  static SpillwayConfig config(ModelConfig model, RoutingConfig routing) {
    return SpillwayConfig.builder()
        .server(ServerConfig.builder().host("127.0.0.1").port(0).build())
        .routing(routing)
        .models(Map.of(model.name(), model))
        .build();
  }

  static SpillwayConfig config(Map<String, List<BackendConfig>> models) {
    return config(ServerConfig.DEFAULT_MAX_BODY_BYTES, models);
  }
}
