package dev.spillway.core.config;

import java.util.ArrayList;
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
 * @param teams rules of the teams listed under {@code teams:} (spill rights), by team name, in file order
 * @param auth how callers authenticate
 * @param admin who may use the admin API
 * @param limits where limit counters live
 * @param objects where the owners of stateful objects (stored responses, files, ...) are recorded
 * @param ledger the usage ledger
 * @param costs the chargeback cost model
 * @param plan PTU figures for capacity planning ({@code spillway plan})
 * @param telemetry opt-in metric labels and OpenTelemetry export
 * @param pipeline the request pipeline's stages in order ({@code pipeline:}); empty for the default
 * @param policySettings pipeline policies' own sections at the root (the gateway's defaults), by settings type
 * @param store where consumers added through the admin API and gateway keys live (files, or a shared database)
 */
public record SpillwayConfig(
    ServerConfig server,
    RoutingConfig routing,
    Map<String, ModelConfig> models,
    List<ConsumerConfig> consumers,
    Map<String, TeamConfig> teams,
    AuthConfig auth,
    AdminConfig admin,
    LimitsConfig limits,
    ObjectsConfig objects,
    LedgerConfig ledger,
    CostsConfig costs,
    PlanConfig plan,
    TelemetryConfig telemetry,
    PipelineConfig pipeline,
    PolicySettings policySettings,
    StoreConfig store) {
  public SpillwayConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(routing, "routing");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(consumers, "consumers");
    Objects.requireNonNull(teams, "teams");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(costs, "costs");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(policySettings, "policySettings");
    Objects.requireNonNull(store, "store");
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    consumers = List.copyOf(consumers);
    teams = Collections.unmodifiableMap(new LinkedHashMap<>(teams));
    teams.forEach((name, team) -> {
      if (!name.equals(team.name())) {
        throw new IllegalArgumentException("team " + team.name() + " is filed under the name " + name);
      }
    });
  }

  /**
   * A builder for configs made in code (tests, the demo, benchmarks); {@link ConfigLoader} binds files. {@code server},
   * {@code routing} and {@code models} must be set; the other sections start at their defaults: no consumers, no teams, {@link
   * AuthConfig#NONE}, {@link AdminConfig#LOOPBACK_ONLY}, {@link LimitsConfig#DEFAULTS}, {@link ObjectsConfig#DEFAULTS},
   * {@link LedgerConfig#OFF}, {@link CostsConfig#NONE}, {@link PlanConfig#DEFAULTS} and {@link TelemetryConfig#DEFAULTS}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every section of this config, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .server(server)
        .routing(routing)
        .models(models)
        .consumers(consumers)
        .teams(teams)
        .auth(auth)
        .admin(admin)
        .limits(limits)
        .objects(objects)
        .ledger(ledger)
        .costs(costs)
        .plan(plan)
        .telemetry(telemetry)
        .pipeline(pipeline)
        .policySettings(policySettings)
        .store(store);
  }

  public Optional<ModelConfig> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  public Optional<ConsumerConfig> consumer(String id) {
    return consumers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** The rules of {@code team}, when it is listed under {@code teams:}. */
  public Optional<TeamConfig> team(String name) {
    return Optional.ofNullable(teams.get(name));
  }

  /**
   * Collects the sections of a {@link SpillwayConfig}; {@link #build()} checks that the required ones are set. Each
   * setter rejects null (leave a section unset for its default). Not thread-safe; use it once.
   */
  public static final class Builder {
    private ServerConfig server;
    private RoutingConfig routing;
    private Map<String, ModelConfig> models;
    private List<ConsumerConfig> consumers = List.of();
    private Map<String, TeamConfig> teams = Map.of();
    private AuthConfig auth = AuthConfig.NONE;
    private AdminConfig admin = AdminConfig.LOOPBACK_ONLY;
    private LimitsConfig limits = LimitsConfig.DEFAULTS;
    private ObjectsConfig objects = ObjectsConfig.DEFAULTS;
    private LedgerConfig ledger = LedgerConfig.OFF;
    private StoreConfig store = StoreConfig.FILES;
    private CostsConfig costs = CostsConfig.NONE;
    private PlanConfig plan = PlanConfig.DEFAULTS;
    private TelemetryConfig telemetry = TelemetryConfig.DEFAULTS;
    private PipelineConfig pipeline = PipelineConfig.DEFAULT;
    private PolicySettings policySettings = PolicySettings.NONE;

    private Builder() {}

    public Builder server(ServerConfig server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    public Builder routing(RoutingConfig routing) {
      this.routing = Objects.requireNonNull(routing, "routing");
      return this;
    }

    /** Logical model name to its pool; iteration order is kept. */
    public Builder models(Map<String, ModelConfig> models) {
      this.models = Objects.requireNonNull(models, "models");
      return this;
    }

    public Builder consumers(List<ConsumerConfig> consumers) {
      this.consumers = Objects.requireNonNull(consumers, "consumers");
      return this;
    }

    /** Team name to its rules; iteration order is kept. */
    public Builder teams(Map<String, TeamConfig> teams) {
      this.teams = Objects.requireNonNull(teams, "teams");
      return this;
    }

    /** The teams, each filed under its own name. */
    public Builder teams(List<TeamConfig> teams) {
      Map<String, TeamConfig> byName = new LinkedHashMap<>();
      teams.forEach(t -> byName.put(t.name(), t));
      return teams(byName);
    }

    public Builder auth(AuthConfig auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    public Builder admin(AdminConfig admin) {
      this.admin = Objects.requireNonNull(admin, "admin");
      return this;
    }

    public Builder limits(LimitsConfig limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder objects(ObjectsConfig objects) {
      this.objects = Objects.requireNonNull(objects, "objects");
      return this;
    }

    public Builder ledger(LedgerConfig ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    public Builder costs(CostsConfig costs) {
      this.costs = Objects.requireNonNull(costs, "costs");
      return this;
    }

    public Builder plan(PlanConfig plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    public Builder telemetry(TelemetryConfig telemetry) {
      this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
      return this;
    }

    /** The pipeline's stages in order; {@link PipelineConfig#DEFAULT} for the documented default. */
    public Builder pipeline(PipelineConfig pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
      return this;
    }

    /** Policies' own settings at the root: the gateway-wide defaults. */
    public Builder policySettings(PolicySettings policySettings) {
      this.policySettings = Objects.requireNonNull(policySettings, "policySettings");
      return this;
    }

    /** Where consumers added through the admin API and gateway keys live; {@link StoreConfig#FILES} by default. */
    public Builder store(StoreConfig store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * @throws IllegalStateException when server, routing or models was not set (the message names each missing one)
     */
    public SpillwayConfig build() {
      List<String> missing = new ArrayList<>();
      if (server == null) {
        missing.add("server");
      }
      if (routing == null) {
        missing.add("routing");
      }
      if (models == null) {
        missing.add("models");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("SpillwayConfig.builder() needs " + String.join(", ", missing) + " set");
      }
      return new SpillwayConfig(
          server, routing, models, consumers, teams, auth, admin, limits, objects, ledger, costs, plan, telemetry,
          pipeline, policySettings, store);
    }
  }
}
