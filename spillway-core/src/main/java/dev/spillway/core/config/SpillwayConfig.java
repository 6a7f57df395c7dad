package dev.spillway.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole gateway configuration: immutable, validated at load (see {@link ConfigLoader}).
 *
 * @param server the listener and client limits
 * @param routing gateway-wide routing settings
 * @param models logical model name to its pool, in file order
 * @param consumers known callers, in file order
 * @param auth how callers authenticate
 * @param admin who may use the admin API
 * @param limits where limit counters live
 * @param ledger the usage ledger
 * @param costs the chargeback cost model
 * @param telemetry opt-in metric labels and OpenTelemetry export
 */
public record SpillwayConfig(
    ServerConfig server,
    RoutingConfig routing,
    Map<String, ModelConfig> models,
    List<ConsumerConfig> consumers,
    AuthConfig auth,
    AdminConfig admin,
    LimitsConfig limits,
    LedgerConfig ledger,
    CostsConfig costs,
    TelemetryConfig telemetry) {
  public SpillwayConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(admin, "admin");
    limits = limits == null ? LimitsConfig.DEFAULTS : limits;
    ledger = ledger == null ? LedgerConfig.OFF : ledger;
    costs = costs == null ? CostsConfig.NONE : costs;
    telemetry = telemetry == null ? TelemetryConfig.DEFAULTS : telemetry;
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    consumers = List.copyOf(consumers);
  }

  public SpillwayConfig(
      ServerConfig server,
      RoutingConfig routing,
      Map<String, ModelConfig> models,
      List<ConsumerConfig> consumers,
      AuthConfig auth,
      AdminConfig admin,
      LimitsConfig limits,
      LedgerConfig ledger) {
    this(server, routing, models, consumers, auth, admin, limits, ledger, CostsConfig.NONE, TelemetryConfig.DEFAULTS);
  }

  public SpillwayConfig(
      ServerConfig server,
      RoutingConfig routing,
      Map<String, ModelConfig> models,
      List<ConsumerConfig> consumers,
      AuthConfig auth,
      AdminConfig admin) {
    this(server, routing, models, consumers, auth, admin, LimitsConfig.DEFAULTS, LedgerConfig.OFF);
  }

  public SpillwayConfig(
      ServerConfig server,
      RoutingConfig routing,
      Map<String, ModelConfig> models,
      List<ConsumerConfig> consumers,
      AuthConfig auth,
      AdminConfig admin,
      LimitsConfig limits) {
    this(server, routing, models, consumers, auth, admin, limits, LedgerConfig.OFF);
  }

  /** A config without consumers, client authentication or admin settings (open gateway). */
  public SpillwayConfig(ServerConfig server, RoutingConfig routing, Map<String, ModelConfig> models) {
    this(server, routing, models, List.of(), AuthConfig.NONE, AdminConfig.LOOPBACK_ONLY);
  }

  public SpillwayConfig withLimits(LimitsConfig newLimits) {
    return new SpillwayConfig(server, routing, models, consumers, auth, admin, newLimits, ledger, costs, telemetry);
  }

  public SpillwayConfig withLedger(LedgerConfig newLedger) {
    return new SpillwayConfig(server, routing, models, consumers, auth, admin, limits, newLedger, costs, telemetry);
  }

  public SpillwayConfig withCosts(CostsConfig newCosts) {
    return new SpillwayConfig(server, routing, models, consumers, auth, admin, limits, ledger, newCosts, telemetry);
  }

  public SpillwayConfig withTelemetry(TelemetryConfig newTelemetry) {
    return new SpillwayConfig(server, routing, models, consumers, auth, admin, limits, ledger, costs, newTelemetry);
  }

  public Optional<ModelConfig> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  public Optional<ConsumerConfig> consumer(String id) {
    return consumers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public SpillwayConfig withServer(ServerConfig newServer) {
    return new SpillwayConfig(newServer, routing, models, consumers, auth, admin, limits, ledger, costs, telemetry);
  }

  public SpillwayConfig withAccess(List<ConsumerConfig> newConsumers, AuthConfig newAuth, AdminConfig newAdmin) {
    return new SpillwayConfig(server, routing, models, newConsumers, newAuth, newAdmin, limits, ledger, costs, telemetry);
  }
}
