package dev.spillway.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578) that never holds a file part: it is fed
 * the body chunk by chunk, keeps text fields (up to {@value #MAX_FIELD_BYTES} bytes each) and, of each
 * file part, only its name, filename, content type, size and first {@value #HEAD_BYTES} bytes (enough
 * for a WAV or PNG header). What it retains is bounded whatever the upload's size, and reported by
 * {@link #maxRetainedBytes()}.
 *
 * <p>Why not Vert.x's {@code setExpectMultipart}: Netty's decoder under it buffers undecoded input
 * until 10 MB before compacting, per request, which is the kind of memory a simulator taking 50 MB
 * uploads must not hold.
 *
 * <p>The body is scanned for the delimiter {@code CRLF--boundary}; the parser starts as if a CRLF
 * preceded the body, so the first boundary line needs no special case. A preamble and an epilogue are
 * ignored, transport padding after a boundary is skipped. Not thread-safe: one per request.
 */
final class MultipartReader {
  static final int HEAD_BYTES = 4096;
  static final int MAX_FIELD_BYTES = 64 * 1024;
  static final int MAX_HEADER_BYTES = 8 * 1024;
  static final int MAX_PARTS = 100;
  private static final byte[] CRLF = {'\r', '\n'};

  private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, CONTENT, DONE }

  private final byte[] delimiter;
  private State state = State.PREAMBLE;
  private byte[] carry = CRLF;
  private final ByteArrayOutputStream headers = new ByteArrayOutputStream();
  private int headerTail; // the last four header bytes, for spotting the blank line
  private final List<MultipartForm.Field> fields = new ArrayList<>();
  private final List<MultipartForm.FilePart> files = new ArrayList<>();
  private String partName;
  private String partFilename; // null for a text field
  private String partContentType;
  private long partSize;
  private ByteArrayOutputStream partBytes; // a field's value, or a file's head
  private long kept; // bytes of finished fields and file heads
  private long maxRetained;

  private final int fileBytesKept;

  /** @param boundary the {@code boundary} parameter of the request's content type */
  MultipartReader(String boundary) {
    this(boundary, HEAD_BYTES);
  }

  /**
   * @param boundary the {@code boundary} parameter of the request's content type
   * @param fileBytesKept how many of each file's first bytes are kept: {@link #HEAD_BYTES}, or a file's whole size
   *     where the simulator stores uploads (the files API)
   */
  MultipartReader(String boundary, int fileBytesKept) {
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.fileBytesKept = fileBytesKept;
  }

  /**
   * The boundary of a {@code multipart/form-data} content type, or empty for any other content type
   * (or one without a usable boundary: 1 to 70 characters, RFC 2046).
   */
  static Optional<String> boundary(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    List<String> params = HeaderParams.split(contentType);
    if (!params.getFirst().strip().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return Optional.empty();
    }
    return HeaderParams.param(params, "boundary").filter(b -> !b.isEmpty() && b.length() <= 70);
  }

  /** Parses the next chunk of the body; throws {@link InvalidRequestException} once it is malformed. */
  void feed(byte[] chunk) {
    if (state == State.DONE || chunk.length == 0) {
      return;
    }
    byte[] data = carry.length == 0 ? chunk : concat(carry, chunk);
    carry = new byte[0];
    int pos = 0;
    int end = data.length;
    while (pos < end && state != State.DONE) {
      switch (state) {
        case PREAMBLE, CONTENT -> {
          int at = indexOf(data, pos, end);
          if (at < 0) {
            int safe = end - partialDelimiterAt(data, pos, end);
            content(data, pos, safe);
            carry = Arrays.copyOfRange(data, safe, end);
            pos = end;
          } else {
            content(data, pos, at);
            if (state == State.CONTENT) {
              endPart();
            }
            pos = at + delimiter.length;
            state = State.AFTER_DELIMITER;
          }
        }
        case AFTER_DELIMITER -> {
          if (data[pos] == ' ' || data[pos] == '\t') {
            pos++; // transport padding
          } else if (end - pos < 2) {
            carry = Arrays.copyOfRange(data, pos, end);
            pos = end;
          } else if (data[pos] == '-' && data[pos + 1] == '-') {
            state = State.DONE; // the rest is the epilogue
          } else if (data[pos] == '\r' && data[pos + 1] == '\n') {
            pos += 2;
            headers.reset();
            headerTail = 0;
            state = State.HEADERS;
          } else {
            throw malformed("a boundary line must end with CRLF");
          }
        }
        case HEADERS -> pos = headers(data, pos, end);
        case DONE -> pos = end;
      }
    }
    maxRetained = Math.max(maxRetained, retainedBytes());
  }

  /** The form, once the whole body has been fed; throws if the closing boundary never came. */
  MultipartForm finish() {
    if (state != State.DONE) {
      throw malformed("the body ended before the closing boundary");
    }
    return new MultipartForm(List.copyOf(fields), List.copyOf(files));
  }

  /** The most bytes this reader has held at once (fields, file heads, headers and carry-over). */
  long maxRetainedBytes() {
    return maxRetained;
  }

  private long retainedBytes() {
    return kept + carry.length + headers.size() + (partBytes == null ? 0 : partBytes.size());
  }

  /** Collects header bytes up to the blank line (or the lone CRLF of a part without headers). */
  private int headers(byte[] data, int pos, int end) {
    while (pos < end) {
      byte b = data[pos++];
      headers.write(b);
      headerTail = headerTail << 8 | (b & 0xff);
      int n = headers.size();
      if (n > MAX_HEADER_BYTES) {
        throw malformed("part headers longer than " + MAX_HEADER_BYTES + " bytes");
      }
      if (n == 2 && (headerTail & 0xffff) == 0x0d0a || n >= 4 && headerTail == 0x0d0a0d0a) {
        startPart(headers.toString(StandardCharsets.UTF_8));
        state = State.CONTENT;
        return pos;
      }
    }
    return pos;
  }

  private void startPart(String headerBlock) {
    if (fields.size() + files.size() >= MAX_PARTS) {
      throw malformed("more than " + MAX_PARTS + " parts");
    }
    String disposition = null;
    partContentType = null;
    for (String line : headerBlock.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-disposition")) {
        disposition = value;
      } else if (name.equals("content-type")) {
        partContentType = value;
      }
    }
    if (disposition == null) {
      throw malformed("a part has no Content-Disposition header");
    }
    List<String> params = HeaderParams.split(disposition);
    if (!params.getFirst().strip().equalsIgnoreCase("form-data")) {
      throw malformed("a part's Content-Disposition is not form-data");
    }
    partName = HeaderParams.param(params, "name").filter(n -> !n.isEmpty())
        .orElseThrow(() -> malformed("a part's Content-Disposition has no name"));
    partFilename = HeaderParams.param(params, "filename").orElse(null);
    partSize = 0;
    partBytes = new ByteArrayOutputStream();
  }

  private void content(byte[] data, int from, int to) {
    if (state != State.CONTENT || to <= from) {
      return;
    }
    int length = to - from;
    partSize += length;
    int limit = partFilename == null ? MAX_FIELD_BYTES : fileBytesKept;
    if (partFilename == null && partSize > limit) {
      throw malformed("the field '" + partName + "' is longer than " + MAX_FIELD_BYTES + " bytes");
    }
    int keep = Math.min(length, Math.max(0, limit - partBytes.size()));
    partBytes.write(data, from, keep);
  }

  private void endPart() {
    byte[] bytes = partBytes.toByteArray();
    kept += bytes.length;
    if (partFilename == null) {
      fields.add(new MultipartForm.Field(partName, new String(bytes, StandardCharsets.UTF_8)));
    } else {
      files.add(new MultipartForm.FilePart(partName, partFilename, partContentType, partSize, bytes));
    }
    partBytes = null;
  }

  /** Where the delimiter starts in {@code data[from, to)}, or -1. */
  private int indexOf(byte[] data, int from, int to) {
    int last = to - delimiter.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (data[i] != '\r') {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (data[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The length of the longest tail of {@code data[from, to)} that is a proper prefix of the delimiter. */
  private int partialDelimiterAt(byte[] data, int from, int to) {
    for (int k = Math.min(delimiter.length - 1, to - from); k > 0; k--) {
      if (Arrays.equals(data, to - k, to, delimiter, 0, k)) {
        return k;
      }
    }
    return 0;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static InvalidRequestException malformed(String why) {
    return new InvalidRequestException("Malformed multipart/form-data body: " + why + ".", null);
  }
}
