package dev.spillway.simulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outage proxy in front of an echo server: passing, refusing, and holding traffic in a blackhole. */
class OutageProxyTest {
  private ServerSocket echo;
  private final AtomicLong echoed = new AtomicLong();
  private OutageProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread.ofVirtual().start(() -> echoAll(s));
        } catch (IOException e) {
          return;
        }
      }
    });
    proxy = OutageProxy.start("127.0.0.1", echo.getLocalPort());
  }

  private void echoAll(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        echoed.addAndGet(n);
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // the test closed or reset it
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(proxy.host(), proxy.port());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
  }

  @Test
  void passForwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "again")).isEqualTo("again");
    }
  }

  @Test
  void refuseResetsOpenConnectionsAndNewOnesUntilPassAgain() throws Exception {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "before")).isEqualTo("before");
      proxy.mode(OutageProxy.Mode.REFUSE);
      assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketException.class);
    }
    try (Socket refused = connect()) {
      // accepted by the kernel, then reset: the first read fails or sees the end
      int first;
      try {
        first = refused.getInputStream().read();
      } catch (SocketException reset) {
        first = -1;
      }
      assertThat(first).isEqualTo(-1);
    }
    proxy.mode(OutageProxy.Mode.PASS);
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "after")).isEqualTo("after");
    }
  }

  @Test
  void blackholeHoldsTrafficWithoutAnAnswerAndReleasesItOnPass() throws Exception {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "up")).isEqualTo("up");
      long echoedBefore = echoed.get();
      proxy.mode(OutageProxy.Mode.BLACKHOLE);
      open.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
      open.getOutputStream().flush();
      try (Socket late = connect()) {
        late.getOutputStream().write("late".getBytes(StandardCharsets.UTF_8));
        late.getOutputStream().flush();
        await(() -> proxy.heldBytes() == 4); // the open link read "held" and keeps it; "late" waits unconnected
        assertThat(echoed.get()).isEqualTo(echoedBefore);
        assertThat(open.getInputStream().available()).isZero();

        proxy.mode(OutageProxy.Mode.PASS);
        assertThat(new String(open.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("held");
        assertThat(new String(late.getInputStream().readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("late");
      }
    }
    assertThat(proxy.heldBytes()).isZero();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(2);
    }
  }
}
