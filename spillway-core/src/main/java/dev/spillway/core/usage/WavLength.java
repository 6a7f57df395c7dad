package dev.spillway.core.usage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;

/**
 * How long a WAV file plays, from its RIFF header: the {@code data} chunk's bytes divided by the {@code fmt } chunk's
 * byte rate. The gateway uses it to book the seconds of a transcription whose answer did not say how long the audio
 * was (a transcript asked for as text), so the length is an estimate of what the backend bills, marked as such.
 *
 * <p>Reads only chunk headers and the first 16 bytes of {@code fmt }, skipping the other chunks ({@code LIST},
 * {@code fact}, ...), never the samples. A {@code data} length of 0 or {@code 0xFFFFFFFF} (a recorder that could not
 * seek back to write it), or one larger than the file, counts the bytes the file has after the header instead. At most
 * {@value #MAX_CHUNKS} chunks are looked at. Pure; thread-safe.
 */
public final class WavLength {
  /** Chunks read before giving up: a real file has {@code fmt }, {@code data} and a few of metadata. */
  static final int MAX_CHUNKS = 64;

  private static final long UNKNOWN_LENGTH = 0xFFFF_FFFFL;

  private WavLength() {}

  /**
   * The seconds of the WAV file that {@code in} starts with, or empty when it is not one (no RIFF/WAVE header, no
   * {@code fmt } before {@code data}, a byte rate of 0, or a header cut short).
   *
   * @param in positioned at the file's first byte; read no further than {@code size} bytes
   * @param size the file's bytes
   */
  public static OptionalDouble seconds(InputStream in, long size) throws IOException {
    try {
      return read(in, size);
    } catch (EOFException cutShort) {
      return OptionalDouble.empty();
    }
  }

  private static OptionalDouble read(InputStream in, long size) throws IOException {
    if (size < 12) {
      return OptionalDouble.empty();
    }
    ByteBuffer riff = exactly(in, 12);
    if (!tag(riff, 0).equals("RIFF") || !tag(riff, 8).equals("WAVE")) {
      return OptionalDouble.empty();
    }
    long position = 12;
    long byteRate = 0;
    for (int chunk = 0; chunk < MAX_CHUNKS && position + 8 <= size; chunk++) {
      ByteBuffer head = exactly(in, 8);
      String id = tag(head, 0);
      long length = head.getInt(4) & 0xFFFF_FFFFL;
      position += 8;
      if (id.equals("data")) {
        if (byteRate == 0) {
          return OptionalDouble.empty();
        }
        long left = size - position;
        long bytes = length == 0 || length == UNKNOWN_LENGTH || length > left ? left : length;
        return OptionalDouble.of((double) bytes / byteRate);
      }
      long skip = length + (length & 1); // chunks are padded to an even length
      if (id.equals("fmt ")) {
        if (length < 16 || position + 16 > size) {
          return OptionalDouble.empty();
        }
        byteRate = exactly(in, 16).getInt(8) & 0xFFFF_FFFFL;
        skip -= 16;
        position += 16;
      }
      if (position + skip > size) {
        return OptionalDouble.empty();
      }
      in.skipNBytes(skip);
      position += skip;
    }
    return OptionalDouble.empty();
  }

  private static ByteBuffer exactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException();
    }
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String tag(ByteBuffer bytes, int at) {
    return new String(bytes.array(), at, 4, StandardCharsets.US_ASCII);
  }
}
