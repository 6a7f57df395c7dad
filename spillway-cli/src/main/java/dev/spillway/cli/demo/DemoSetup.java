package dev.spillway.cli.demo;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.config.AuthConfig;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.LimitSettings;
import dev.spillway.core.config.PolicySettings;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.core.policies.MaxTokensSettings;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.SimulatorConfig;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The demo's embedded world: a simulated Azure OpenAI resource with {@code gpt-4o} deployed in two
 * regions as PTU + PAYG and one embeddings deployment, and the gateway config in front of it.
 */
public final class DemoSetup {
  public static final String CHAT_MODEL = "gpt-4o";
  public static final String EMBEDDINGS_MODEL = "text-embedding-3-small";
  public static final List<String> REGIONS = List.of("eastus", "swedencentral");

  /** PTU capacity of each regional PTU deployment, tokens per minute. */
  public static final long PTU_TOKENS_PER_MINUTE = 40_000;

  /** PAYG quota of each regional PAYG deployment. */
  public static final long PAYG_TOKENS_PER_MINUTE = 450_000;

  public static final long PAYG_REQUESTS_PER_MINUTE = 2_700;

  /**
   * How long a standard request may wait in the PTU station when the wait will pay (critical twice as long, batch
   * not at all).
   */
  public static final java.time.Duration PTU_WAIT = java.time.Duration.ofMillis(1000);

  /** The consumer the demo's traffic and the printed examples use. */
  public static final String DEMO_CONSUMER = "demo-app";

  /** A second consumer with a request rate limit, so the demo shows limits refusing traffic when it bursts. */
  public static final String BATCH_CONSUMER = "nightly-batch";

  /** The batch consumer's limit: requests per minute. */
  public static final long BATCH_REQUESTS_PER_MINUTE = 30;

  /** The gateway's output-token default for requests that set no max_tokens (the maxTokens policy). */
  public static final long DEFAULT_MAX_TOKENS = 256;

  /** The batch consumer's own output-token cap: longer asks are lowered to it. */
  public static final long BATCH_MAX_TOKENS_CAP = 150;

  private final String backendKey;
  private final String keyPepper;
  private final long seed;

  /** @param seed makes the simulator's answers repeatable */
  public DemoSetup(long seed) {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    // The simulated backend key: the gateway holds it, clients never see it.
    this.backendKey = HexFormat.of().formatHex(key);
    new SecureRandom().nextBytes(key);
    this.keyPepper = HexFormat.of().formatHex(key);
    this.seed = seed;
  }

  public SimulatorConfig simulatorConfig() {
    SimulatorConfig.Builder sim = SimulatorConfig.builder().host("127.0.0.1").port(0).seed(seed).apiKey(backendKey);
    for (String region : REGIONS) {
      sim.deployment(DeploymentConfig.ptu(simDeployment(Tier.PTU, region), PTU_TOKENS_PER_MINUTE));
      sim.deployment(
          DeploymentConfig.payg(simDeployment(Tier.PAYG, region), PAYG_TOKENS_PER_MINUTE, PAYG_REQUESTS_PER_MINUTE));
    }
    sim.deployment(DeploymentConfig.embeddings(EMBEDDINGS_MODEL));
    return sim.build();
  }

  /**
   * The gateway config pointing at a simulator listening on {@code simulatorUrl}: callers need a
   * gateway key of the demo consumer, kept in {@code keyStore}.
   */
  public SpillwayConfig gatewayConfig(String simulatorUrl, int gatewayPort, java.nio.file.Path keyStore) {
    URI url = URI.create(simulatorUrl);
    BackendAuth auth = BackendAuth.apiKey(backendKey);
    List<BackendConfig> chat = new java.util.ArrayList<>();
    for (Tier tier : List.of(Tier.PTU, Tier.PAYG)) {
      for (String region : REGIONS) {
        chat.add(
            BackendConfig.builder()
                .id(backendId(tier, region))
                .type(BackendType.AZURE)
                .url(url)
                .deployment(simDeployment(tier, region))
                .auth(auth)
                .tier(tier)
                .priority(tier == Tier.PTU ? 1 : 2)
                .region(region)
                // The PTU's capacity, declared: the station times and paces its queue by it.
                .capacity(
                    tier == Tier.PTU
                        ? new dev.spillway.core.config.BackendCapacity(
                            OptionalLong.of(PTU_TOKENS_PER_MINUTE), OptionalLong.empty())
                        : dev.spillway.core.config.BackendCapacity.UNDECLARED)
                .build());
      }
    }
    BackendConfig embeddings =
        BackendConfig.builder()
            .id("embeddings-eastus")
            .type(BackendType.AZURE)
            .url(url)
            .deployment(EMBEDDINGS_MODEL)
            .auth(auth)
            .tier(Tier.PAYG)
            .priority(1)
            .region("eastus")
            .build();
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    models.put(
        CHAT_MODEL,
        ModelConfig.builder()
            .name(CHAT_MODEL)
            .strategy(RoutingStrategy.PRIORITY)
            .backends(chat)
            .maxWaitForPtu(PTU_WAIT)
            .build());
    models.put(
        EMBEDDINGS_MODEL,
        ModelConfig.builder()
            .name(EMBEDDINGS_MODEL)
            .strategy(RoutingStrategy.PRIORITY)
            .backends(List.of(embeddings))
            .build());
    ServerConfig server = ServerConfig.builder().port(gatewayPort).build();
    ConsumerConfig demo =
        ConsumerConfig.builder()
            .id(DEMO_CONSUMER)
            .team("demo")
            .models(List.of("*"))
            .priorityClass(PriorityClass.STANDARD)
            .build();
    ConsumerConfig batch =
        ConsumerConfig.builder()
            .id(BATCH_CONSUMER)
            .team("finance")
            .models(List.of("*"))
            .priorityClass(PriorityClass.BATCH) // spills first: batch has no wait budget
            .limits(new LimitSettings(Map.of(LimitKind.REQUESTS_PER_MINUTE, BATCH_REQUESTS_PER_MINUTE), List.of("consumer")))
            .policySettings(maxTokens(OptionalLong.empty(), OptionalLong.of(BATCH_MAX_TOKENS_CAP)))
            .build();
    AuthConfig clients = new AuthConfig(true, keyStore, java.util.Optional.of(keyPepper), List.of());
    return SpillwayConfig.builder()
        .server(server)
        .routing(RoutingConfig.DEFAULTS)
        .models(models)
        .consumers(List.of(demo, batch))
        .auth(clients)
        .admin(AdminConfig.LOOPBACK_ONLY)
        .policySettings(PolicySettings.of(List.of(
            new MaxTokensSettings(OptionalLong.of(DEFAULT_MAX_TOKENS), OptionalLong.empty(), Optional.empty()),
            CACHE,
            DemoSafetyPrompts.guard())))
        .build();
  }

  /** The response cache, both layers on, answers shared within a team (temperature 0 requests are cacheable). */
  static final CacheSettings CACHE = new CacheSettings(Optional.of(true), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.of(CacheSettings.VaryBy.TEAM), Optional.of(true), Optional.of(true),
      Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty());

  private static PolicySettings maxTokens(OptionalLong defaultTokens, OptionalLong cap) {
    return PolicySettings.of(List.of(new MaxTokensSettings(defaultTokens, cap, Optional.empty())));
  }

  public static String backendId(Tier tier, String region) {
    return tier.id() + "-" + region;
  }

  /** The simulator's deployment name behind a backend id. */
  public static String simDeployment(Tier tier, String region) {
    return CHAT_MODEL + "-" + tier.id() + "-" + region;
  }
}
