package dev.spillway.gateway.admin;

import dev.spillway.core.config.AdminConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.auth.Credentials;
import dev.spillway.gateway.auth.jwt.JwtAuthenticator;
import dev.spillway.gateway.auth.jwt.JwtOutcome;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may use {@code /admin/*}: with {@code admin.apiKey} or {@code admin.jwtRole} configured, only
 * a caller presenting that key (compared in constant time) or a valid JWT carrying that role; with
 * neither, only callers on the loopback interface.
 */
public final class AdminAccess {
  private final AdminConfig config;
  private final Optional<JwtAuthenticator> jwt;

  public AdminAccess(AdminConfig config, Optional<JwtAuthenticator> jwt) {
    this.config = config;
    this.jwt = jwt;
  }

  /** Empty when allowed; otherwise the error to answer with. */
  Future<Optional<GatewayError>> check(HttpServerRequest request) {
    if (config.apiKey().isEmpty() && config.jwtRole().isEmpty()) {
      return Future.succeededFuture(fromLoopback(request.remoteAddress()) ? Optional.empty() : Optional.of(GatewayError.adminForbidden()));
    }
    Optional<String> presented = Credentials.presented(request.headers());
    if (presented.isEmpty()) {
      return Future.succeededFuture(Optional.of(GatewayError.missingCredentials()));
    }
    if (config.apiKey().isPresent() && constantTimeEquals(config.apiKey().get(), presented.get())) {
      return Future.succeededFuture(Optional.empty());
    }
    if (config.jwtRole().isPresent() && jwt.isPresent() && JwtAuthenticator.looksLikeJwt(presented.get())) {
      String role = config.jwtRole().get();
      return jwt.get()
          .authenticate(presented.get())
          .map(
              outcome -> {
                if (outcome instanceof JwtOutcome.Valid valid) {
                  return valid.roles().contains(role) ? Optional.<GatewayError>empty() : Optional.of(GatewayError.adminForbidden());
                }
                return Optional.of(GatewayError.invalidCredentials());
              });
    }
    return Future.succeededFuture(Optional.of(GatewayError.invalidCredentials()));
  }

  private static boolean constantTimeEquals(String expected, String presented) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  static boolean fromLoopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
