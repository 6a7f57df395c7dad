package dev.spillway.core.config;

/**
 * Whether the gateway speaks HTTP/2 to a backend ({@code http2:} of a backend). With HTTP/2 many requests and streams
 * share a few connections to the backend (multiplexed), instead of one connection each.
 */
public enum Http2Mode {
  /** HTTP/1.1 only. */
  OFF("off"),
  /**
   * The default: over TLS, HTTP/2 when the backend agrees to it in the handshake (ALPN offers {@code h2} and {@code
   * http/1.1}); without TLS, HTTP/1.1 (a cleartext backend cannot be asked).
   */
  AUTO("auto"),
  /** HTTP/2 always: over TLS {@code h2} only; without TLS {@code h2c} with prior knowledge (no upgrade round trip). */
  ON("on");

  private final String id;

  Http2Mode(String id) {
    this.id = id;
  }

  /** The config value. */
  public String id() {
    return id;
  }
}
