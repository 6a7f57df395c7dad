package dev.spillway.gateway.auth;

import io.vertx.core.MultiMap;
import java.util.Optional;

/** Where a client's credential is found: {@code api-key}, or {@code Authorization: Bearer}. */
public final class Credentials {
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
    return Optional.empty();
  }
}
