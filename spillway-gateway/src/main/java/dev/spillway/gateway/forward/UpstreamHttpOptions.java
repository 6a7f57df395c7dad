package dev.spillway.gateway.forward;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Http2Mode;
import dev.spillway.core.config.ServerConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP client settings towards a backend: its TLS ({@link BackendTlsOptions}) and its protocol ({@link
 * Http2Mode}). Over HTTP/1.1 each request in flight holds a connection of its own (up to {@code
 * server.upstreamConnections} per backend endpoint); over HTTP/2 requests share at most {@value #HTTP2_CONNECTIONS}
 * connections per endpoint, each carrying as many streams at once as the backend allows (its {@code
 * SETTINGS_MAX_CONCURRENT_STREAMS}), so 10,000 client streams need about 10,000 sockets, not 20,000.
 */
public final class UpstreamHttpOptions {
  /** HTTP/2 connections at most per backend endpoint. */
  public static final int HTTP2_CONNECTIONS = 64;
  /**
   * The HTTP/2 connection's receive window: many streams share it, and a small one (65,535 bytes by default) would
   * throttle them all when the client reads slowly.
   */
  static final int HTTP2_CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

  private UpstreamHttpOptions() {}

  /** Whether {@code backend} needs a client of its own (special TLS, or HTTP/2), rather than the shared HTTP/1.1 one. */
  public static boolean needsOwnClient(BackendConfig backend) {
    return !backend.tls().isDefault() || speaksHttp2(backend);
  }

  /** Whether requests to {@code backend} may go over HTTP/2: always with {@code on}, over TLS with {@code auto}. */
  public static boolean speaksHttp2(BackendConfig backend) {
    return switch (backend.http2()) {
      case OFF -> false;
      case ON -> true;
      case AUTO -> isTls(backend);
    };
  }

  /** The client options for {@code backend}. */
  public static HttpClientOptions clientOptions(BackendConfig backend) {
    HttpClientOptions options = backend.tls().isDefault()
        ? new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false)
        : BackendTlsOptions.clientOptions(backend.tls());
    if (!speaksHttp2(backend)) {
      return options;
    }
    options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ConnectionWindowSize(HTTP2_CONNECTION_WINDOW_BYTES);
    if (isTls(backend)) {
      options.setUseAlpn(true).setAlpnVersions(backend.http2() == Http2Mode.ON
          ? List.of(HttpVersion.HTTP_2)
          : List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      // Prior knowledge: the connection opens with HTTP/2's preface, no HTTP/1.1 upgrade request first.
      options.setHttp2ClearTextUpgrade(false);
    }
    return options;
  }

  /** The connection pool per backend endpoint: {@code server.upstreamConnections} for HTTP/1.1, a few for HTTP/2. */
  public static PoolOptions pool(ServerConfig server) {
    return new PoolOptions().setHttp1MaxSize(server.upstreamConnections())
        .setHttp2MaxSize(Math.min(server.upstreamConnections(), HTTP2_CONNECTIONS));
  }

  private static boolean isTls(BackendConfig backend) {
    return backend.url().getScheme().toLowerCase(Locale.ROOT).equals("https");
  }
}
