package dev.spillway.core.cache;

import dev.spillway.core.config.PolicySettingsBinder;
import dev.spillway.core.config.SettingsSection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code cache} section of the response cache, at the root (the gateway's settings) and under a consumer (its own;
 * each key it leaves out falls back to the gateway's, so {@code cache: {enabled: false}} opts one consumer out):
 *
 * <pre>
 * cache:
 *   enabled: true              # off when the section is absent
 *   ttl: 1h                    # how long an answer is served from the cache
 *   maxEntries: 10000          # per layer; the least recently used entry goes first
 *   maxBytes: 64MiB            # per layer, answers and vectors counted
 *   maxTemperature: 0          # a request with a higher temperature (none given counts as 1) is neither looked up nor stored
 *   varyBy: consumer           # whose answers a caller may get: its consumer's, its team's, or anyone's (none)
 *   exact: true                # the exact layer
 *   semantic:                  # the semantic layer, on when this section is given
 *     enabled: true
 *     threshold: 0.91          # cosine similarity of the last user messages for a hit (the default)
 *     models: {gpt-4o: 0.97}   # a model's own threshold
 *     ignoreSystemMessages: false
 *     maxMessageCount: 3       # longer dialogs are not looked up semantically
 *     exactSearchBelow: 2000   # a partition smaller than this is searched exhaustively, a larger one through HNSW
 *     embeddingsModel: text-embedding-3-small  # embed through the gateway's own router (default: in-process MiniLM)
 *     embeddingsConsumer: semantic-cache       # the consumer those calls are made as
 *   store: memory              # or redis: every replica shares the answers (gateway's section only)
 *   redisUrl: redis://host:6379  # for store: redis
 *   keyPrefix: "spillway:cache:" # for store: redis
 * </pre>
 *
 * Every field is empty when the section does not say; {@link #orElse} layers a consumer's over the gateway's and {@link
 * Resolved} fills in the defaults. {@code store}, {@code redisUrl}, {@code keyPrefix} and the semantic layer's embedder
 * ({@link RoutedEmbedding}) are the gateway's: a consumer's section that names them is a problem at the key's line.
 */
public record CacheSettings(
    Optional<Boolean> enabled,
    Optional<Duration> ttl,
    Optional<Long> maxEntries,
    Optional<Long> maxBytes,
    Optional<Double> maxTemperature,
    Optional<VaryBy> varyBy,
    Optional<Boolean> exact,
    Optional<Boolean> semantic,
    Optional<Double> threshold,
    Map<String, Double> modelThresholds,
    Optional<Boolean> ignoreSystemMessages,
    Optional<Long> maxMessageCount,
    Optional<Long> exactSearchBelow,
    Optional<CacheStore> store,
    Optional<RoutedEmbedding> embedding) {

  /** Whose cached answers a caller may be given. */
  public enum VaryBy {
    /** Only answers cached for the same consumer. */
    CONSUMER,
    /** Answers cached for any consumer of the same team. */
    TEAM,
    /** Anyone's: for a gateway whose callers may share answers. */
    NONE
  }

  public static final CacheSettings NONE = new CacheSettings(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** The default similarity threshold: the lowest that kept false hits within bounds (see the README's cache figures). */
  public static final double DEFAULT_THRESHOLD = 0.91;

  public CacheSettings {
    modelThresholds = Map.copyOf(modelThresholds);
    store = store == null ? Optional.empty() : store;
    embedding = embedding == null ? Optional.empty() : embedding;
  }

  /** Settings that leave the store to the gateway's (a consumer's, or code written before the store was chosen). */
  public CacheSettings(
      Optional<Boolean> enabled,
      Optional<Duration> ttl,
      Optional<Long> maxEntries,
      Optional<Long> maxBytes,
      Optional<Double> maxTemperature,
      Optional<VaryBy> varyBy,
      Optional<Boolean> exact,
      Optional<Boolean> semantic,
      Optional<Double> threshold,
      Map<String, Double> modelThresholds,
      Optional<Boolean> ignoreSystemMessages,
      Optional<Long> maxMessageCount,
      Optional<Long> exactSearchBelow) {
    this(enabled, ttl, maxEntries, maxBytes, maxTemperature, varyBy, exact, semantic, threshold, modelThresholds,
        ignoreSystemMessages, maxMessageCount, exactSearchBelow, Optional.empty(), Optional.empty());
  }

  /** Where the answers are kept: the gateway's choice, memory when it made none. */
  public CacheStore storeOrDefault() {
    return store.orElse(CacheStore.MEMORY);
  }

  /** These settings, with each key they leave out taken from {@code fallback}. */
  public CacheSettings orElse(CacheSettings fallback) {
    Map<String, Double> models = new LinkedHashMap<>(fallback.modelThresholds);
    models.putAll(modelThresholds);
    return new CacheSettings(
        enabled.or(fallback::enabled),
        ttl.or(fallback::ttl),
        maxEntries.or(fallback::maxEntries),
        maxBytes.or(fallback::maxBytes),
        maxTemperature.or(fallback::maxTemperature),
        varyBy.or(fallback::varyBy),
        exact.or(fallback::exact),
        semantic.or(fallback::semantic),
        threshold.or(fallback::threshold),
        models,
        ignoreSystemMessages.or(fallback::ignoreSystemMessages),
        maxMessageCount.or(fallback::maxMessageCount),
        exactSearchBelow.or(fallback::exactSearchBelow),
        store.or(fallback::store),
        embedding.or(fallback::embedding));
  }

  /** The settings with their defaults filled in. */
  public Resolved resolved() {
    return new Resolved(
        enabled.orElse(false),
        ttl.orElse(Duration.ofHours(1)),
        maxEntries.orElse(10_000L),
        maxBytes.orElse(64L * 1024 * 1024),
        maxTemperature.orElse(0.0),
        varyBy.orElse(VaryBy.CONSUMER),
        exact.orElse(true),
        semantic.orElse(false),
        threshold.orElse(DEFAULT_THRESHOLD),
        modelThresholds,
        ignoreSystemMessages.orElse(false),
        maxMessageCount.orElse(3L).intValue(),
        exactSearchBelow.orElse(2_000L).intValue());
  }

  /** The settings in force, defaults filled in. */
  public record Resolved(
      boolean enabled,
      Duration ttl,
      long maxEntries,
      long maxBytes,
      double maxTemperature,
      VaryBy varyBy,
      boolean exact,
      boolean semantic,
      double threshold,
      Map<String, Double> modelThresholds,
      boolean ignoreSystemMessages,
      int maxMessageCount,
      int exactSearchBelow) {

    /** The similarity a semantic hit on {@code model} needs. */
    public double thresholdFor(String model) {
      return modelThresholds.getOrDefault(model, threshold);
    }
  }

  /** Binds {@code cache}; registered in {@code META-INF/services}. */
  public static final class Binder implements PolicySettingsBinder {
    /** The gateway's keys: where the answers are kept. */
    private static final java.util.List<String> STORE_KEYS = java.util.List.of("store", "redisUrl", "keyPrefix");

    @Override
    public String key() {
      return "cache";
    }

    @Override
    public Object bind(SettingsSection s) {
      s.allowKeys("enabled", "ttl", "maxEntries", "maxBytes", "maxTemperature", "varyBy", "exact", "semantic", "store",
          "redisUrl", "keyPrefix");
      boolean root = s.path().equals(key());
      Optional<CacheStore> store = root ? store(s) : Optional.empty();
      if (!root) {
        for (String gatewayOnly : STORE_KEYS) {
          if (s.has(gatewayOnly)) {
            s.problem(gatewayOnly, "only the gateway's own cache section (at the root) chooses where answers are kept");
          }
        }
      }
      Optional<Boolean> semanticOn = Optional.empty();
      Optional<Double> threshold = Optional.empty();
      Map<String, Double> models = new LinkedHashMap<>();
      Optional<Boolean> ignoreSystem = Optional.empty();
      Optional<Long> maxMessages = Optional.empty();
      Optional<Long> exactBelow = Optional.empty();
      Optional<RoutedEmbedding> embedding = Optional.empty();
      if (s.has("semantic")) {
        Optional<SettingsSection> sem = s.section("semantic");
        if (sem.isPresent()) {
          SettingsSection m = sem.get();
          m.allowKeys("enabled", "threshold", "models", "ignoreSystemMessages", "maxMessageCount", "exactSearchBelow",
              "embeddingsModel", "embeddingsConsumer");
          if (!root) {
            for (String gatewayOnly : List.of("embeddingsModel", "embeddingsConsumer")) {
              if (m.has(gatewayOnly)) {
                m.problem(gatewayOnly, "only the gateway's own cache section (at the root) chooses the embedder");
              }
            }
          } else if (m.has("embeddingsModel")) {
            embedding = m.text("embeddingsModel").map(model -> new RoutedEmbedding(model, m.text("embeddingsConsumer")));
          } else if (m.has("embeddingsConsumer")) {
            m.problem("embeddingsConsumer", "names the consumer of embeddingsModel's calls: set embeddingsModel too");
          }
          semanticOn = m.bool("enabled").or(() -> Optional.of(true));
          threshold = m.decimal("threshold", 0.5, 1.0);
          m.section("models").ifPresent(ms -> {
            for (String model : ms.keys()) {
              ms.decimal(model, 0.5, 1.0).ifPresent(t -> models.put(model, t));
            }
          });
          ignoreSystem = m.bool("ignoreSystemMessages");
          maxMessages = m.wholeNumber("maxMessageCount", 1, 100);
          exactBelow = m.wholeNumber("exactSearchBelow", 1, 10_000_000);
        }
      }
      CacheSettings bound = new CacheSettings(
          // At the root the section's presence turns the cache on; a consumer's section inherits unless it says.
          root ? s.bool("enabled").or(() -> Optional.of(true)) : s.bool("enabled"),
          s.duration("ttl"),
          s.wholeNumber("maxEntries", 1, 100_000_000),
          s.size("maxBytes"),
          s.decimal("maxTemperature", 0.0, 2.0),
          s.oneOf("varyBy", "consumer", "team", "none").map(v -> VaryBy.valueOf(v.toUpperCase(java.util.Locale.ROOT))),
          s.bool("exact"),
          semanticOn,
          threshold,
          models,
          ignoreSystem,
          maxMessages,
          exactBelow,
          store,
          embedding);
      return s.clean() ? bound : null;
    }

    /** {@code store}, {@code redisUrl} and {@code keyPrefix} of the gateway's section; empty when none is given. */
    private static Optional<CacheStore> store(SettingsSection s) {
      if (STORE_KEYS.stream().noneMatch(s::has)) {
        return Optional.empty();
      }
      Optional<String> kind = s.oneOf("store", "memory", "redis");
      Optional<String> url = s.redisUrl("redisUrl");
      String prefix = s.text("keyPrefix").orElse(CacheStore.DEFAULT_KEY_PREFIX);
      if (kind.isEmpty() && s.has("store")) {
        return Optional.empty(); // reported
      }
      if (kind.orElse("memory").equals("memory")) {
        return Optional.of(CacheStore.MEMORY);
      }
      if (url.isEmpty()) {
        if (!s.has("redisUrl")) {
          s.problem("store", "redis needs a Redis URL: set cache.redisUrl");
        }
        return Optional.empty();
      }
      return Optional.of(CacheStore.redis(url.get(), prefix));
    }
  }
}
