package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.SessionPinStore;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link SessionPinStore} in Redis: a session's pin is a key {@code {prefix}session:{sessionId}} (the session's hash,
 * never its key) holding the backend's shared name, written with {@code SET ... PX} so that it lasts {@code
 * sessionPinTtl} after the session's last answer. A read ({@code GET}) is bounded by the command timeout; a read or
 * write that fails, or falls in the probe interval after a failure, is "not found" or dropped — the request is routed
 * on this replica's own pins. The pool's first connection is made when the store is (a {@code PING}), not by the
 * first session's read.
 *
 * <p>Thread-safe.
 */
public final class RedisSessionPins implements SessionPinStore {
  private static final long WARM_UP_MILLIS = 2_000;
  private final RedisRoutingStateOptions options;
  private final Redis redis;
  private final RoutingStateOutage outage;

  /** @param ticker measures the probe interval */
  public RedisSessionPins(Vertx vertx, RedisRoutingStateOptions options, Ticker ticker) {
    this.options = Objects.requireNonNull(options, "options");
    this.redis = Redis.createClient(vertx, options.clientOptions(8));
    this.outage = new RoutingStateOutage("session pins", options, ticker);
    // The first connection (the client's handshake, cold code) can take longer than a command's timeout on a loaded
    // machine: made now, with time to spare, so that the first session's read does not pay for it and fail.
    RedisCalls.send(redis, Request.cmd(Command.PING)).timeout(WARM_UP_MILLIS, TimeUnit.MILLISECONDS)
        .onFailure(e -> { }); // a Redis that is out shows on the first read
  }

  @Override
  public CompletionStage<Optional<String>> find(String sessionId) {
    if (outage.skipping()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Optional<String>> found = new CompletableFuture<>();
    RedisCalls.send(redis, Request.cmd(Command.GET).arg(options.sessionKey(sessionId)))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
            found.complete(done.result() == null ? Optional.empty() : Optional.of(done.result().toString()));
          } else {
            outage.failed("read a session pin", done.cause());
            found.complete(Optional.empty());
          }
        });
    return found;
  }

  @Override
  public void pin(String sessionId, String backend) {
    if (outage.skipping()) {
      return;
    }
    RedisCalls.send(redis, Request.cmd(Command.SET).arg(options.sessionKey(sessionId)).arg(backend)
            .arg("PX").arg(options.sessionPinTtl().toMillis()))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
          } else {
            outage.failed("write a session pin", done.cause());
          }
        });
  }

  /** True from a failed call until the next one that answers. */
  public boolean out() {
    return outage.out();
  }

  @Override
  public void close() {
    redis.close();
  }

  @Override
  public String toString() {
    return "RedisSessionPins[" + options.endpoint() + ", " + options.keyPrefix() + "]";
  }
}
