package dev.spillway.gateway.edge;

import dev.spillway.core.config.ServerConfig;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** The Vert.x options of a listener from {@code server:}: address, header size, idle timeout, TLS with ALPN. */
public final class ListenerOptions {
  private ListenerOptions() {}

  public static HttpServerOptions of(ServerConfig server) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(server.host())
            .setPort(server.port())
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            // No h2c: it would hide new connections until their headers are complete (see
            // HeaderDeadline). HTTP/2 is offered over TLS through ALPN instead.
            .setHttp2ClearTextEnabled(false)
            .setMaxHeaderSize(server.maxHeaderBytes())
            .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, server.idleTimeout().toMillis())))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            // Realtime: the subprotocols OpenAI's clients offer (the key one is read, never selected), and messages
            // as large as a response.done with its whole output.
            .setWebSocketSubProtocols(java.util.List.of("realtime", "openai-beta.realtime-v1"))
            .setMaxWebSocketMessageSize(dev.spillway.gateway.http.WebSocketLimits.MAX_MESSAGE_BYTES);
    server.tls().ifPresent(tls -> options.setSsl(true).setUseAlpn(true).setKeyCertOptions(TlsReloader.pem(tls)));
    return options;
  }
}
