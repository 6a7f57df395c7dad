package dev.spillway.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * A JWKS fetched with the Vert.x client: never blocks the event loop, and buffers at most
 * {@link #MAX_BODY_BYTES} of the reply (a real JWKS is a few KiB).
 */
final class UrlJwksSource implements JwksSource {
  static final int MAX_BODY_BYTES = 512 * 1024;
  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final long IDLE_TIMEOUT_MILLIS = 10_000;

  private final HttpClient client;
  private final URI url;

  UrlJwksSource(HttpClient client, URI url) {
    this.client = client;
    this.url = url;
  }

  @Override
  public Future<JWKSet> load() {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(url.toString())
            .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
            .setIdleTimeout(IDLE_TIMEOUT_MILLIS)
            .putHeader("Accept", "application/json");
    return client
        .request(request)
        // readCapped must be attached to send() itself, so its handlers are in place before the
        // first body chunk arrives; a flat .compose chain would attach it one event-loop task later.
        .compose(req -> req.send().compose(this::readCapped))
        .compose(
            reply -> {
              if (reply.status() != 200) {
                return Future.failedFuture("JWKS endpoint answered HTTP " + reply.status());
              }
              try {
                return Future.succeededFuture(JwksSource.parsePublic(reply.body().toString(StandardCharsets.UTF_8)));
              } catch (ParseException e) {
                return Future.failedFuture("JWKS is not valid: " + e.getMessage());
              }
            });
  }

  private record Reply(int status, Buffer body) {}

  private Future<Reply> readCapped(HttpClientResponse response) {
    Promise<Reply> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BODY_BYTES) {
            if (done.tryFail("JWKS larger than " + MAX_BODY_BYTES + " bytes")) {
              response.request().reset();
            }
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(new Reply(response.statusCode(), body)));
    return done.future();
  }

  @Override
  public String describe() {
    return url.toString();
  }
}
