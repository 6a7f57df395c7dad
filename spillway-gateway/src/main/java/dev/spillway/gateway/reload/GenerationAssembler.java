package dev.spillway.gateway.reload;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.Router;
import dev.spillway.core.routing.SharedThrottles;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.auth.ClientAuthenticator;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.forward.UpstreamClients;
import dev.spillway.gateway.guard.GuardProfiles;
import dev.spillway.gateway.pipeline.PipelineAssembler;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.spend.SpendBooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds a {@link ConfigGeneration} from a config: the pools (carrying over the state of the backends that stay, see
 * {@link Pool#reconfigured}), the backends' clients, the components that depend on the config (the authenticator, the
 * router, the guard profiles, the upstream clients) and the pipeline. What does not depend on the config (the limit
 * store, the spend book, the caches, the ledger, the metrics) is shared by every generation and handed in once.
 *
 * <p>Thread-safe for one builder at a time (the reloader serializes reloads).
 */
public final class GenerationAssembler {
  private final Vertx vertx;
  private final Scheduler scheduler;
  private final Clock clock;
  private final GatewayListener listener;
  private final HttpClient sharedClient;
  private final Map<Class<?>, Object> sharedComponents;
  private final Function<SpillwayConfig, ClientAuthenticator> authenticators;
  private final Function<BackendConfig, BackendCredential> credentials;
  private final Function<BackendConfig, HttpClient> tlsClients;
  private final List<HttpClient> madeClients = new ArrayList<>();
  /** The guard profiles last built, with what they were built from: a profile may hold a Content Safety client. */
  private Object guardSource;
  private GuardProfiles guardProfiles;

  /**
   * @param sharedClient the upstream client of backends without TLS settings of their own
   * @param sharedComponents the pipeline components every generation shares, by type
   * @param authenticators the caller authenticator for a config (its consumers, its auth rules)
   * @param credentials makes a backend's credential
   * @param tlsClients makes the own client of a backend with TLS settings of its own or HTTP/2
   */
  public GenerationAssembler(
      Vertx vertx, Scheduler scheduler, Clock clock, GatewayListener listener, HttpClient sharedClient,
      Map<Class<?>, Object> sharedComponents, Function<SpillwayConfig, ClientAuthenticator> authenticators,
      Function<BackendConfig, BackendCredential> credentials, Function<BackendConfig, HttpClient> tlsClients) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.clock = clock;
    this.listener = listener;
    this.sharedClient = sharedClient;
    this.sharedComponents = Map.copyOf(sharedComponents);
    this.authenticators = authenticators;
    this.credentials = credentials;
    this.tlsClients = backend -> {
      HttpClient client = tlsClients.apply(backend);
      synchronized (madeClients) {
        madeClients.add(client);
      }
      return client;
    };
  }

  /**
   * The pools of {@code config}'s models. A model {@code previous} has with the same settings keeps its pool as it is
   * (session pins, PTU station and all); one whose settings changed gets a new pool that carries over the state of the
   * backends that stay ({@link Pool#reconfigured}); a new model gets a fresh pool.
   */
  public static Map<String, Pool> pools(SpillwayConfig config, Map<String, Pool> previous) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      Pool was = previous.get(model.name());
      Pool next;
      if (was == null) {
        next = new Pool(model, config.routing().breaker());
      } else if (was.model().equals(model) && was.breakerConfig().equals(config.routing().breaker())) {
        next = was;
      } else {
        next = Pool.reconfigured(model, config.routing().breaker(), was);
      }
      pools.put(model.name(), next);
    }
    return pools;
  }

  /**
   * Generation {@code number} of {@code config} over {@code pools}, reusing {@code previous}'s backend clients where they
   * still fit.
   *
   * @throws dev.spillway.core.config.ConfigException when the pipeline cannot be built from {@code config}, naming
   *     every problem
   * @throws IllegalArgumentException when a component rejects {@code config}
   */
  public ConfigGeneration assemble(
      long number, SpillwayConfig config, Map<String, Pool> pools, Optional<ConfigGeneration> previous) {
    SpendBooks.requireStage(config);
    BackendClients clients =
        BackendClients.of(config, previous.map(ConfigGeneration::clients).orElse(BackendClients.NONE), credentials,
            tlsClients);
    Map<Class<?>, Object> components = new HashMap<>(sharedComponents);
    components.put(ClientAuthenticator.class, authenticators.apply(config));
    components.put(Router.class, new Router(config.routing(),
        (SharedThrottles) sharedComponents.getOrDefault(SharedThrottles.class, SharedThrottles.local())));
    components.put(UpstreamClients.class, clients.upstream(sharedClient));
    components.put(GuardProfiles.class, guardProfiles(config));
    PipelineServices services = new PipelineServices(config, pools, vertx, scheduler, clock, listener, components);
    return new ConfigGeneration(number, config, pools, clients, new PipelineAssembler().assemble(config.pipeline(), services));
  }

  /** The guard profiles of {@code config}: the last ones built while the guard settings (root and consumers') stay. */
  private synchronized GuardProfiles guardProfiles(SpillwayConfig config) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("", config.policySettings().get(dev.spillway.core.guard.GuardSettings.class));
    config.consumers().forEach(c -> source.put(c.id(), c.policySettings().get(dev.spillway.core.guard.GuardSettings.class)));
    if (guardProfiles == null || !source.equals(guardSource)) {
      guardProfiles = GuardProfiles.of(vertx, config);
      guardSource = source;
    }
    return guardProfiles;
  }

  /** Closes every backend client this assembler made, for every generation. */
  public Future<Void> close() {
    List<HttpClient> clients;
    synchronized (madeClients) {
      clients = List.copyOf(madeClients);
    }
    return Future.join(clients.stream().map(HttpClient::close).toList()).mapEmpty();
  }
}
