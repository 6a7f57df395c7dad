package dev.spillway.core.cache;

import dev.spillway.core.usage.TokenUsage;
import java.util.Optional;

/**
 * Reads an answer's stream as it passes to the client and, at its end, gives the one JSON object the same request would
 * have got without {@code stream}, only when the stream was complete. One per stream; not thread-safe.
 */
public interface StreamAssembler {
  /** Reads the next bytes of the stream, in any chunking. */
  void feed(byte[] bytes, int offset, int length);

  /** The assembled answer with {@code usage}, or empty when the stream was cut, failed, filtered or too long. */
  Optional<byte[]> complete(TokenUsage usage);
}
