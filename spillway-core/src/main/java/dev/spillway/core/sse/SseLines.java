package dev.spillway.core.sse;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a server-sent event stream, fed in any chunking, into its lines: each line (without its {@code \n} and any
 * {@code \r}) goes to the consumer given at construction as soon as its end arrives. A line longer than the bound is
 * dropped whole (its bytes are not kept), so a reader's memory stays bounded whatever the stream holds. Not
 * thread-safe: one per stream.
 */
public final class SseLines {
  private final Consumer<byte[]> lines;
  private final int maxLine;
  private byte[] line = new byte[256];
  private int length;
  private boolean overlong;

  /**
   * @param lines what reads each whole line
   * @param maxLine the longest line passed on; a longer one is skipped
   */
  public SseLines(Consumer<byte[]> lines, int maxLine) {
    this.lines = lines;
    this.maxLine = maxLine;
  }

  /** Reads the next bytes of the stream: copies runs between line ends at once rather than byte by byte. */
  public void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int from = offset;
    while (from < end) {
      int newline = from;
      while (newline < end && bytes[newline] != '\n') {
        newline++;
      }
      keep(bytes, from, newline);
      if (newline == end) {
        return;
      }
      if (!overlong) {
        lines.accept(Arrays.copyOf(line, this.length));
      }
      this.length = 0;
      overlong = false;
      from = newline + 1;
    }
  }

  /** Adds {@code bytes[from, to)}, less any {@code \r}, to the line begun, or drops the line once it is too long. */
  private void keep(byte[] bytes, int from, int to) {
    int run = from;
    for (int i = from; i <= to && !overlong; i++) {
      if (i == to || bytes[i] == '\r') {
        append(bytes, run, i - run);
        run = i + 1;
      }
    }
  }

  private void append(byte[] bytes, int from, int n) {
    if (n == 0) {
      return;
    }
    if (length + n > maxLine) {
      overlong = true;
      length = 0;
      return;
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(length + n, Math.min(maxLine, line.length * 2)));
    }
    System.arraycopy(bytes, from, line, length, n);
    length += n;
  }

  /** Forgets a line begun (a reader that stops reading). */
  public void reset() {
    length = 0;
  }

  /** Whether {@code line} is a {@code data:} line with something after the colon. */
  public static boolean isData(byte[] line) {
    return line.length >= 6 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':';
  }
}
