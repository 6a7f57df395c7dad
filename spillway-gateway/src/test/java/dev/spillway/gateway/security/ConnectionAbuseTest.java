package dev.spillway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that abuse a connection rather than a request: headers dribbled in (slowloris), on a new connection and on
 * one kept alive after a good request, and HTTP/1.1 pipelining — many requests written at once, read in order or not
 * at all. None of them may reach a backend with a half-sent request, hold a connection past the request timeout, or
 * make the gateway work for more than one request of a connection at a time.
 */
class ConnectionAbuseTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  /** A kept-alive connection has this long for its next request's headers. */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
  private static final String COMPLETION =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";
  private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final AtomicInteger calls = new AtomicInteger();
  /** What the backend answers; the pipelining flood makes it large, so that the socket buffers fill soon. */
  private volatile String answer = COMPLETION;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private Vertx vertx;
  private HttpServer backend;
  private GatewayServer gateway;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    // Answers each request 2 ms after it arrived, counting how many it holds at once.
    backend = vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          calls.incrementAndGet();
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          vertx.setTimer(2, t -> {
            inFlight.decrementAndGet();
            req.response().putHeader("content-type", "application/json").end(answer);
          });
        }))
        .listen(0, "127.0.0.1").await();
    ServerConfig server = ServerConfig.builder().host("127.0.0.1").port(0)
        .requestTimeout(REQUEST_TIMEOUT).idleTimeout(IDLE_TIMEOUT).build();
    BackendConfig b = BackendConfig.builder().id("b").type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:" + backend.actualPort())).deployment("d").apiVersion("2024-10-21")
        .auth(BackendAuth.apiKey("k")).tier(Tier.PAYG).priority(1).region("test").build();
    SpillwayConfig config = SpillwayConfig.builder().server(server).routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY).backends(List.of(b)).build()))
        .build();
    gateway = GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
  }

  @AfterEach
  void stop() {
    gateway.close().await();
    vertx.close().await();
  }

  /** Writes header lines one every 100 ms, for ten times the request timeout, unless the gateway hangs up first. */
  private static Thread dribble(RawHttp raw) {
    return Thread.ofVirtual().start(() -> {
      try {
        raw.write("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 50; i++) {
          raw.write("x-slow-" + i + ": 1\r\n");
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException hungUp) {
        // The gateway closed the connection, as it should.
      }
    });
  }

  /** The gateway answers 408 or just closes; either way within a few request timeouts, not at the idle timeout. */
  private static void assertCutOff(RawHttp raw) throws IOException {
    RawHttp.Response r;
    try {
      r = raw.readResponse();
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the gateway was still reading dribbled headers 3 s after they began", stillOpen);
    } catch (IOException closedWithoutAnswer) {
      return;
    }
    assertThat(r.status()).isEqualTo(408);
    assertThat(r.body()).contains("request_timeout");
  }

  @Test
  void headersDribbledOnANewConnectionAreCutOffAndNeverReachABackend() throws Exception {
    try (RawHttp raw = RawHttp.connect(gateway.port(), Duration.ofSeconds(3))) {
      Thread t = dribble(raw);
      assertCutOff(raw);
      t.interrupt();
    }
    assertThat(calls.get()).isZero();
  }

  @Test
  void headersDribbledAfterAGoodRequestOnAKeptAliveConnectionAreCutOffToo() throws Exception {
    try (RawHttp raw = RawHttp.connect(gateway.port(), Duration.ofSeconds(3))) {
      raw.write(RawHttp.request("POST", "/v1/chat/completions", "localhost", Map.of(), CHAT));
      assertThat(raw.readResponse().status()).isEqualTo(200);
      Thread t = dribble(raw);
      assertCutOff(raw);
      t.interrupt();
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOneAtATime() throws Exception {
    int n = 60;
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      // Every third names a model nobody serves: its 404 must come back in its place.
      String body = i % 3 == 2 ? CHAT.replace("gpt-4o", "no-such-model") : CHAT;
      all.append(RawHttp.request("POST", "/v1/chat/completions", "localhost", Map.of(), body));
    }
    List<Integer> statuses = new ArrayList<>();
    HashSet<String> ids = new HashSet<>();
    try (RawHttp raw = RawHttp.connect(gateway.port(), Duration.ofSeconds(10))) {
      raw.write(all.toString());
      for (int i = 0; i < n; i++) {
        RawHttp.Response r = raw.readResponse();
        statuses.add(r.status());
        ids.add(r.header("x-spillway-request-id"));
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i % 3 == 2 ? 404 : 200);
    }
    assertThat(statuses).isEqualTo(expected);
    assertThat(ids).hasSize(n);
    assertThat(calls.get()).isEqualTo(n / 3 * 2);
    assertThat(maxInFlight.get()).as("a connection's pipelined requests reach the backend one at a time").isEqualTo(1);
  }

  /**
   * A client that pipelines requests and reads no answer is not served without bound. Vert.x hands the gateway the
   * next pipelined request only once the previous answer went out to the socket (an answer that cannot, because the
   * connection's write queue is over its high-water mark, holds the next request back), so what such a client gets
   * served is bounded by the kernel's socket buffers between it and the gateway (a few MiB of answers on loopback:
   * about 11,000 short completions, a few hundred of 64 KiB), not by the gateway's memory; each of those calls is also
   * under the consumer's limits. The test waits until the backend calls stop, with far fewer than were sent.
   */
  @Test
  void aClientThatPipelinesAndReadsNothingIsNotServedWithoutBound() throws Exception {
    answer = COMPLETION.replace("\"choices\":[]", "\"choices\":[],\"pad\":\"" + "x".repeat(64 * 1024) + "\"");
    int n = 5_000;
    String one = RawHttp.request("POST", "/v1/chat/completions", "localhost", Map.of(), CHAT);
    boolean settled = false;
    try (RawHttp raw = RawHttp.connect(gateway.port(), Duration.ofSeconds(5))) {
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          for (int i = 0; i < n; i++) {
            raw.write(one);
          }
        } catch (IOException e) {
          // The gateway stopped reading and then closed: fine.
        }
      });
      // The client never reads an answer. Wait until the gateway stops calling the backend for it.
      long last = -1;
      for (int i = 0; i < 100 && !settled; i++) {
        Thread.sleep(300);
        long now = calls.get();
        settled = now > 0 && now == last;
        last = now;
      }
      writer.interrupt();
    }
    assertThat(settled).as("the backend calls for a client that reads nothing stopped (%d)", calls.get()).isTrue();
    assertThat(calls.get()).as("backend calls for a client that reads no answer").isLessThan(n / 5);
  }
}
