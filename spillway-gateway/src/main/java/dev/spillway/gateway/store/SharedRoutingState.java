package dev.spillway.gateway.store;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.SharedDrainRates;
import dev.spillway.core.routing.SharedSessionPins;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.store.redis.RedisDrainRates;
import dev.spillway.gateway.store.redis.RedisRoutingStateOptions;
import dev.spillway.gateway.store.redis.RedisSessionPins;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What replicas share of routing besides throttles ({@link SharedThrottleStores}): session pins ({@link
 * SharedSessionPins}) and the PTUs' learned drain rates ({@link SharedDrainRates}). Both go where the throttles go —
 * the limits' Redis ({@code limits.redisUrl}, keys under {@code routing.sharedKeyPrefix}) whenever {@code
 * routing.shared} is on — and stay on this replica otherwise. The drain rates are published and read on a timer of
 * {@link #TICK}; the session pins on each request of a model with affinity (see {@code ForwardStage}).
 */
public final class SharedRoutingState implements AutoCloseable {
  /** How often the drain rates are published and cold models seeded. */
  public static final Duration TICK = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final SharedSessionPins sessionPins;
  private final SharedDrainRates drainRates;
  private final long timer;

  private SharedRoutingState(Vertx vertx, SharedSessionPins sessionPins, SharedDrainRates drainRates, long timer) {
    this.vertx = vertx;
    this.sessionPins = sessionPins;
    this.drainRates = drainRates;
    this.timer = timer;
  }

  /** This replica's shared routing state over {@code pools} (a live view); close it when the gateway stops. */
  public static SharedRoutingState open(Vertx vertx, SpillwayConfig config, Map<String, Pool> pools, Ticker ticker,
      Clock clock) {
    if (!config.routing().shared().activeWith(config.limits())) {
      return new SharedRoutingState(vertx, SharedSessionPins.local(), SharedDrainRates.local(), -1);
    }
    RedisRoutingStateOptions options =
        RedisRoutingStateOptions.of(config.limits().redisUrl(), config.routing().shared().keyPrefix());
    SharedDrainRates drainRates = new SharedDrainRates(pools, new RedisDrainRates(vertx, options, ticker), clock);
    long timer = vertx.setPeriodic(TICK.toMillis(), t -> drainRates.tick());
    return new SharedRoutingState(vertx, new SharedSessionPins(new RedisSessionPins(vertx, options, ticker)), drainRates,
        timer);
  }

  public SharedSessionPins sessionPins() {
    return sessionPins;
  }

  public SharedDrainRates drainRates() {
    return drainRates;
  }

  @Override
  public void close() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    sessionPins.close();
    drainRates.close();
  }
}
