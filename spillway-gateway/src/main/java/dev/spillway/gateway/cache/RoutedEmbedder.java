package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.cache.semantic.Embedder;
import dev.spillway.gateway.auth.InternalCaller;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An embedder that asks an embeddings model of the gateway's own {@code models} for its vectors, through the gateway
 * itself: a {@code POST /v1/embeddings} to its own listener as the {@link InternalCaller}, so the call is routed like
 * any caller's (PTU first, spilling to PAYG, limits and ledger of the consumer configured for it). Several texts are
 * one call ({@link #embedAll}). Vectors are made unit length here, whatever the model returns.
 *
 * <p>The cache stage calls {@link #embedAsync}, which does not block: the call is an HTTP request like any other.
 * {@link #embed} (the {@link Embedder} contract, for other callers) blocks until the answer or the timeout, off the
 * event loop (called on an event loop it fails at once rather than block it). A failed call fails the lookup or store,
 * which costs the cache, never the request. Thread-safe.
 */
public final class RoutedEmbedder implements Embedder, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Supplier<Optional<String>> gatewayUrl;
  private final String model;
  private final InternalCaller caller;
  private final Duration timeout;
  private volatile int dimensions = -1;

  /**
   * @param client the HTTP client of the calls
   * @param gatewayUrl the gateway's own base URL, once it listens
   * @param model the logical embeddings model
   * @param caller the credential the calls present
   * @param timeout how long one call may take
   */
  public RoutedEmbedder(
      HttpClient client, Supplier<Optional<String>> gatewayUrl, String model, InternalCaller caller, Duration timeout) {
    this.client = client;
    this.gatewayUrl = gatewayUrl;
    this.model = model;
    this.caller = caller;
    this.timeout = timeout;
  }

  @Override
  public String id() {
    return "routed:" + model;
  }

  /** The length of the model's vectors, once one call has answered; -1 before. */
  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public float[] embed(String text) {
    return embedAll(List.of(text)).get(0);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("an embedder must not be called on an event loop");
    }
    try {
      return embedAllAsync(texts).toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "the embeddings model " + model + " did not answer: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The vector of {@code text}, without blocking: what the cache stage uses on its event loop. */
  public Future<float[]> embedAsync(String text) {
    return embedAllAsync(List.of(text)).map(v -> v.get(0));
  }

  /** The vectors of {@code texts} in one call, without blocking. */
  public Future<List<float[]>> embedAllAsync(List<String> texts) {
    Optional<String> base = gatewayUrl.get();
    if (base.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("the gateway is not listening yet"));
    }
    ObjectNode body = JSON.createObjectNode().put("model", model);
    ArrayNode input = body.putArray("input");
    texts.forEach(input::add);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(base.get() + "/v1/embeddings")
        .putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + caller.bearer())
        .setTimeout(timeout.toMillis());
    return client.request(options)
        .compose(request -> request.send(Buffer.buffer(body.toString())))
        .compose(response -> response.body().compose(b -> response.statusCode() == 200
            ? Future.succeededFuture(b)
            : Future.failedFuture(new IllegalStateException(
                "the embeddings model " + model + " answered " + response.statusCode()))))
        .map(b -> vectors(b, texts.size()));
  }

  /** The unit-length vectors of an embeddings answer, in input order. */
  private List<float[]> vectors(Buffer bytes, int expected) {
    JsonNode data;
    try {
      data = JSON.readTree(bytes.getBytes()).path("data");
    } catch (IOException e) {
      throw new IllegalStateException("the embeddings model " + model + " answered no JSON", e);
    }
    if (!data.isArray() || data.size() != expected) {
      throw new IllegalStateException("the embeddings model " + model + " answered " + data.size() + " vectors for "
          + expected + " texts");
    }
    float[][] out = new float[expected][];
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      JsonNode values = item.path("embedding");
      if (index < 0 || index >= expected || !values.isArray() || values.isEmpty()) {
        throw new IllegalStateException("the embeddings model " + model + " answered a vector without index or values");
      }
      out[index] = unit(values);
    }
    for (float[] v : out) {
      if (v == null) {
        throw new IllegalStateException("the embeddings model " + model + " answered one text's vector twice");
      }
    }
    dimensions = out[0].length;
    return new ArrayList<>(List.of(out));
  }

  /** Closes its HTTP client. */
  @Override
  public void close() {
    client.close();
  }

  private static float[] unit(JsonNode values) {
    float[] v = new float[values.size()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.get(i).asDouble();
      norm += (double) v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }
}
