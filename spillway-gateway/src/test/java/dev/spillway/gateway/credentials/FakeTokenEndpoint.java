package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Entra-like token endpoint on loopback: counts requests, checks the client-credentials form,
 * answers {@code token-1}, {@code token-2}, ... or a scripted failure, and can hold its answers
 * until the test releases them, so a test sees exactly what callers do while a fetch is under way.
 */
final class FakeTokenEndpoint implements AutoCloseable {
  static final String CLIENT_ID = "client-id-123";
  static final String CLIENT_SECRET = "client-secret-xyz-987";
  static final String SCOPE = "https://cognitiveservices.azure.com/.default";

  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger badForms = new AtomicInteger();
  private final List<Runnable> held = new ArrayList<>();
  private final List<Promise<Void>> arrivalWaiters = new ArrayList<>();
  private volatile boolean holding;
  private volatile int failWithStatus;
  private volatile String failureBody = "";
  private volatile long expiresInSeconds = 3600;

  private FakeTokenEndpoint(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static FakeTokenEndpoint start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    FakeTokenEndpoint endpoint = new FakeTokenEndpoint(vertx, server);
    server.requestHandler(endpoint::handle);
    await(server.listen());
    return endpoint;
  }

  URI tokenUrl() {
    return URI.create("http://127.0.0.1:" + server.actualPort() + "/tenant-1/oauth2/v2.0/token?debug=1");
  }

  int requests() {
    return requests.get();
  }

  int badForms() {
    return badForms.get();
  }

  /** From now on, answers wait for {@link #release()}. */
  FakeTokenEndpoint hold() {
    holding = true;
    return this;
  }

  /** Sends every held answer and stops holding. */
  void release() {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(
        v -> {
          synchronized (this) {
            holding = false;
            held.forEach(Runnable::run);
            held.clear();
          }
          done.complete();
        });
    await(done.future());
  }

  /** Completes once {@code count} requests have arrived in total. */
  Future<Void> arrived(int count) {
    synchronized (this) {
      if (requests.get() >= count) {
        return Future.succeededFuture();
      }
      Promise<Void> waiter = Promise.promise();
      arrivalWaiters.add(waiter);
      return waiter.future().compose(v -> arrived(count));
    }
  }

  FakeTokenEndpoint failWith(int status, String body) {
    failWithStatus = status;
    failureBody = body;
    return this;
  }

  FakeTokenEndpoint succeed() {
    failWithStatus = 0;
    return this;
  }

  FakeTokenEndpoint expiresIn(long seconds) {
    expiresInSeconds = seconds;
    return this;
  }

  private void handle(HttpServerRequest request) {
    request.setExpectMultipart(true);
    request.endHandler(v -> answer(request, request.formAttributes()));
  }

  private void answer(HttpServerRequest request, MultiMap form) {
    int number;
    List<Promise<Void>> toWake;
    synchronized (this) {
      number = requests.incrementAndGet();
      toWake = new ArrayList<>(arrivalWaiters);
      arrivalWaiters.clear();
    }
    boolean formOk =
        request.method().name().equals("POST")
            && String.valueOf(request.getHeader("content-type")).startsWith("application/x-www-form-urlencoded")
            && "client_credentials".equals(form.get("grant_type"))
            && CLIENT_ID.equals(form.get("client_id"))
            && CLIENT_SECRET.equals(form.get("client_secret"))
            && SCOPE.equals(form.get("scope"));
    Runnable reply;
    if (!formOk) {
      badForms.incrementAndGet();
      reply = () -> request.response().setStatusCode(400).end("{\"error\":\"invalid_request\"}");
    } else if (failWithStatus != 0) {
      int status = failWithStatus;
      String body = failureBody;
      reply = () -> request.response().setStatusCode(status).end(body);
    } else {
      JsonObject token = new JsonObject().put("token_type", "Bearer").put("expires_in", expiresInSeconds).put("access_token", "token-" + number);
      reply = () -> request.response().putHeader("content-type", "application/json").end(token.encode());
    }
    synchronized (this) {
      if (holding) {
        held.add(reply);
      } else {
        reply.run();
      }
    }
    toWake.forEach(Promise::tryComplete);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("timed out or interrupted awaiting " + future, e);
    }
  }

  @Override
  public void close() {
    await(server.close());
  }
}
