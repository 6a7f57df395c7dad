package dev.spillway.gateway.http;

import io.vertx.core.buffer.Buffer;

/**
 * A body read chunk by chunk and kept whole. A small body arrives in one chunk, which Vert.x already copied for this
 * body alone (its connection reads hand out unpooled copies): that chunk is kept as it is, not copied again into a
 * buffer of its own; a second chunk starts one, sized for both. Not thread-safe: one reader on one event loop.
 */
public final class Chunks {
  private Buffer first;
  private Buffer joined;

  /** Bytes so far. */
  public int length() {
    return joined != null ? joined.length() : first != null ? first.length() : 0;
  }

  /** Adds {@code chunk}, which must not change afterwards (Vert.x's read chunks do not). */
  public void append(Buffer chunk) {
    if (joined != null) {
      joined.appendBuffer(chunk);
    } else if (first == null) {
      first = chunk;
    } else {
      joined = Buffer.buffer(first.length() + chunk.length()).appendBuffer(first).appendBuffer(chunk);
      first = null;
    }
  }

  /** The body so far; an empty buffer when nothing came. */
  public Buffer whole() {
    return joined != null ? joined : first != null ? first : Buffer.buffer();
  }
}
