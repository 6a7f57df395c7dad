package dev.spillway.core.sse;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Cuts a server-sent event stream, fed in any chunking, into its lines: each line (without its {@code \n} and any
 * {@code \r}) goes to the consumer given at construction as soon as its end arrives. A line longer than the bound is
 * dropped whole (its bytes are not kept), so a reader's memory stays bounded whatever the stream holds. Not
 * thread-safe: one per stream.
 */
public final class SseLines {
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final Consumer<byte[]> lines;
  private final int maxLine;
  private boolean overlong;

  /**
   * @param lines what reads each whole line
   * @param maxLine the longest line passed on; a longer one is skipped
   */
  public SseLines(Consumer<byte[]> lines, int maxLine) {
    this.lines = lines;
    this.maxLine = maxLine;
  }

  /** Reads the next bytes of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (!overlong) {
          lines.accept(line.toByteArray());
        }
        line.reset();
        overlong = false;
      } else if (b != '\r' && !overlong) {
        if (line.size() >= maxLine) {
          overlong = true;
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
  }

  /** Forgets a line begun (a reader that stops reading). */
  public void reset() {
    line.reset();
  }

  /** Whether {@code line} is a {@code data:} line with something after the colon. */
  public static boolean isData(byte[] line) {
    return line.length >= 6 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a' && line[4] == ':';
  }
}
