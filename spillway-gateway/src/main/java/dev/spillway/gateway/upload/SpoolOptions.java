package dev.spillway.gateway.upload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an upload is spooled: where its temporary file goes, how large the body may be and how long the client may take
 * to send it (the gateway passes {@code server.maxBodyBytes} and {@code server.requestTimeout}).
 *
 * @param directory where spool files are created; it must exist
 * @param maxBytes the largest body accepted; a larger one is {@link BodySpooler.Read.TooLarge}
 * @param timeout the longest the whole body may take to arrive; then {@link BodySpooler.Read.TimedOut}
 */
public record SpoolOptions(Path directory, long maxBytes, Duration timeout) {
  public SpoolOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(timeout, "timeout");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes cannot be negative: " + maxBytes);
    }
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** Spool files in {@code java.io.tmpdir}. */
  public static SpoolOptions of(long maxBytes, Duration timeout) {
    return new SpoolOptions(Path.of(System.getProperty("java.io.tmpdir")), maxBytes, timeout);
  }

  /** The same limits, spooling to {@code dir}. */
  public SpoolOptions withDirectory(Path dir) {
    return new SpoolOptions(dir, maxBytes, timeout);
  }
}
