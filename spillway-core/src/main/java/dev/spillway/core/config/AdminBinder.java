package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the {@code admin:} section to {@link AdminConfig}. Its own class because the admin key is a
 * secret (never in a message) and the admin listener must not collide with the client listener.
 * One instance per load; not thread-safe.
 */
final class AdminBinder {
  private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "*");

  private final ScalarReader read;

  AdminBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * The admin settings; a bad part is reported and left out.
   *
   * @param serverListen the bound client listener, which {@code admin.listen} must not take over;
   *     empty when {@code server.listen} was invalid (then it is not compared)
   * @param issuersDeclared how many {@code auth.jwt} issuers the file lists ({@code jwtRole} needs one)
   */
  AdminConfig bind(YamlNode.Mapping m, Optional<ListenAddress> serverListen, int issuersDeclared) {
    read.checkKeys(m, "admin", ConfigBinder.ADMIN_KEYS);
    Optional<String> apiKey =
        read.scalar(m, "apiKey", "admin").flatMap(v -> read.secret(v, AuthBinder.MIN_SECRET_CHARS));
    Optional<Value> roleText = read.scalar(m, "jwtRole", "admin");
    Optional<String> jwtRole = roleText.flatMap(read::nonBlank);
    if (jwtRole.isPresent() && issuersDeclared == 0) {
      read.problem(
          roleText.get().line(),
          roleText.get().path(),
          "needs at least one issuer under auth.jwt (the role is read from a validated JWT); add one, or remove"
              + " jwtRole");
    }
    Optional<Value> listenText = read.scalar(m, "listen", "admin");
    Optional<ListenAddress> listen = listenText.flatMap(v -> read.convert(v, ListenAddress::parse));
    if (listen.isPresent() && serverListen.isPresent() && collides(listen.get(), serverListen.get())) {
      read.problem(
          listenText.get().line(),
          listenText.get().path(),
          "must not use the same port as server.listen ("
              + serverListen.get()
              + "); leave admin.listen out to serve admin on the client listener");
      listen = Optional.empty();
    }
    MetricsAccess metricsAccess =
        read.scalar(m, "metricsAccess", "admin")
            .flatMap(v -> read.choice(v, MetricsAccess.values(), MetricsAccess::id))
            .orElse(MetricsAccess.LOOPBACK);
    return new AdminConfig(apiKey, jwtRole, listen.map(ListenAddress::toString), metricsAccess);
  }

  /** Same non-zero port on the same host, or on a wildcard host that covers the other. */
  private static boolean collides(ListenAddress admin, ListenAddress server) {
    if (admin.port() == 0 || admin.port() != server.port()) {
      return false;
    }
    return admin.host().equalsIgnoreCase(server.host())
        || WILDCARD_HOSTS.contains(admin.host())
        || WILDCARD_HOSTS.contains(server.host());
  }
}
