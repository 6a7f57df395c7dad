package dev.spillway.gateway.cache;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.CacheStore;
import dev.spillway.core.cache.InMemoryAnswerStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.cache.semantic.Embedder;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.SemanticIndex;
import dev.spillway.gateway.store.redis.RedisAnswerStore;
import dev.spillway.gateway.store.redis.RedisCacheOptions;
import dev.spillway.gateway.store.redis.RedisOutage;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's response cache: the settings in force for each caller, the exact layer's store and the semantic layer
 * (when some caller's settings turn it on). The {@code cache}
 * pipeline stage looks answers up and stores them through it; the admin API invalidates through it. Thread-safe.
 */
public final class ResponseCache {
  private final CacheSettings gateway;
  /** {@code gateway} resolved once: what a caller without cache settings of its own gets, on every request. */
  private final CacheSettings.Resolved gatewayResolved;
  private final AnswerStore exact;
  private final InMemoryAnswerStore local;
  private final Clock clock;
  private final Optional<SemanticLayer> semantic;
  private final boolean appliesToSomeone;

  /**
   * The semantic layer's parts: the embedder (its model loaded on first use, off the event loop), the index, and the
   * guard every hit must also pass.
   */
  public record SemanticLayer(Embedder embedder, SemanticIndex index, LexicalGuard guard) {}

  public ResponseCache(
      CacheSettings gateway, AnswerStore exact, Optional<SemanticLayer> semantic, Clock clock, boolean appliesToSomeone) {
    this.appliesToSomeone = appliesToSomeone;
    this.gateway = gateway;
    this.gatewayResolved = gateway.resolved();
    this.semantic = semantic;
    this.exact = exact;
    this.local = exact instanceof InMemoryAnswerStore m ? m : null;
    this.clock = clock;
  }

  /**
   * The cache {@code config} asks for: its root {@code cache} section, with an in-memory store bounded as it says, or
   * (with {@code store: redis}) the answers in Redis and the semantic entries shared through it; {@link #close} closes
   * its connections. A Redis that is down does not stop the gateway: the shared cache stays out of the way until
   * Redis answers.
   */
  public static ResponseCache of(Vertx vertx, SpillwayConfig config, Clock clock) {
    return of(vertx, config, clock, Optional.empty());
  }

  /** As {@link #of(Vertx, SpillwayConfig, Clock)}, with the gateway's calls to itself for a routed embedder. */
  public static ResponseCache of(Vertx vertx, SpillwayConfig config, Clock clock, Optional<SelfCalls> self) {
    CacheSettings settings = config.policySettings().get(CacheSettings.class).orElse(CacheSettings.NONE);
    CacheSettings.Resolved r = settings.resolved();
    Optional<SemanticLayer> semantic = SemanticLayers.forConfig(config, settings, self);
    CacheStore store = settings.storeOrDefault();
    if (!store.shared()) {
      return new ResponseCache(settings, new InMemoryAnswerStore(r.maxEntries(), r.maxBytes()), semantic, clock,
          appliesToSomeone(config, settings));
    }
    RedisCacheOptions options = RedisCacheOptions.of(store);
    RedisOutage outage = RedisAnswerStore.outageOf(options);
    Optional<SemanticLayer> shared = semantic.map(l -> new SemanticLayer(
        l.embedder(), SharedSemanticEntries.start(vertx, l.index(), options, outage, clock), l.guard()));
    return new ResponseCache(settings, RedisAnswerStore.create(vertx, options, outage), shared, clock,
        appliesToSomeone(config, settings));
  }

  /** Closes a shared cache's Redis connections and a routed embedder's client; nothing else. */
  public void close() {
    semantic.map(SemanticLayer::embedder).ifPresent(e -> {
      if (e instanceof RoutedEmbedder routed) {
        routed.close();
      }
    });
    if (exact instanceof RedisAnswerStore redis) {
      redis.close();
    }
    semantic.map(SemanticLayer::index).ifPresent(index -> {
      if (index instanceof SharedSemanticEntries shared) {
        shared.close();
      }
    });
  }

  /** The settings for a caller of {@code consumer} (none for an anonymous caller): its own over the gateway's. */
  public CacheSettings.Resolved settingsFor(Optional<ConsumerConfig> consumer) {
    if (consumer.isEmpty()) {
      return gatewayResolved;
    }
    Optional<CacheSettings> own = consumer.get().policySettings().get(CacheSettings.class);
    return own.isEmpty() ? gatewayResolved : own.get().orElse(gateway).resolved();
  }

  /**
   * True while a shared cache's Redis is out (its last call failed and none has answered since): cacheable requests
   * then bypass the cache. Never true for a cache in memory.
   */
  public boolean degraded() {
    return exact instanceof RedisAnswerStore redis && redis.degraded();
  }

  /** Calls to a shared cache's Redis that failed or were skipped during an outage since start; 0 in memory. */
  public long storeFailures() {
    return exact instanceof RedisAnswerStore redis ? redis.failures() : 0;
  }

  /** Where the answers are kept: memory, or Redis shared by every replica. */
  public CacheStore.Kind store() {
    return gateway.storeOrDefault().kind();
  }

  /**
   * True when the cache can be on for some caller: the gateway's section turns it on, or a consumer's own does
   * (consumers added through the admin API have no section of their own and follow the gateway's). When false, the
   * cache stage reads no stream chunk and no answer.
   */
  public boolean appliesToSomeone() {
    return appliesToSomeone;
  }

  private static boolean appliesToSomeone(SpillwayConfig config, CacheSettings gateway) {
    return gateway.resolved().enabled() || config.consumers().stream()
        .map(c -> c.policySettings().get(CacheSettings.class))
        .anyMatch(own -> own.isPresent() && own.get().orElse(gateway).resolved().enabled());
  }

  /** True when the gateway's own section turned the cache on (a consumer may still opt out, or in). */
  public boolean enabledByDefault() {
    return gatewayResolved.enabled();
  }

  public AnswerStore exact() {
    return exact;
  }

  /** Entries the exact layer holds in this process (-1 when it is not kept here). */
  public long exactEntries() {
    return local == null ? -1 : local.size();
  }

  /** Bytes the exact layer holds in this process (-1 when it is not kept here). */
  public long exactBytes() {
    return local == null ? -1 : local.bytes();
  }

  /** The semantic layer, when some caller's settings turn it on. */
  public Optional<SemanticLayer> semantic() {
    return semantic;
  }

  /** Entries the semantic layer holds (0 while it is off). */
  public long semanticEntries() {
    return semantic.map(l -> (long) l.index().size()).orElse(0L);
  }

  /** Bytes the semantic layer holds (0 while it is off). */
  public long semanticBytes() {
    return semantic.map(l -> l.index().bytes()).orElse(0L);
  }

  public long nowMillis() {
    return clock.millis();
  }

  /**
   * Removes the answers in {@code scope}; completes with how many. A shared cache removes them from Redis and from
   * every replica, or fails with {@code CacheUnavailableException} when Redis cannot be reached.
   */
  public CompletionStage<Long> invalidate(CacheScope scope) {
    CompletionStage<Long> semanticRemoved = semantic.map(l -> l.index() instanceof SharedSemanticEntries shared
            ? shared.invalidateEverywhere(scope)
            : CompletableFuture.completedFuture(l.index().invalidate(scope)))
        .orElse(CompletableFuture.completedFuture(0L));
    return exact.invalidate(scope).thenCombine(semanticRemoved, Long::sum);
  }

  /** The tenant a caller's answers are filed under, per {@code varyBy}: {@code c:<consumer>}, {@code t:<team>}, {@code *}. */
  public static String tenant(CacheSettings.VaryBy varyBy, String consumerId, String team) {
    return switch (varyBy) {
      case CONSUMER -> "c:" + consumerId;
      case TEAM -> team.isEmpty() ? "c:" + consumerId : "t:" + team;
      case NONE -> "*";
    };
  }
}
