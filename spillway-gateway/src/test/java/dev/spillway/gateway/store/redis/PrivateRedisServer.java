package dev.spillway.gateway.store.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@code redis-server} of the test's own, which the test may stop and start again on the same port: no persistence,
 * its working directory in a temporary directory, on a loopback port the OS chose. Never the machine's shared Redis.
 * Without {@code redis-server} on the PATH the test is skipped, unless {@code CI} is set.
 */
public final class PrivateRedisServer implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private PrivateRedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server in {@code dir}; skips the test (or fails it under CI) when there is no {@code redis-server}. */
  public static PrivateRedisServer start(Path dir) throws IOException, InterruptedException {
    if (!onPath("redis-server")) {
      String ci = System.getenv("CI");
      String message = "no redis-server on the PATH for a private Redis";
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        fail(message + " although CI is set");
      }
      Assumptions.abort(message + "; test skipped (set CI to make this a failure)");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    PrivateRedisServer server = new PrivateRedisServer(dir, port);
    server.startAgain();
    return server;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again) on its port and waits until it answers PING. */
  public void startAgain() throws IOException, InterruptedException {
    Files.createDirectories(dir);
    process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", dir.toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
      }
      Thread.sleep(10);
    }
  }

  /** Stops the server as an operator would ({@code SIGTERM}: Redis shuts down and closes its clients). */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Kills the server ({@code SIGKILL}): its connections break without a goodbye. */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
