package dev.spillway.gateway.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Lua script called by its SHA-1 ({@code EVALSHA}), so the source crosses the wire only when Redis
 * does not know it yet: on {@code NOSCRIPT} (first use, after a restart or {@code SCRIPT FLUSH}) it is
 * sent with {@code SCRIPT LOAD} and the call is repeated once. Thread-safe.
 */
final class LuaScript {
  private final String name;
  private final String source;
  private final String sha1;
  private final AtomicLong loads = new AtomicLong();

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  /** Runs the script with {@code keys} as KEYS and {@code args} as ARGV. */
  Future<Response> eval(Redis redis, List<String> keys, List<String> args) {
    return RedisCalls.send(redis, call(keys, args))
        .recover(
            failure -> {
              if (!isNoScript(failure)) {
                return Future.failedFuture(failure);
              }
              loads.incrementAndGet();
              return RedisCalls.send(redis, Request.cmd(Command.SCRIPT).arg("LOAD").arg(source))
                  .compose(loaded -> RedisCalls.send(redis, call(keys, args)));
            });
  }

  /** How often this instance had to send the source; for tests. */
  long loads() {
    return loads.get();
  }

  private Request call(List<String> keys, List<String> args) {
    Request request = Request.cmd(Command.EVALSHA).arg(sha1).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.startsWith("NOSCRIPT");
  }

  private static String sha1Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + " " + sha1 + "]";
  }
}
