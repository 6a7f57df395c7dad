package dev.spillway.gateway.cache;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.RoutedEmbedding;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.auth.InternalCaller;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the gateway needs to call itself: the {@link InternalCaller} credential and its own base URL, known once it
 * listens. Made only when the
 * config asks for it: the semantic cache's {@code embeddingsModel}.
 */
public final class SelfCalls {
  private final Vertx vertx;
  private final InternalCaller caller;
  private final AtomicReference<String> baseUrl = new AtomicReference<>();
  private final RoutedEmbedding embedding;

  private SelfCalls(Vertx vertx, InternalCaller caller, RoutedEmbedding embedding) {
    this.vertx = vertx;
    this.caller = caller;
    this.embedding = embedding;
  }

  /**
   * The self calls {@code config} needs, or empty. Fails when the cache's {@code embeddingsModel} is not one of the
   * gateway's models, or its {@code embeddingsConsumer} is not a consumer, or none is named on a gateway that
   * requires one.
   */
  public static Optional<SelfCalls> forConfig(Vertx vertx, SpillwayConfig config) {
    Optional<RoutedEmbedding> routed = config.policySettings().get(CacheSettings.class).flatMap(CacheSettings::embedding);
    if (routed.isEmpty()) {
      return Optional.empty();
    }
    RoutedEmbedding e = routed.get();
    if (!config.models().containsKey(e.model())) {
      throw new IllegalArgumentException("cache.semantic.embeddingsModel: '" + e.model() + "' is not one of the models");
    }
    if (e.consumer().isPresent() && config.consumers().stream().noneMatch(c -> c.id().equals(e.consumer().get()))) {
      throw new IllegalArgumentException(
          "cache.semantic.embeddingsConsumer: '" + e.consumer().get() + "' is not one of the consumers");
    }
    if (e.consumer().isEmpty() && config.auth().required()) {
      throw new IllegalArgumentException(
          "cache.semantic.embeddingsConsumer: the gateway requires a consumer for every call; name the one its embedding calls are made as");
    }
    return Optional.of(new SelfCalls(vertx, InternalCaller.create(e.consumer()), e));
  }

  /** The credential the gateway's own calls present; its authenticator accepts it. */
  public InternalCaller caller() {
    return caller;
  }

  /** Called once the gateway listens. */
  public void listening(String url) {
    baseUrl.set(url);
  }

  /**
   * The embedder that calls the configured embeddings model through the gateway, with an HTTP client of its own
   * (closed with it) that trusts the gateway's own certificate: it only ever calls the gateway's own listener.
   */
  RoutedEmbedder embedder() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setTrustAll(true).setVerifyHost(false));
    return new RoutedEmbedder(client, () -> Optional.ofNullable(baseUrl.get()), embedding.model(), caller,
        Duration.ofSeconds(10));
  }
}
