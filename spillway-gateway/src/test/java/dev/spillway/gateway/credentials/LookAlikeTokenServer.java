package dev.spillway.gateway.credentials;

import static dev.spillway.gateway.credentials.FakeTokenEndpoint.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A look-alike of an Azure token endpoint on loopback (the instance metadata service, App
 * Service's identity endpoint, or Entra ID's token endpoint): records every request's method, path,
 * query, headers and form, and answers the scripted replies in order, then tokens {@code
 * <prefix>-1}, {@code <prefix>-2}, ... by request number.
 */
final class LookAlikeTokenServer implements AutoCloseable {
  /** One request as it arrived. */
  record Seen(String method, String path, MultiMap query, MultiMap headers, MultiMap form) {}

  /** One scripted reply. */
  record Answer(int status, String body) {}

  private final HttpServer server;
  private final List<Seen> seen = new ArrayList<>();
  private final Deque<Answer> scripted = new ArrayDeque<>();
  private volatile IntFunction<JsonObject> token;

  private LookAlikeTokenServer(HttpServer server, IntFunction<JsonObject> token) {
    this.server = server;
    this.token = token;
  }

  /** Answers like the metadata service: numbers as strings, {@code expires_in} one hour. */
  static LookAlikeTokenServer imds(Vertx vertx, String prefix) {
    return start(
        vertx,
        n ->
            new JsonObject()
                .put("access_token", prefix + "-" + n)
                .put("expires_in", "3600")
                .put("expires_on", "1700003600")
                .put("resource", "https://cognitiveservices.azure.com")
                .put("token_type", "Bearer"));
  }

  /** Answers like Entra ID's v2 token endpoint: {@code expires_in} a number of seconds. */
  static LookAlikeTokenServer entra(Vertx vertx, String prefix) {
    return start(
        vertx, n -> new JsonObject().put("token_type", "Bearer").put("expires_in", 3600).put("access_token", prefix + "-" + n));
  }

  static LookAlikeTokenServer start(Vertx vertx, IntFunction<JsonObject> token) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    LookAlikeTokenServer lookAlike = new LookAlikeTokenServer(server, token);
    server.requestHandler(lookAlike::handle);
    await(server.listen());
    return lookAlike;
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  /** Replies to send, in order, before going back to tokens. */
  synchronized LookAlikeTokenServer thenAnswer(int status, String body) {
    scripted.add(new Answer(status, body));
    return this;
  }

  LookAlikeTokenServer tokens(IntFunction<JsonObject> value) {
    token = value;
    return this;
  }

  synchronized List<Seen> seen() {
    return List.copyOf(seen);
  }

  synchronized Seen last() {
    return seen.getLast();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.POST) {
      request.setExpectMultipart(true);
    }
    request.endHandler(v -> answer(request));
  }

  private void answer(HttpServerRequest request) {
    Answer answer;
    synchronized (this) {
      seen.add(
          new Seen(
              request.method().name(),
              request.path(),
              query(request.query()),
              MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
              MultiMap.caseInsensitiveMultiMap().addAll(request.formAttributes())));
      answer = scripted.isEmpty() ? new Answer(200, token.apply(seen.size()).encode()) : scripted.poll();
    }
    request.response().setStatusCode(answer.status()).putHeader("content-type", "application/json").end(answer.body());
  }

  private static MultiMap query(String raw) {
    MultiMap query = MultiMap.caseInsensitiveMultiMap();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.add(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  @Override
  public void close() {
    await(server.close());
  }
}
