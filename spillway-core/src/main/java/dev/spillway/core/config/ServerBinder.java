package dev.spillway.core.config;

/**
 * Binds the {@code server:} section to {@link ServerConfig}. Its own class so that each section's
 * rules sit in a file named after it; the shared reading and reporting is {@link ScalarReader}'s.
 * One instance per load; not thread-safe.
 */
final class ServerBinder {
  private final ScalarReader read;

  ServerBinder(ScalarReader read) {
    this.read = read;
  }

  /** Always returns a config; a bad value is reported and replaced by its default. */
  ServerConfig bind(YamlNode.Mapping m) {
    read.checkKeys(m, "server", ConfigBinder.SERVER_KEYS);
    ListenAddress listen =
        read.scalar(m, "listen", "server")
            .flatMap(v -> read.convert(v, ListenAddress::parse))
            .orElse(new ListenAddress(ServerConfig.DEFAULTS.host(), ServerConfig.DEFAULTS.port()));
    long maxBodyBytes =
        read.scalar(m, "maxBodyBytes", "server")
            .flatMap(
                v -> read.convert(v, Sizes::parse).filter(n -> read.positive(v, n > 0, "must be at least 1 byte")))
            .orElse(ServerConfig.DEFAULTS.maxBodyBytes());
    return new ServerConfig(listen.host(), listen.port(), Math.max(1, maxBodyBytes));
  }
}
