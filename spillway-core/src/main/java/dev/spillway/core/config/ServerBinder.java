package dev.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Binds the {@code server:} section, with {@code server.tls}, to {@link ServerConfig}. Its own class
 * so that each section's rules sit in a file named after it; the shared reading and reporting is
 * {@link ScalarReader}'s. One instance per load; not thread-safe.
 */
final class ServerBinder {
  /** Below this a browser's or SDK's ordinary headers (cookies, a JWT) no longer fit. */
  private static final long MIN_HEADER_BYTES = 1024;

  private final ScalarReader read;
  private Optional<ListenAddress> listen = Optional.of(defaultListen());

  ServerBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * server.listen as bound by {@link #bind}, the default when server was never bound, or empty when
   * it was invalid (then nothing is checked against it).
   */
  Optional<ListenAddress> listen() {
    return listen;
  }

  private static ListenAddress defaultListen() {
    return new ListenAddress(ServerConfig.DEFAULTS.host(), ServerConfig.DEFAULTS.port());
  }

  /** Always returns a config; a bad value is reported and replaced by its default. */
  ServerConfig bind(YamlNode.Mapping m) {
    read.checkKeys(m, "server", ConfigBinder.SERVER_KEYS);
    ServerConfig d = ServerConfig.DEFAULTS;
    Optional<ScalarReader.Value> listenText = read.scalar(m, "listen", "server");
    Optional<ListenAddress> parsed = listenText.flatMap(v -> read.convert(v, ListenAddress::parse));
    listen = parsed.isPresent() == listenText.isPresent() ? Optional.of(parsed.orElse(defaultListen())) : Optional.empty();
    ListenAddress address = parsed.orElse(defaultListen());
    long maxBodyBytes =
        read.scalar(m, "maxBodyBytes", "server")
            .flatMap(
                v -> read.convert(v, Sizes::parse).filter(n -> read.positive(v, n > 0, "must be at least 1 byte")))
            .orElse(d.maxBodyBytes());
    int maxHeaderBytes =
        read.scalar(m, "maxHeaderBytes", "server")
            .flatMap(
                v ->
                    read.convert(v, Sizes::parse)
                        .filter(n -> read.positive(v, n >= MIN_HEADER_BYTES, "must be at least 1KiB (1024 bytes)"))
                        .filter(n -> read.positive(v, n <= Integer.MAX_VALUE, "must be less than 2GiB")))
            .map(Long::intValue)
            .orElse(d.maxHeaderBytes());
    int maxMessages =
        read.scalar(m, "maxMessages", "server")
            .flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE))
            .orElse(d.maxMessages());
    Duration requestTimeout =
        read.scalar(m, "requestTimeout", "server").flatMap(read::positiveDuration).orElse(d.requestTimeout());
    Duration idleTimeout =
        read.scalar(m, "idleTimeout", "server").flatMap(read::positiveDuration).orElse(d.idleTimeout());
    Optional<TlsConfig> tls = read.section(m, "tls", "server").flatMap(this::tls);
    int upstreamConnections =
        read.scalar(m, "upstreamConnections", "server")
            .flatMap(v -> read.integer(v, 1, 1_000_000))
            .orElse(d.upstreamConnections());
    Duration drainDelay = read.scalar(m, "drainDelay", "server")
        .flatMap(v -> read.convert(v, Durations::parse))
        .orElse(d.drainDelay());
    Duration drainTimeout = read.scalar(m, "drainTimeout", "server")
        .flatMap(v -> read.convert(v, Durations::parse))
        .orElse(d.drainTimeout());
    return new ServerConfig(address.host(), address.port(), maxBodyBytes, maxHeaderBytes, maxMessages, requestTimeout,
        idleTimeout, tls, upstreamConnections, drainDelay, drainTimeout);
  }

  /** Both files required, and both must exist and be readable now: a listener that cannot start is a config error. */
  private Optional<TlsConfig> tls(YamlNode.Mapping m) {
    String path = "server.tls";
    read.checkKeys(m, path, ConfigBinder.TLS_KEYS);
    Optional<Path> certFile = read.requiredScalar(m, "certFile", path).flatMap(read::readableFile);
    Optional<Path> keyFile = read.requiredScalar(m, "keyFile", path).flatMap(read::readableFile);
    if (certFile.isEmpty() || keyFile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsConfig(certFile.get(), keyFile.get()));
  }
}
