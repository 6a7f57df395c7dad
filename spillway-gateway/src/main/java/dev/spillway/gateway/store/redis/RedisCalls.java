package dev.spillway.gateway.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Sends a command on one of the client's pooled connections with the stores' own exception handler on it, instead of
 * {@link Redis#send}.
 *
 * <p>Why: a pooled connection that breaks — Redis shut down or killed, a reset from the network — reports the error to
 * the connection's exception handler as well as failing the commands waiting on it, and the client's default handler
 * logs {@code SEVERE: Unhandled Error} with a stack trace, for every connection, on every outage. The stores already
 * report an outage once, as a warning naming the cause, when a command fails ({@link RedisLimitStore}, {@link
 * RedisSpendStore}), so this handler logs an I/O failure of the connection at debug level only; anything else (a
 * protocol error, a reply nobody waited for) is one warning line, without a stack trace. A broken connection leaves
 * the pool either way, and the next command connects again.
 */
final class RedisCalls {
  private static final Logger LOG = System.getLogger("spillway.redis");
  private static final Handler<Throwable> CONNECTION_FAILED = RedisCalls::connectionFailed;

  private RedisCalls() {}

  /**
   * Client options for one of the gateway's Redis stores: its pool size, and a connect timeout of its command timeout
   * (a connection that cannot be made in time is a failed command). Waiters are bounded by the command timeout, not by
   * the queue length.
   */
  static io.vertx.redis.client.RedisOptions clientOptions(String connectionString, int maxPoolSize,
      java.time.Duration commandTimeout) {
    RedisClientNoise.quiet();
    return new io.vertx.redis.client.RedisOptions()
        .setConnectionString(connectionString)
        .setMaxPoolSize(maxPoolSize)
        .setMaxPoolWaiting(10_000)
        .setNetClientOptions(new io.vertx.core.net.NetClientOptions().setConnectTimeout((int) commandTimeout.toMillis()));
  }

  /** As {@code redis.send(request)}, on a pooled connection given back to the pool afterwards. */
  static Future<Response> send(Redis redis, Request request) {
    return redis.connect().compose(connection -> {
      connection.exceptionHandler(CONNECTION_FAILED);
      return connection.send(request).andThen(done -> connection.close());
    });
  }

  /** As {@code redis.batch(requests)}: the commands in one round trip, on a pooled connection given back afterwards. */
  static Future<java.util.List<Response>> batch(Redis redis, java.util.List<Request> requests) {
    return redis.connect().compose(connection -> {
      connection.exceptionHandler(CONNECTION_FAILED);
      return connection.batch(requests).andThen(done -> connection.close());
    });
  }

  private static void connectionFailed(Throwable error) {
    if (isIo(error)) {
      LOG.log(Level.DEBUG, () -> "Redis connection lost: " + describe(error));
    } else {
      LOG.log(Level.WARNING, () -> "Redis connection failed: " + describe(error));
    }
  }

  private static boolean isIo(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** The error's kind and message on one line: no stack trace, no newline. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    return (error.getClass().getSimpleName() + (message == null ? "" : ": " + message)).replace('\n', ' ');
  }
}
