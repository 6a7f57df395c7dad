package dev.spillway.core.multipart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578 on RFC 2046) as its bytes pass, in any chunking, without keeping
 * them: the gateway spools an upload to disk and needs from it only where each part lies and the few small form fields
 * it routes and meters by ({@code model}, {@code purpose}, {@code n}, ...), which clients may send after the file.
 *
 * <p>What it keeps is bounded whatever arrives ({@link Limits}): one part's header block, one small field's value, and
 * per part its name, file name and content type. It reports each part's body as an absolute byte range of the stream,
 * and the value of each part without a file name whose body is at most {@link Limits#maxValueBytes()}.
 *
 * <p>The delimiter {@code CRLF "--" boundary} is found with a matcher that remembers only how many of its bytes the
 * last bytes fed matched, so a delimiter cut across feeds is found and no byte is looked at twice (linear time). The
 * boundary cannot contain a CR ({@link #boundary(String)} refuses one), so after a mismatch the match restarts at 0 or,
 * on a CR, at 1: the delimiter has no other border. The stream is read as if a CRLF came before it, so the first
 * delimiter may open the stream (no preamble).
 *
 * <p>Strict where parsers disagree, since a gateway that reads a form differently from its backend routes by one
 * {@code model} while the backend serves another: the delimiter string anywhere but in a delimiter line (followed by
 * {@code --}, or by optional spaces or tabs and CRLF), a part whose body begins with the delimiter without its own
 * CRLF, a part header block without {@code Content-Disposition: form-data; name=...}, duplicate {@code
 * Content-Disposition}, {@code Content-Type} or parameters: each is {@link Verdict#MALFORMED}. The preamble and the
 * epilogue after the closing delimiter are ignored.
 *
 * <p>Not thread-safe: one instance per body, fed from one thread.
 */
public final class MultipartScanner {
  /** RFC 2046's longest boundary. */
  public static final int MAX_BOUNDARY_LENGTH = 70;

  /** How a scan ended. */
  public enum Verdict {
    /** The closing delimiter was read. */
    COMPLETE,
    /** Not a form the gateway reads the same way as any backend would; see {@link Result#problem()}. */
    MALFORMED,
    /** The stream ended before the closing delimiter. */
    TRUNCATED
  }

  /**
   * What a scan may keep. Whatever arrives, a scan holds at most about {@code maxHeaderBytes + maxValueBytes} in
   * buffers and {@code maxRetainedBytes} in the parts it reports.
   *
   * @param maxHeaderBytes the longest header block of a part, its closing empty line included (beyond: malformed)
   * @param maxParts the most parts in a form (beyond: malformed)
   * @param maxValueBytes the longest field value reported; a longer one is measured, not read
   * @param maxRetainedBytes the header blocks and values of all parts together (beyond: malformed)
   */
  public record Limits(int maxHeaderBytes, int maxParts, int maxValueBytes, int maxRetainedBytes) {
    /** 16 KiB of headers per part, 1000 parts, 8 KiB values, 256 KiB in all. */
    public static final Limits DEFAULTS = new Limits(16 * 1024, 1000, 8 * 1024, 256 * 1024);

    public Limits {
      if (maxHeaderBytes < 2 || maxParts < 1 || maxValueBytes < 0 || maxRetainedBytes < 0) {
        throw new IllegalArgumentException("multipart limits must be positive: " + maxHeaderBytes + ", " + maxParts
            + ", " + maxValueBytes + ", " + maxRetainedBytes);
      }
    }
  }

  /**
   * One part of a form.
   *
   * @param name its form field name
   * @param filename its file name: present (possibly empty) for a file
   * @param contentType its {@code Content-Type} header
   * @param bodyStart the offset in the whole stream of its body's first byte
   * @param bodyEnd the offset just past its body (where the CRLF of the next delimiter begins)
   * @param value its body as UTF-8 text, when it has no file name and its body is at most the value limit
   */
  public record Part(String name, Optional<String> filename, Optional<String> contentType, long bodyStart,
      long bodyEnd, Optional<String> value) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(value, "value");
      if (bodyStart < 0 || bodyEnd < bodyStart) {
        throw new IllegalArgumentException("bad part range " + bodyStart + ".." + bodyEnd);
      }
    }

    /** Bytes in its body. */
    public long size() {
      return bodyEnd - bodyStart;
    }

    /** Whether it is a file (it has a file name) rather than a field. */
    public boolean isFile() {
      return filename.isPresent();
    }
  }

  /**
   * What a scan found.
   *
   * @param verdict how it ended
   * @param problem why it is not complete (short, naming no value from the body); empty when complete
   * @param boundary the form's boundary
   * @param parts the parts read, in order (for an incomplete form, those read before it broke off)
   * @param size the bytes fed
   */
  public record Result(Verdict verdict, Optional<String> problem, String boundary, List<Part> parts, long size) {
    public Result {
      Objects.requireNonNull(verdict, "verdict");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(boundary, "boundary");
      parts = List.copyOf(parts);
    }

    public boolean isComplete() {
      return verdict == Verdict.COMPLETE;
    }

    /** The first field (a part without a file name) called {@code name}, if any. */
    public Optional<Part> part(String name) {
      return parts.stream().filter(p -> !p.isFile() && p.name().equals(name)).findFirst();
    }

    /** The value of the first field called {@code name}; empty too when that field is longer than the value limit. */
    public Optional<String> field(String name) {
      return part(name).flatMap(Part::value);
    }
  }

  private enum State { SEARCH, AFTER_DELIMITER, AFTER_DASH, PADDING, PADDING_CR, HEADERS, EPILOGUE, MALFORMED }

  private final String boundary;
  private final byte[] delimiter;
  private final Limits limits;
  private final List<Part> parts = new ArrayList<>();
  private final PartCapture capture;

  private State state = State.SEARCH;
  /** Delimiter bytes matched by the last bytes fed; the stream starts as if after a CRLF. */
  private int matched = 2;
  private boolean sawDelimiter;
  private long position;
  /** The offset just past the last delimiter matched. */
  private long matchEnd;
  private String problem;
  private Result result;

  private MultipartScanner(String boundary, Limits limits) {
    this.boundary = boundary;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.limits = limits;
    this.capture = new PartCapture(limits, delimiter.length);
  }

  /** A scanner for a body of this {@code Content-Type}; empty unless {@code multipart/form-data} with a boundary. */
  public static Optional<MultipartScanner> forContentType(String contentType) {
    return forContentType(contentType, Limits.DEFAULTS);
  }

  /** As {@link #forContentType(String)}, with other limits. */
  public static Optional<MultipartScanner> forContentType(String contentType, Limits limits) {
    Objects.requireNonNull(limits, "limits");
    return boundary(contentType).map(b -> new MultipartScanner(b, limits));
  }

  /**
   * The boundary of a {@code multipart/form-data} Content-Type, quoted or not: 1 to 70 printable ASCII characters, not
   * ending in a space (RFC 2046); empty for another type, a missing or invalid boundary, or an ambiguous header.
   */
  public static Optional<String> boundary(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    return HeaderParams.parse(contentType)
        .filter(h -> h.type().equals("multipart/form-data"))
        .flatMap(h -> h.param("boundary"))
        .filter(MultipartScanner::validBoundary);
  }

  private static boolean validBoundary(String b) {
    if (b.isEmpty() || b.length() > MAX_BOUNDARY_LENGTH || b.endsWith(" ")) {
      return false;
    }
    return b.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  /** Reads the next bytes of the body. The array is neither kept nor changed. */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (result != null) {
      throw new IllegalStateException("the scan is finished");
    }
    int end = offset + length;
    long base = position - offset; // the stream offset of bytes[i] is base + i
    int i = offset;
    while (i < end) {
      switch (state) {
        case SEARCH -> i = search(bytes, i, end, base);
        case HEADERS -> i = headers(bytes, i, end, base);
        case EPILOGUE, MALFORMED -> i = end;
        default -> afterDelimiter(bytes[i++]);
      }
    }
    position += length;
  }

  /** The body has ended: what was found. Repeated calls give the same result. */
  public Result finish() {
    if (result == null) {
      Verdict verdict = switch (state) {
        case EPILOGUE -> Verdict.COMPLETE;
        case MALFORMED -> Verdict.MALFORMED;
        default -> sawDelimiter ? Verdict.TRUNCATED : Verdict.MALFORMED;
      };
      if (verdict == Verdict.TRUNCATED) {
        problem = "the body ends before the closing boundary";
      } else if (verdict == Verdict.MALFORMED && problem == null) {
        problem = "no boundary delimiter in the body";
      }
      result = new Result(verdict, Optional.ofNullable(problem), boundary, parts, position);
    }
    return result;
  }

  /** Whether the body is already known to be malformed (what follows cannot mend it). */
  public boolean isMalformed() {
    return state == State.MALFORMED;
  }

  /** Looks for the delimiter in a preamble or a part's body; returns the index after the bytes read. */
  private int search(byte[] b, int from, int end, long base) {
    byte[] d = delimiter;
    int k = matched;
    int i = from;
    while (i < end) {
      if (k == 0) {
        while (i < end && b[i] != '\r') { // the common case: skip to the next CR
          i++;
        }
        if (i == end) {
          break;
        }
      }
      byte c = b[i++];
      if (c == d[k]) {
        if (++k == d.length) {
          matched = 0;
          capture.append(b, from, i);
          matchEnd = base + i;
          sawDelimiter = true;
          state = State.AFTER_DELIMITER;
          return i;
        }
      } else {
        k = c == '\r' ? 1 : 0;
      }
    }
    matched = k;
    capture.append(b, from, end);
    return end;
  }

  /** The bytes after a delimiter: {@code --} closes the form, optional blanks and CRLF open a part. */
  private void afterDelimiter(byte c) {
    switch (state) {
      case AFTER_DELIMITER -> {
        if (c == '-') {
          state = State.AFTER_DASH;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          malformed("the boundary appears in the body outside a delimiter line");
        } else if (endPart()) {
          state = c == '\r' ? State.PADDING_CR : State.PADDING;
        }
      }
      case AFTER_DASH -> {
        if (c != '-') {
          malformed("the boundary appears in the body outside a delimiter line");
        } else if (endPart()) {
          state = State.EPILOGUE;
        }
      }
      case PADDING -> {
        if (c == '\r') {
          state = State.PADDING_CR;
        } else if (c != ' ' && c != '\t') {
          malformed("a delimiter line with text after the boundary");
        }
      }
      case PADDING_CR -> {
        if (c != '\n') {
          malformed("a delimiter line not ended by CRLF");
        } else if (parts.size() >= limits.maxParts()) {
          malformed("more than " + limits.maxParts() + " parts");
        } else {
          state = State.HEADERS;
          capture.startHeaders();
        }
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  /** Reads a part's header block; returns the index after the bytes read. */
  private int headers(byte[] b, int from, int end, long base) {
    for (int i = from; i < end; i++) {
      if (capture.headerLength() == limits.maxHeaderBytes()) {
        malformed("a part's headers are longer than " + limits.maxHeaderBytes() + " bytes");
        return end;
      }
      if (capture.headerByte(b[i])) {
        beginBody(base + i + 1);
        return i + 1;
      }
    }
    return end;
  }

  private void beginBody(long bodyStart) {
    PartHead head;
    try {
      head = capture.head();
    } catch (PartHead.Unreadable e) {
      malformed(e.getMessage());
      return;
    }
    if (!capture.retain(capture.headerLength())) {
      malformed("the form's headers and fields are longer than " + limits.maxRetainedBytes() + " bytes");
      return;
    }
    capture.startBody(head, bodyStart);
    matched = 2; // the header block's last CRLF: a body that begins with the boundary is refused
    state = State.SEARCH;
  }

  /** A delimiter was confirmed: ends the part it closes, if any; false when that made the form malformed. */
  private boolean endPart() {
    PartHead head = capture.partHead();
    if (head == null) {
      return true; // the first delimiter: only a preamble before it
    }
    long bodyStart = capture.bodyStart();
    long bodyEnd = matchEnd - delimiter.length;
    if (bodyEnd < bodyStart) {
      malformed("a part's body begins with the boundary");
      return false;
    }
    Optional<String> value = capture.value(bodyEnd - bodyStart);
    if (!capture.retain(value.map(v -> (int) (bodyEnd - bodyStart)).orElse(0))) {
      malformed("the form's headers and fields are longer than " + limits.maxRetainedBytes() + " bytes");
      return false;
    }
    parts.add(new Part(head.name(), head.filename(), head.contentType(), bodyStart, bodyEnd, value));
    capture.endPart();
    return true;
  }

  private void malformed(String why) {
    problem = why;
    state = State.MALFORMED;
    capture.release();
  }
}
