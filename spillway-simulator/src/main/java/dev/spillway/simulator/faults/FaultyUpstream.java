package dev.spillway.simulator.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend that misbehaves on purpose, below HTTP: a plain TCP server on a loopback port the OS chooses that reads an
 * HTTP/1.1 request and answers it with an {@link UpstreamFault} — a reset before or in the middle of an answer, a hang,
 * bytes that are not HTTP, an answer of the wrong type, one without end, one that drips. The simulator's own faults go
 * through a well-behaved HTTP server and cannot break the protocol; this one can, which is what the gateway's fault
 * matrix needs.
 *
 * <p>The fault is the server's, unless the request's path names another as its Azure deployment ({@code
 * /openai/deployments/hang-mid-stream/chat/completions}): one server can then play every fault, one per pool. A request
 * is read whole ({@code content-length} bodies only, which is what the gateway sends); every answer that ends says
 * {@code connection: close} and closes, so each request has its own connection. One virtual thread per connection;
 * {@link #close()} closes the listener and every open connection.
 *
 * <p>Thread-safe. Counters: {@link #requests()}, {@link #peerClosures()} (the peer closed while this server was still
 * holding or writing, i.e. the call was cancelled), {@link #bytesSent()} (answer bytes written).
 */
public final class FaultyUpstream implements AutoCloseable {
  private static final Pattern DEPLOYMENT = Pattern.compile("/deployments/([^/?]+)");
  private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  /**
   * What a fault's answer is made of.
   *
   * @param retryAfterMillis what {@link UpstreamFault#RATE_LIMITED} asks the caller to wait
   * @param dripInterval the pause between two bytes of {@link UpstreamFault#SLOW_DRIP}
   * @param enormousBytes the declared size of {@link UpstreamFault#ENORMOUS}'s plain answer
   */
  public record Settings(long retryAfterMillis, Duration dripInterval, long enormousBytes) {
    public static final Settings DEFAULTS = new Settings(2_000, Duration.ofMillis(50), 200L * 1000 * 1000);

    public Settings {
      Objects.requireNonNull(dripInterval, "dripInterval");
      if (retryAfterMillis < 0 || enormousBytes < 16 || dripInterval.isNegative()) {
        throw new IllegalArgumentException("retryAfterMillis >= 0, enormousBytes >= 16, dripInterval >= 0");
      }
    }
  }

  private final UpstreamFault fault;
  private final Settings settings;
  private final ServerSocket listener;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger peerClosures = new AtomicInteger();
  private final AtomicLong bytesSent = new AtomicLong();
  private volatile boolean closed;

  private FaultyUpstream(UpstreamFault fault, Settings settings) throws IOException {
    this.fault = Objects.requireNonNull(fault, "fault");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.port = listener.getLocalPort();
    if (fault == UpstreamFault.REFUSED) {
      // The port was ours a moment ago and nothing listens on it now: a connection is refused.
      listener.close();
      closed = true;
    } else {
      Thread.ofPlatform().daemon().name("faulty-upstream-" + port).start(this::acceptLoop);
    }
  }

  /** Starts a server playing {@code fault} with the default {@link Settings}. */
  public static FaultyUpstream start(UpstreamFault fault) {
    return start(fault, Settings.DEFAULTS);
  }

  public static FaultyUpstream start(UpstreamFault fault, Settings settings) {
    try {
      return new FaultyUpstream(fault, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Requests read whole so far. */
  public int requests() {
    return requests.get();
  }

  /** Connections the peer closed or reset while this server was still holding them or writing to them. */
  public int peerClosures() {
    return peerClosures.get();
  }

  /** Bytes of answers written so far, heads included. */
  public long bytesSent() {
    return bytesSent.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = listener.accept();
        open.add(socket);
        Thread.ofVirtual().name("faulty-upstream-conn").start(() -> serve(socket));
      } catch (IOException e) {
        if (!closed) {
          // A failed accept (too many files) does not stop the server; the next one may succeed.
          Thread.onSpinWait();
        }
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      Request request = read(in);
      if (request == null) {
        return;
      }
      requests.incrementAndGet();
      FaultyAnswers answers = new FaultyAnswers(socket, in, settings, bytesSent);
      if (!answers.answer(faultFor(request.target()), request.stream()) && !closed) {
        peerClosures.incrementAndGet();
      }
    } catch (IOException e) {
      // The peer went away while the request was read: nothing to answer.
    } finally {
      open.remove(socket);
    }
  }

  /** The fault a request's deployment names, else this server's. */
  private UpstreamFault faultFor(String target) {
    Matcher m = DEPLOYMENT.matcher(target);
    if (m.find()) {
      return UpstreamFault.fromId(m.group(1)).filter(f -> f != UpstreamFault.REFUSED).orElse(fault);
    }
    return fault;
  }

  /** What the server needs of a request: where it went, and whether it asked for a stream. */
  private record Request(String target, boolean stream) {}

  /** Reads one request (head and {@code content-length} body); null when the connection closed first. */
  private static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0 || head.size() > MAX_HEAD_BYTES) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    long length = 0;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Long.parseLong(lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = in.readNBytes((int) Math.min(length, 16 * 1024 * 1024));
    String target = requestLine.length > 1 ? requestLine[1] : "/";
    return new Request(target, STREAM.matcher(new String(body, StandardCharsets.UTF_8)).find());
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // Closing a listener that is already closed.
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // Already closed by its peer.
      }
    }
  }
}
