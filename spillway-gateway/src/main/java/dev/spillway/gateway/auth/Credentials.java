package dev.spillway.gateway.auth;

import io.vertx.core.MultiMap;
import java.util.Optional;

/**
 * Where a client's credential is found: {@code api-key}, {@code Authorization: Bearer}, or — for a WebSocket upgrade
 * from a browser, which cannot set headers — the {@code openai-insecure-api-key.<key>} subprotocol of {@code
 * Sec-WebSocket-Protocol}, as OpenAI's realtime clients send it.
 */
public final class Credentials {
  private static final String SUBPROTOCOL_KEY = "openai-insecure-api-key.";

  private Credentials() {}

  /** The presented credential, trimmed; empty when the request carries none. */
  public static Optional<String> presented(MultiMap headers) {
    String apiKey = headers.get("api-key");
    if (apiKey != null && !apiKey.isBlank()) {
      return Optional.of(apiKey.trim());
    }
    String authorization = headers.get("authorization");
    if (authorization != null) {
      String a = authorization.trim();
      if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = a.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
      }
    }
    String protocols = headers.get("sec-websocket-protocol");
    if (protocols != null) {
      for (String protocol : protocols.split(",")) {
        String p = protocol.trim();
        if (p.startsWith(SUBPROTOCOL_KEY) && p.length() > SUBPROTOCOL_KEY.length()) {
          return Optional.of(p.substring(SUBPROTOCOL_KEY.length()));
        }
      }
    }
    return Optional.empty();
  }
}
