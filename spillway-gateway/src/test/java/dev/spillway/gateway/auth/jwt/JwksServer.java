package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWKS endpoint on loopback for tests: serves the public half of the published keys, counts
 * fetches, can fail on demand, and can hold replies until released (to pile up concurrent fetches).
 */
final class JwksServer {
  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private final List<HttpServerRequest> held = new ArrayList<>();
  private volatile String body = new JWKSet().toString();
  private volatile int status = 200;
  private boolean holding;

  private JwksServer(Vertx vertx) {
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  static JwksServer start(Vertx vertx) {
    JwksServer jwks = new JwksServer(vertx);
    jwks.server.listen(0, "127.0.0.1").await();
    return jwks;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/keys");
  }

  /** Replaces the published key set (public halves only). */
  void publish(JWK... keys) {
    body = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    status = 200;
  }

  /** Serves {@code rawBody} verbatim with status 200 (for malformed or oversized documents). */
  void serveRaw(String rawBody) {
    body = rawBody;
    status = 200;
  }

  /** Answers every fetch with {@code httpStatus} and no keys, until {@link #publish} is called. */
  void failWith(int httpStatus) {
    status = httpStatus;
  }

  int fetchCount() {
    return fetches.get();
  }

  /** Holds replies until {@link #release}; every fetch is still counted when it arrives. */
  synchronized void hold() {
    holding = true;
  }

  synchronized void release() {
    holding = false;
    held.forEach(this::reply);
    held.clear();
  }

  private void handle(HttpServerRequest request) {
    fetches.incrementAndGet();
    synchronized (this) {
      if (holding) {
        held.add(request);
        return;
      }
    }
    reply(request);
  }

  private void reply(HttpServerRequest request) {
    if (status != 200) {
      request.response().setStatusCode(status).end("unavailable");
    } else {
      request.response().putHeader("Content-Type", "application/json").end(body);
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
