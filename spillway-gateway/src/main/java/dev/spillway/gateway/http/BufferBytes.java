package dev.spillway.gateway.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A buffer's bytes as an array slice, without copying when the buffer is heap-backed (every buffer the gateway reads
 * from a connection is: Vert.x hands out unpooled heap copies). Reading a 1 KiB answer used to copy it once per reader
 * ({@code Buffer.getBytes()}: the usage scan, the filter-result check, ...); the slice lets each read the same array.
 *
 * <p>The array is shared with the buffer: readers must not write to it, and must not keep it past the buffer's life.
 */
public record BufferBytes(byte[] array, int offset, int length) {
  /** A view of {@code buffer}'s readable bytes; a copy only when the buffer has no accessible array. */
  public static BufferBytes of(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      ByteBuf buf = internal.getByteBuf();
      if (buf.hasArray()) {
        return new BufferBytes(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
      }
    }
    byte[] copy = buffer.getBytes();
    return new BufferBytes(copy, 0, copy.length);
  }

  /** The bytes as an array of their own: the backing array itself when the view covers it whole. */
  public byte[] toArray() {
    if (offset == 0 && length == array.length) {
      return array;
    }
    return java.util.Arrays.copyOfRange(array, offset, offset + length);
  }
}
