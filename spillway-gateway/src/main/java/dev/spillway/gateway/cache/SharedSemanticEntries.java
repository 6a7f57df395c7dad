package dev.spillway.gateway.cache;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.cache.semantic.SemanticIndex;
import dev.spillway.core.cache.semantic.SemanticMatch;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.store.redis.RedisCacheOptions;
import dev.spillway.gateway.store.redis.RedisOutage;
import dev.spillway.gateway.store.redis.RedisSemanticEntries;
import dev.spillway.gateway.store.redis.SemanticChannelListener;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A replica's semantic index kept in step with every other replica's through Redis ({@link RedisSemanticEntries}):
 * what this replica stores is written to Redis and announced; what others announce is added here; a replica that
 * starts, or whose subscription comes back after an outage, empties its index and loads every entry Redis holds.
 * Lookups are this replica's own index, so they cost no round trip.
 *
 * <p><b>In step, or out of the way.</b> Lookups are answered and entries stored only while the replica is in step: its
 * subscription holds and its load is done. Before that (starting) and while Redis is away (its announcements could be
 * missed, an invalidation among them), {@link #nearest} answers nothing and {@link #put} drops the entry: the semantic
 * layer is bypassed, the request goes to the backend, and it never fails for it.
 *
 * <p><b>Order.</b> What the subscription hears is applied on one thread of this class's own, in the order heard (the
 * event loop never waits on the index). An invalidation heard while the load runs is applied again once it ends, so an
 * entry read just before another replica removed it does not come back.
 *
 * <p>Thread-safe.
 */
public final class SharedSemanticEntries implements SemanticIndex, AutoCloseable {
  private final SemanticIndex local;
  private final Clock clock;
  private final ExecutorService applier;
  private final AtomicLong epoch = new AtomicLong();
  /** Invalidations heard since the current load began, to apply again when it ends; applier thread only. */
  private final List<CacheScope> heardWhileLoading = new ArrayList<>();
  private volatile boolean inStep;
  private volatile RedisSemanticEntries redis;

  private SharedSemanticEntries(SemanticIndex local, Clock clock) {
    this.local = Objects.requireNonNull(local, "local");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.applier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spillway-semantic-sync");
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code local} shared through the Redis {@code options} name; it joins in the background and is in step soon after. */
  public static SharedSemanticEntries start(
      Vertx vertx, SemanticIndex local, RedisCacheOptions options, RedisOutage outage, Clock clock) {
    SharedSemanticEntries shared = new SharedSemanticEntries(local, clock);
    shared.redis = RedisSemanticEntries.start(vertx, options, outage, shared.new Heard(), Ticker.systemTicker());
    return shared;
  }

  @Override
  public Optional<SemanticMatch> nearest(
      String partition, String question, float[] vector, double threshold, LexicalGuard guard, long nowMillis) {
    return inStep ? local.nearest(partition, question, vector, threshold, guard, nowMillis) : Optional.empty();
  }

  /** Stores {@code entry} here and in Redis, announced to every replica; dropped while out of step. */
  @Override
  public void put(SemanticEntry entry, long nowMillis) {
    if (!inStep) {
      return;
    }
    local.put(entry, nowMillis);
    redis.write(entry, nowMillis);
  }

  /** Removes the entries in {@code scope} from this replica's index only; see {@link #invalidateEverywhere}. */
  @Override
  public long invalidate(CacheScope scope) {
    return local.invalidate(scope);
  }

  /**
   * Removes the entries in {@code scope} here, in Redis and (announced) on every replica; completes with how many
   * Redis held, or fails with {@code CacheUnavailableException} when Redis could not be reached (then only this
   * replica's were removed).
   */
  public CompletionStage<Long> invalidateEverywhere(CacheScope scope) {
    local.invalidate(scope);
    return redis.invalidate(scope);
  }

  @Override
  public int size() {
    return local.size();
  }

  @Override
  public long bytes() {
    return local.bytes();
  }

  /** True while lookups are answered: the subscription holds and the entries are loaded. */
  public boolean inStep() {
    return inStep;
  }

  @Override
  public void close() {
    inStep = false;
    if (redis != null) {
      redis.close();
    }
    applier.shutdown();
  }

  private void apply(Runnable change) {
    try {
      applier.execute(change);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: nothing more to keep in step
    }
  }

  /** What the subscription hears (on an event loop), handed to the applier thread in order. */
  private final class Heard implements SemanticChannelListener {
    @Override
    public void subscribed() {
      epoch.incrementAndGet();
      inStep = false;
      apply(() -> {
        heardWhileLoading.clear();
        local.invalidate(CacheScope.ALL); // what was missed while away is reloaded, what was removed is gone
      });
    }

    @Override
    public void added(SemanticEntry entry) {
      apply(() -> local.put(entry, clock.millis()));
    }

    @Override
    public void invalidated(CacheScope scope) {
      apply(() -> {
        local.invalidate(scope);
        if (!inStep) {
          heardWhileLoading.add(scope);
        }
      });
    }

    @Override
    public void loaded(List<SemanticEntry> page) {
      apply(() -> page.forEach(e -> local.put(e, clock.millis())));
    }

    @Override
    public void synced() {
      long loaded = epoch.get();
      apply(() -> {
        heardWhileLoading.forEach(local::invalidate);
        heardWhileLoading.clear();
        if (epoch.get() == loaded) {
          inStep = true;
        }
      });
    }

    @Override
    public void lost() {
      epoch.incrementAndGet();
      inStep = false;
    }
  }
}
