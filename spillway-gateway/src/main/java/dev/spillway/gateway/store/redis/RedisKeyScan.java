package dev.spillway.gateway.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Walks the keys under a prefix with {@code SCAN} (never {@code KEYS}, which blocks Redis), a page at a time: for the
 * shared cache's admin invalidations and a replica's start, not for lookups. A key written or removed during the walk
 * may or may not be seen, as {@code SCAN} promises; every key there for the whole walk is seen at least once.
 */
final class RedisKeyScan {
  /** Keys asked for per {@code SCAN} call (Redis may answer a few more or fewer). */
  static final int PAGE = 500;

  private RedisKeyScan() {}

  /**
   * Calls {@code page} with each page of keys under {@code prefix}, one page at a time, each command within {@code
   * timeoutMillis}; completes with the sum of what the pages answered, or fails with the first failure.
   */
  static Future<Long> eachPage(Redis redis, String prefix, long timeoutMillis, Function<List<String>, Future<Long>> page) {
    return from("0", 0, redis, glob(prefix) + "*", timeoutMillis, page);
  }

  private static Future<Long> from(String cursor, long sum, Redis redis, String pattern, long timeoutMillis,
      Function<List<String>, Future<Long>> page) {
    Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(PAGE);
    return RedisCalls.send(redis, scan).timeout(timeoutMillis, TimeUnit.MILLISECONDS).compose(reply -> {
      String next = reply.get(0).toString();
      List<String> keys = reply.get(1).stream().map(Response::toString).toList();
      Future<Long> done = keys.isEmpty() ? Future.succeededFuture(0L) : page.apply(keys);
      return done.compose(n -> next.equals("0")
          ? Future.succeededFuture(sum + n)
          : from(next, sum + n, redis, pattern, timeoutMillis, page));
    });
  }

  /**
   * Removes the keys under {@code prefix} whose value {@code matches}, reading them a page at a time ({@code MGET})
   * and unlinking the matching ones; completes with how many went.
   */
  static Future<Long> removeWhere(Redis redis, String prefix, long timeoutMillis, Predicate<byte[]> matches) {
    return eachPage(redis, prefix, timeoutMillis, keys -> unlinkWhere(redis, keys, timeoutMillis, matches));
  }

  /** Reads {@code keys} and unlinks those whose value {@code matches}; completes with how many went. */
  static Future<Long> unlinkWhere(Redis redis, List<String> keys, long timeoutMillis, Predicate<byte[]> matches) {
    Request mget = Request.cmd(Command.MGET);
    keys.forEach(mget::arg);
    return RedisCalls.send(redis, mget).timeout(timeoutMillis, TimeUnit.MILLISECONDS).compose(values -> {
      List<String> matching = new ArrayList<>();
      for (int i = 0; i < keys.size(); i++) {
        Response value = values.get(i);
        if (value != null && matches.test(value.toBytes())) {
          matching.add(keys.get(i));
        }
      }
      if (matching.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      Request unlink = Request.cmd(Command.UNLINK);
      matching.forEach(unlink::arg);
      return RedisCalls.send(redis, unlink).timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(Response::toLong);
    });
  }

  /** {@code literal} as a Redis glob that matches only itself: {@code * ? [ ] \} escaped. */
  static String glob(String literal) {
    StringBuilder out = new StringBuilder(literal.length() + 8);
    for (char c : literal.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
