package dev.spillway.gateway;

import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.Router;
import dev.spillway.gateway.proxy.InboundHandler;
import dev.spillway.gateway.proxy.ProxyContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running gateway: one HTTP listener in front of the configured pools. Built from an immutable
 * {@link SpillwayConfig}; all mutable state (throttles, in-flight counts) lives in the pools.
 */
public final class GatewayServer {
  private final SpillwayConfig config;
  private final Map<String, Pool> pools;
  private final HttpServer server;
  private final HttpClient client;
  private final AtomicBoolean ready;

  private GatewayServer(
      SpillwayConfig config, Map<String, Pool> pools, HttpServer server, HttpClient client, AtomicBoolean ready) {
    this.config = config;
    this.pools = pools;
    this.server = server;
    this.client = client;
    this.ready = ready;
  }

  /** Binds the listener; the future completes once the gateway accepts requests. */
  public static Future<GatewayServer> start(Vertx vertx, SpillwayConfig config, GatewayOptions options) {
    Map<String, Pool> pools = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      pools.put(model.name(), new Pool(model, config.routing().breaker()));
    }
    Map<String, Pool> frozen = Collections.unmodifiableMap(pools);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(1024));
    Router router = new Router(config.routing());
    ProxyContext ctx =
        new ProxyContext(vertx, client, router, options.ticker(), options.random(), options.listener());
    AtomicBoolean ready = new AtomicBoolean(false);
    InboundHandler handler = new InboundHandler(ctx, frozen, config.server().maxBodyBytes(), ready::get);
    HttpServerOptions serverOptions =
        new HttpServerOptions()
            .setHost(config.server().host())
            .setPort(config.server().port())
            .setTcpNoDelay(true)
            .setCompressionSupported(false);
    return vertx
        .createHttpServer(serverOptions)
        .requestHandler(handler)
        .listen()
        .map(
            server -> {
              ready.set(true);
              return new GatewayServer(config, frozen, server, client, ready);
            });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://host:port}, with the bound host ({@code 127.0.0.1} when bound to all interfaces). */
  public String baseUrl() {
    String host = config.server().host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  public SpillwayConfig config() {
    return config;
  }

  /** Logical model name to its pool, in config order. */
  public Map<String, Pool> pools() {
    return pools;
  }

  /** Turns readiness off, stops accepting, and closes upstream connections. */
  public Future<Void> close() {
    ready.set(false);
    return server.close().compose(v -> client.close());
  }
}
