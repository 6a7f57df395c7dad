package dev.spillway.gateway.store.redis;

import java.io.IOException;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the Redis client's own report of a lost connection out of the log. While Redis refuses or resets connections
 * the client logs every failed connection attempt as {@code SEVERE Unhandled Error} with a stack trace (nine in a
 * 30 s outage of the soak benchmark) although the stores handle the failure and log it once, as a warning with its
 * cause. Only network failures ({@link IOException} in the cause chain) are dropped; anything else the client reports
 * still reaches the log.
 */
final class RedisClientNoise {
  /** Held strongly: the logging framework keeps loggers weakly, and a collected logger would forget its filter. */
  private static final Logger CONNECTIONS = Logger.getLogger("io.vertx.redis.client.impl.RedisConnectionManager");

  static {
    CONNECTIONS.setFilter(expectedOutagesDropped(CONNECTIONS.getFilter()));
  }

  private RedisClientNoise() {}

  /** Installs the filter (once, on first use). */
  static void quiet() {
    // the static initializer did it
  }

  static Filter expectedOutagesDropped(Filter next) {
    return record -> {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue() && networkFailure(record.getThrown())) {
        return false;
      }
      return next == null || next.isLoggable(record);
    };
  }

  private static boolean networkFailure(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
