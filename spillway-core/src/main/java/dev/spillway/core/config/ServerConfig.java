package dev.spillway.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's listener and the limits it puts on what clients send.
 *
 * @param host interface to bind ({@code 127.0.0.1} by default; {@code 0.0.0.0} for all)
 * @param port TCP port; 0 lets the operating system choose
 * @param maxBodyBytes largest request body accepted; larger bodies get 413
 * @param maxHeaderBytes largest total size of a request's headers; larger get 431
 * @param maxMessages most {@code messages} a chat request may carry; more get 400
 * @param requestTimeout longest time a client may take to send its whole request; then 408
 * @param idleTimeout a connection that sends nothing for this long is closed
 * @param tls HTTPS instead of plain HTTP, when present
 * @param drainDelay on a stop (SIGTERM): how long the listener keeps accepting after readiness turned 503, so that a
 *     load balancer sees the replica go and stops sending to it before connections are refused
 * @param drainTimeout on a stop: how long requests and streams in flight may take to finish after the listener
 *     stopped accepting; those still going then end with {@code 503 gateway_shutting_down} (streams: an SSE error
 *     event)
 */
public record ServerConfig(
    String host,
    int port,
    long maxBodyBytes,
    int maxHeaderBytes,
    int maxMessages,
    Duration requestTimeout,
    Duration idleTimeout,
    Optional<TlsConfig> tls,
    int upstreamConnections,
    Duration drainDelay,
    Duration drainTimeout) {
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
  public static final int DEFAULT_MAX_MESSAGES = 4096;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  /**
   * Connections kept open to one backend at most. Every request in flight holds one for its whole answer (a stream for
   * tens of seconds), so this is the most concurrent requests a backend gets from this replica; more wait for a free
   * connection until their first-byte timeout. The old fixed 1,024 turned the 1,025th concurrent stream into a 504.
   */
  public static final int DEFAULT_UPSTREAM_CONNECTIONS = 16_384;
  /** Long enough for a load balancer's readiness probe (typically every 1-5 s) to see the replica leave. */
  public static final Duration DEFAULT_DRAIN_DELAY = Duration.ofSeconds(2);
  /** Long enough for most completions and streams to finish; a Kubernetes pod's default grace period is 30 s. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);
  public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 8080, DEFAULT_MAX_BODY_BYTES,
      DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_MESSAGES, DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT, Optional.empty(),
      DEFAULT_UPSTREAM_CONNECTIONS, DEFAULT_DRAIN_DELAY, DEFAULT_DRAIN_TIMEOUT);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(drainDelay, "drainDelay");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (drainDelay.isNegative() || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainDelay and drainTimeout must not be negative");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was " + maxHeaderBytes);
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be positive, was " + maxMessages);
    }
    if (!requestTimeout.isPositive() || !idleTimeout.isPositive()) {
      throw new IllegalArgumentException("requestTimeout and idleTimeout must be positive");
    }
    if (upstreamConnections < 1) {
      throw new IllegalArgumentException("upstreamConnections must be positive, was " + upstreamConnections);
    }
  }

  /**
   * A builder that starts at {@link #DEFAULTS} (where a config file without {@code server:} leaves every value): {@code
   * 127.0.0.1:8080}, plain HTTP, the {@code DEFAULT_*} limits of this class.
   */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder holding every value of this listener, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    Builder builder = new Builder()
        .host(host)
        .port(port)
        .maxBodyBytes(maxBodyBytes)
        .maxHeaderBytes(maxHeaderBytes)
        .maxMessages(maxMessages)
        .requestTimeout(requestTimeout)
        .idleTimeout(idleTimeout)
        .upstreamConnections(upstreamConnections)
        .drain(drainDelay, drainTimeout);
    tls.ifPresent(builder::tls);
    return builder;
  }

  /**
   * Collects the values of a {@link ServerConfig}, starting from the config it was made from. Setters reject null;
   * {@link #build()} checks the ranges (the record's rules). Not thread-safe; use it once.
   */
  public static final class Builder {
    private String host;
    private int port;
    private long maxBodyBytes;
    private int maxHeaderBytes;
    private int maxMessages;
    private Duration requestTimeout;
    private Duration idleTimeout;
    private Optional<TlsConfig> tls = Optional.empty();
    private int upstreamConnections;
    private Duration drainDelay = DEFAULT_DRAIN_DELAY;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder() {}

    /** On a stop: keep accepting for {@code delay}, then give requests in flight {@code timeout} to finish. */
    public Builder drain(Duration delay, Duration timeout) {
      this.drainDelay = Objects.requireNonNull(delay, "delay");
      this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** 0 lets the operating system choose. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder maxHeaderBytes(int maxHeaderBytes) {
      this.maxHeaderBytes = maxHeaderBytes;
      return this;
    }

    public Builder maxMessages(int maxMessages) {
      this.maxMessages = maxMessages;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
      return this;
    }

    /** Serve HTTPS with this certificate; unset means plain HTTP. */
    public Builder tls(TlsConfig tls) {
      this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
      return this;
    }

    public Builder upstreamConnections(int upstreamConnections) {
      this.upstreamConnections = upstreamConnections;
      return this;
    }

    /** @throws IllegalArgumentException naming the value that is out of range */
    public ServerConfig build() {
      return new ServerConfig(
          host, port, maxBodyBytes, maxHeaderBytes, maxMessages, requestTimeout, idleTimeout, tls, upstreamConnections,
          drainDelay, drainTimeout);
    }
  }
}
