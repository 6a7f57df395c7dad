package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.simulator.DeploymentConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway speaks HTTP/2 to backends that speak it: requests and streams share a connection (multiplexed) instead
 * of a connection each. Cleartext backends only with {@code http2: on} (h2c with prior knowledge); TLS backends by
 * ALPN with the default {@code auto}, falling back to HTTP/1.1 where the backend does not offer h2.
 */
class UpstreamHttp2Test {
  private static final String ANSWER = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
  private final TestWorld world = new TestWorld();
  private final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
  private final Set<HttpConnection> connections = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
  private SelfSignedCertificate cert;

  @AfterEach
  void stop() {
    world.close();
    if (cert != null) {
      cert.delete();
    }
  }

  /** A backend that records each request's protocol and connection, answering after {@code delayMillis}. */
  private HttpServer recordingBackend(HttpServerOptions options, long delayMillis) {
    return world.vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(b -> {
      versions.add(req.version());
      connections.add(req.connection());
      world.vertx.setTimer(Math.max(1, delayMillis), t ->
          req.response().putHeader("content-type", "application/json").end(ANSWER));
    })).listen(0, "127.0.0.1").await();
  }

  private void gateway(String url, String http2, String tls) {
    gateway(url, "d", http2, tls);
  }

  private void gateway(String url, String deployment, String http2, String tls) {
    world.gateway(ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: b, url: "%s", deployment: %s, tier: ptu, auth: { apiKey: %s }%s%s }
        """.formatted(url, deployment, Backends.BACKEND_KEY, http2.isEmpty() ? "" : ", http2: " + http2, tls), "h2.yaml",
        name -> null));
  }

  /** One request first (the connection is made), then {@code n} at once; every answer must be 200. */
  private void askConcurrently(int n, boolean stream) throws Exception {
    assertThat(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", stream)).statusCode()).isEqualTo(200);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < n; i++) {
      all.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(world.url("/v1/chat/completions")))
          .header("content-type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Http.chat("gpt-4o", stream))).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      if (stream) {
        assertThat(r.body()).contains("data: [DONE]");
      }
    }
  }

  @Test
  void http2OnMultiplexesRequestsToACleartextBackendOverOneConnection() throws Exception {
    HttpServer backend = recordingBackend(new HttpServerOptions(), 200);
    gateway("http://127.0.0.1:" + backend.actualPort(), "on", "");
    askConcurrently(30, false);
    assertThat(versions).hasSize(31).containsOnly(HttpVersion.HTTP_2);
    assertThat(connections).as("31 requests, 30 of them at once, on one connection").hasSize(1);
  }

  @Test
  void aCleartextBackendGetsHttp11ByDefaultOneConnectionPerRequestInFlight() throws Exception {
    HttpServer backend = recordingBackend(new HttpServerOptions(), 200);
    gateway("http://127.0.0.1:" + backend.actualPort(), "", "");
    askConcurrently(30, false);
    assertThat(versions).hasSize(31).containsOnly(HttpVersion.HTTP_1_1);
    assertThat(connections.size()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void overTlsAutoTakesHttp2WhenTheBackendOffersItAndHttp11WhenNot() throws Exception {
    cert = SelfSignedCertificate.create("localhost");
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions());
    String trust = ", tls: { caFile: \"" + cert.certificatePath() + "\" }";
    HttpServer h2 = recordingBackend(new HttpServerOptions(tls).setUseAlpn(true), 100);
    gateway("https://localhost:" + h2.actualPort(), "", trust);
    askConcurrently(10, false);
    assertThat(versions).containsOnly(HttpVersion.HTTP_2);
    assertThat(connections).hasSize(1);
    world.gateway.close().await();

    versions.clear();
    HttpServer http1 = recordingBackend(new HttpServerOptions(tls).setUseAlpn(false), 0);
    gateway("https://localhost:" + http1.actualPort(), "", trust);
    askConcurrently(3, false);
    assertThat(versions).hasSize(4).containsOnly(HttpVersion.HTTP_1_1);
  }

  @Test
  void aThrottledPtuSpillsToPaygOverH2cWithoutTrippingItsBreaker() throws Exception {
    world.simulate(dev.spillway.simulator.SimulatorConfig.builder().port(0).apiKey(Backends.BACKEND_KEY)
        .deployment(DeploymentConfig.ptu("ptu", 2_000))
        .deployment(DeploymentConfig.payg("payg", 10_000_000, 100_000)).build());
    world.gateway(ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%1$s", deployment: ptu, tier: ptu, priority: 1, auth: { apiKey: %2$s }, http2: on }
              - { id: payg, url: "%1$s", deployment: payg, tier: payg, priority: 2, auth: { apiKey: %2$s }, http2: on }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY), "h2.yaml", name -> null));
    for (boolean stream : new boolean[] {false, true}) {
      askConcurrently(30, stream);
    }
    assertThat(world.listener.attempts.stream().map(a -> a.backend().id() + ":" + a.result() + ":" + a.status()).distinct().toList())
        .as("what the attempts came to").doesNotContain("x");
    for (var b : world.gateway.pools().get("gpt-4o").backends()) {
      assertThat(b.breaker().state(System.nanoTime())).as(b.config().id())
          .isEqualTo(dev.spillway.core.routing.breaker.BreakerState.CLOSED);
    }
  }

  @Test
  void streamsThroughTheSimulatorOverH2cAndABrokenStreamCutsOnlyItself() throws Exception {
    world.simulate(List.of(DeploymentConfig.ptu("gpt-4o", 10_000_000)));
    gateway(world.simUrl(), "gpt-4o", "on", "");
    askConcurrently(40, true);

    // A backend dying mid-stream resets its own HTTP/2 stream; a stream beside it on the connection goes on.
    CompletableFuture<HttpResponse<String>> broken = CompletableFuture.supplyAsync(() -> {
      try {
        return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true), Map.of("x-sim-fault", "midstream"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<String> fine = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));
    assertThat(fine.statusCode()).isEqualTo(200);
    assertThat(fine.body()).contains("data: [DONE]");
    assertThat(broken.get().body()).doesNotContain("data: [DONE]");
  }
}
