package dev.spillway.core.multipart;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bytes a {@link MultipartScanner} holds for the part it is reading: its header block until it is read, then the
 * start of its body while that can still be a small field's value. Both buffers grow on demand up to their limits and
 * are reused from part to part, so a form of many parts costs no more than its largest. Also counts what the parts
 * found so far keep (header blocks and values), against {@link MultipartScanner.Limits#maxRetainedBytes()}.
 */
final class PartCapture {
  private static final byte[] EMPTY = new byte[0];

  private final MultipartScanner.Limits limits;
  /** Bytes of the delimiter, captured after a body before it is known where the body ends. */
  private final int delimiterLength;

  private byte[] header = EMPTY;
  private int headerLength;
  private PartHead head;
  private long bodyStart;
  private byte[] value = EMPTY;
  private int valueLength;
  private boolean capturing;
  private long retained;

  PartCapture(MultipartScanner.Limits limits, int delimiterLength) {
    this.limits = limits;
    this.delimiterLength = delimiterLength;
  }

  void startHeaders() {
    headerLength = 0;
  }

  int headerLength() {
    return headerLength;
  }

  /** Adds a byte of the header block; true when it ended the block (an empty line, or CRLF alone for no headers). */
  boolean headerByte(byte c) {
    if (headerLength == header.length) {
      header = Arrays.copyOf(header, Math.min(Math.max(256, header.length * 2), limits.maxHeaderBytes()));
    }
    header[headerLength++] = c;
    if (c != '\n' || headerLength < 2 || header[headerLength - 2] != '\r') {
      return false;
    }
    return headerLength == 2
        || (headerLength >= 4 && header[headerLength - 3] == '\n' && header[headerLength - 4] == '\r');
  }

  /** The header block just read. */
  PartHead head() throws PartHead.Unreadable {
    return PartHead.parse(header, headerLength);
  }

  /** Counts {@code bytes} more kept for the parts found; false when that is beyond the limit. */
  boolean retain(long bytes) {
    retained += bytes;
    return retained <= limits.maxRetainedBytes();
  }

  /** A part's body begins at {@code start}; a field's body is captured while it may fit the value limit. */
  void startBody(PartHead partHead, long start) {
    head = partHead;
    bodyStart = start;
    capturing = partHead.filename().isEmpty();
    valueLength = 0;
  }

  /** The part whose body is being read; null before the first part. */
  PartHead partHead() {
    return head;
  }

  long bodyStart() {
    return bodyStart;
  }

  /** Bytes of a body (and of the delimiter that may end it); dropped once the value cannot fit the limit. */
  void append(byte[] b, int from, int to) {
    int n = to - from;
    if (!capturing || n == 0) {
      return;
    }
    int most = limits.maxValueBytes() + delimiterLength;
    if (valueLength + n > most) {
      capturing = false;
      return;
    }
    if (valueLength + n > value.length) {
      value = Arrays.copyOf(value, Math.min(Math.max(valueLength + n, Math.max(64, value.length * 2)), most));
    }
    System.arraycopy(b, from, value, valueLength, n);
    valueLength += n;
  }

  /** The field's value, now that its body is known to be {@code size} bytes; empty for a file or a longer field. */
  Optional<String> value(long size) {
    if (!capturing || size > limits.maxValueBytes() || size > valueLength) {
      return Optional.empty();
    }
    return Optional.of(new String(value, 0, (int) size, StandardCharsets.UTF_8));
  }

  void endPart() {
    head = null;
    capturing = false;
    valueLength = 0;
  }

  /** The form is malformed: nothing more is read, so nothing more is held. */
  void release() {
    header = EMPTY;
    value = EMPTY;
    headerLength = 0;
    valueLength = 0;
    capturing = false;
    head = null;
  }
}
