package dev.spillway.simulator.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP forwarder in front of a real server (PostgreSQL, Redis, a backend) that plays the server's outages without
 * touching it, so a test can take a shared server "down" for one client only. It listens on a loopback port the OS
 * chose and forwards every connection to the target, in one of three modes, switched at any time:
 *
 * <ul>
 *   <li>{@link Mode#PASS}: bytes flow both ways, as if the client were connected to the target.
 *   <li>{@link Mode#REFUSE}: the server is gone. Open connections are reset (RST, as when a host restarts), and new
 *       ones are accepted and reset at once, which a client sees as a refused or reset connection.
 *   <li>{@link Mode#BLACKHOLE}: the server is unreachable without a word, as behind a network that drops packets. New
 *       connections are accepted and never answered; open ones stop forwarding in both directions. Bytes read meanwhile
 *       are held, not dropped: back in {@code PASS}, held connections go on where they stopped (a healed partition)
 *       and connections accepted meanwhile are connected to the target then.
 * </ul>
 *
 * <p>A connection that ends on either side is closed on both. Each connection uses two virtual threads blocked in
 * socket reads; the proxy holds nothing but the bytes in flight. Thread-safe. Close it to stop listening and reset
 * every connection.
 */
public final class OutageProxy implements AutoCloseable {
  /** What the proxy does with connections; see the class comment. */
  public enum Mode {
    PASS,
    REFUSE,
    BLACKHOLE
  }

  private static final int BUFFER_BYTES = 16 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition passing = lock.newCondition();
  private volatile Mode mode = Mode.PASS;
  private volatile boolean closed;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong held = new AtomicLong();

  private OutageProxy(InetSocketAddress target, ServerSocket server) {
    this.target = target;
    this.server = server;
  }

  /** Starts a proxy to {@code host:port} on a free loopback port, in {@link Mode#PASS}. */
  public static OutageProxy start(String host, int port) throws IOException {
    ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    OutageProxy proxy = new OutageProxy(new InetSocketAddress(host, port), server);
    Thread.ofVirtual().name("outage-proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
    return proxy;
  }

  /** The loopback port clients connect to instead of the target's. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1} (or the loopback address the JVM prefers): the host clients connect to. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  public Mode mode() {
    return mode;
  }

  /** Switches to {@code next}: {@code REFUSE} resets every open connection, {@code PASS} releases held ones. */
  public void mode(Mode next) {
    Objects.requireNonNull(next, "mode");
    lock.lock();
    try {
      mode = next;
      passing.signalAll();
    } finally {
      lock.unlock();
    }
    if (next == Mode.REFUSE) {
      links.forEach(Link::reset);
    }
  }

  /** Connections accepted since start, in any mode. */
  public long acceptedConnections() {
    return accepted.get();
  }

  /** Connections open now (accepted, not yet closed on both sides). */
  public int openConnections() {
    return links.size();
  }

  /** Bytes read from one side and not yet written to the other: what a blackhole holds. */
  public long heldBytes() {
    return held.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (mode == Mode.REFUSE) {
        resetQuietly(client);
        continue;
      }
      Link link = new Link(client);
      links.add(link);
      Thread.ofVirtual().name("outage-proxy-link").start(link::connect);
    }
  }

  /**
   * Blocks while the proxy holds traffic; false when the link must end instead (the proxy refuses or closed).
   */
  private boolean awaitPass() {
    lock.lock();
    try {
      while (mode == Mode.BLACKHOLE && !closed) {
        passing.awaitUninterruptibly();
      }
      return mode == Mode.PASS && !closed;
    } finally {
      lock.unlock();
    }
  }

  /** One client connection and, once connected, its connection to the target. */
  private final class Link {
    private final Socket client;
    private final Socket upstream = new Socket();
    private volatile boolean ended;

    Link(Socket client) {
      this.client = client;
    }

    void connect() {
      try {
        if (!awaitPass()) {
          reset();
          return;
        }
        upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        reset();
        return;
      }
      Thread.ofVirtual().name("outage-proxy-up").start(() -> pump(client, upstream));
      pump(upstream, client);
    }

    private void pump(Socket from, Socket to) {
      byte[] buf = new byte[BUFFER_BYTES];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (!ended) {
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          held.addAndGet(n);
          try {
            if (!awaitPass()) {
              break;
            }
            out.write(buf, 0, n);
            out.flush();
          } finally {
            held.addAndGet(-n);
          }
        }
      } catch (IOException e) {
        // the connection broke or was reset: end both sides
      }
      close();
    }

    /** Ends both sides with a reset: the peer gets ECONNRESET, as when a server dies. */
    void reset() {
      ended = true;
      resetQuietly(client);
      resetQuietly(upstream);
      links.remove(this);
    }

    private void close() {
      ended = true;
      closeQuietly(client);
      closeQuietly(upstream);
      links.remove(this);
    }
  }

  private static void resetQuietly(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      // not connected (yet): a plain close is all there is
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(java.io.Closeable socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all we wanted
    }
  }

  /** Stops listening and resets every connection. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      passing.signalAll();
    } finally {
      lock.unlock();
    }
    closeQuietly(server);
    links.forEach(Link::reset);
  }
}
