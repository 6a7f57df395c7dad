package dev.spillway.gateway.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the tests talk to: {@code SPILLWAY_TEST_REDIS} or {@code redis://127.0.0.1:6379}. On a
 * developer machine without Redis the Redis tests are skipped; when the {@code CI} environment
 * variable is set they fail instead, since {@code test.sh} starts a Redis there. Public for the gateway's end-to-end
 * tests that run on Redis.
 */
public final class RedisTestSupport {
  public static final String CONNECTION_STRING =
      System.getenv().getOrDefault("SPILLWAY_TEST_REDIS", "redis://127.0.0.1:6379");

  /** Keys of this JVM's test run start with this, so runs never collide and can be cleaned up. */
  static final String RUN_PREFIX = "spillway:test:" + UUID.randomUUID() + ":";

  private RedisTestSupport() {}

  /** Skips the calling test class when Redis is down, unless running under CI where that fails. */
  public static void requireRedis() {
    if (reachable()) {
      return;
    }
    String ci = System.getenv("CI");
    boolean underCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    String message = "no Redis answers PING at " + CONNECTION_STRING;
    if (underCi) {
      fail(message + " although CI is set; test.sh starts one with redis-server (see its ensure_redis step)");
    }
    Assumptions.abort(message + "; Redis tests skipped (start redis-server, or set CI to make this a failure)");
  }

  private static boolean reachable() {
    URI uri = URI.create(CONNECTION_STRING);
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), 1_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(5);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes every key of this test run. */
  static void deleteRunKeys(Vertx vertx) throws Exception {
    deleteKeys(vertx, RUN_PREFIX + "*");
  }

  /** Deletes every key that matches {@code pattern} (a Redis glob). */
  public static void deleteKeys(Vertx vertx, String pattern) throws Exception {
    Redis redis = Redis.createClient(vertx, CONNECTION_STRING);
    try {
      String cursor = "0";
      do {
        Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1_000);
        Response page = send(redis, scan);
        cursor = page.get(0).toString();
        List<String> keys = page.get(1).stream().map(Response::toString).toList();
        if (!keys.isEmpty()) {
          Request unlink = Request.cmd(Command.UNLINK);
          keys.forEach(unlink::arg);
          send(redis, unlink);
        }
      } while (!cursor.equals("0"));
    } finally {
      redis.close();
    }
  }

  static Response send(Redis redis, Request request) throws Exception {
    return redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
