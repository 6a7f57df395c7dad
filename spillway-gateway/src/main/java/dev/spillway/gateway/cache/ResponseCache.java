package dev.spillway.gateway.cache;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.InMemoryAnswerStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's response cache: the settings in force for each caller and the exact layer's store. The {@code cache}
 * pipeline stage looks answers up and stores them through it; the admin API invalidates through it. Thread-safe.
 */
public final class ResponseCache {
  private final CacheSettings gateway;
  private final AnswerStore exact;
  private final InMemoryAnswerStore local;
  private final Clock clock;

  public ResponseCache(CacheSettings gateway, AnswerStore exact, Clock clock) {
    this.gateway = gateway;
    this.exact = exact;
    this.local = exact instanceof InMemoryAnswerStore m ? m : null;
    this.clock = clock;
  }

  /** The cache {@code config} asks for: its root {@code cache} section, an in-memory store bounded as it says. */
  public static ResponseCache of(SpillwayConfig config, Clock clock) {
    CacheSettings settings = config.policySettings().get(CacheSettings.class).orElse(CacheSettings.NONE);
    CacheSettings.Resolved r = settings.resolved();
    return new ResponseCache(settings, new InMemoryAnswerStore(r.maxEntries(), r.maxBytes()), clock);
  }

  /** The settings for a caller of {@code consumer} (none for an anonymous caller): its own over the gateway's. */
  public CacheSettings.Resolved settingsFor(Optional<ConsumerConfig> consumer) {
    return consumer.flatMap(c -> c.policySettings().get(CacheSettings.class))
        .map(own -> own.orElse(gateway))
        .orElse(gateway)
        .resolved();
  }

  /** True when the gateway's own section turned the cache on (a consumer may still opt out, or in). */
  public boolean enabledByDefault() {
    return gateway.resolved().enabled();
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

  public long nowMillis() {
    return clock.millis();
  }

  /** Removes the answers in {@code scope}; completes with how many. */
  public CompletionStage<Long> invalidate(CacheScope scope) {
    return exact.invalidate(scope);
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
