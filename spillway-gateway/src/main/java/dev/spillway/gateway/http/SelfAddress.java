package dev.spillway.gateway.http;

import dev.spillway.core.config.ServerConfig;

/**
 * The URL at which the gateway reaches its own listener: its host (loopback when it listens on every address), the
 * port it got, and https when it serves TLS.
 */
public final class SelfAddress {
  private SelfAddress() {}

  public static String baseUrl(ServerConfig server, int port) {
    String host = server.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (server.tls().isPresent() ? "https://" : "http://") + host + ":" + port;
  }
}
