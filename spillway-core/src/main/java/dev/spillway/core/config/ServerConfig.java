package dev.spillway.core.config;

import java.util.Objects;

/**
 * The gateway's listener.
 *
 * @param host interface to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port TCP port; 0 lets the operating system choose
 * @param maxBodyBytes largest request body accepted; larger bodies get 413
 */
public record ServerConfig(String host, int port, long maxBodyBytes) {
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, DEFAULT_MAX_BODY_BYTES);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, maxBodyBytes);
  }
}
