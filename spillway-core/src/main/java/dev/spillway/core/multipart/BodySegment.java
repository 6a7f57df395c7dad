package dev.spillway.core.multipart;

import java.util.Arrays;

/**
 * A piece of a body to send: a byte range of the body as received, or bytes given here. A list of them describes a
 * rewritten body without copying it, so a spooled upload is sent again by streaming its file's ranges around the few
 * bytes that changed.
 */
public sealed interface BodySegment {

  /** Bytes in this segment. */
  long length();

  /**
   * The bytes {@code [start, end)} of the body as received.
   *
   * @param start the first byte's offset, at least 0
   * @param end the offset past the last byte, at least {@code start}
   */
  record Range(long start, long end) implements BodySegment {
    public Range {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad range " + start + ".." + end);
      }
    }

    @Override
    public long length() {
      return end - start;
    }
  }

  /** Bytes that replace or add to the body as received; a copy is kept and handed out. */
  final class Literal implements BodySegment {
    private final byte[] bytes;

    public Literal(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Literal l && Arrays.equals(bytes, l.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Literal[" + bytes.length + " bytes]"; // not the bytes: they may be a field's value
    }
  }
}
