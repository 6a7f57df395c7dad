package dev.spillway.gateway;

import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.GatewayListener;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Collaborators of a {@link GatewayServer} that tests and the demo replace.
 *
 * @param ticker monotonic time for routing decisions and latencies
 * @param random weighted picks; called on the event loop, so the default is thread-local
 * @param listener observer of every attempt and request
 */
public record GatewayOptions(Ticker ticker, Supplier<RandomGenerator> random, GatewayListener listener) {
  public GatewayOptions {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(listener, "listener");
  }

  public static GatewayOptions defaults() {
    return new GatewayOptions(Ticker.systemTicker(), ThreadLocalRandom::current, GatewayListener.none());
  }

  public GatewayOptions withListener(GatewayListener newListener) {
    return new GatewayOptions(ticker, random, newListener);
  }

  public GatewayOptions withTicker(Ticker newTicker) {
    return new GatewayOptions(newTicker, random, listener);
  }
}
