package dev.spillway.core.multipart;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites a scanned form as {@link BodySegment}s: ranges of the body as received around the bytes that change. The
 * gateway uses it to send an upload to a backend that names models in the body with that backend's deployment name in
 * the {@code model} field; the Content-Type, and so the boundary, stay the same. Pure: nothing is read or copied but the
 * new value.
 */
public final class MultipartRewrite {
  private MultipartRewrite() {}

  /** The body unchanged. */
  public static List<BodySegment> whole(MultipartScanner.Result form) {
    return form.size() == 0 ? List.of() : List.of(new BodySegment.Range(0, form.size()));
  }

  /**
   * The body with the field {@code name} set to {@code value}: the body of every field (part without a file name)
   * called {@code name} replaced, or, when there is none, a field added after the last part. Empty, and the body is not
   * to be rewritten, when the form is not complete, has no parts, or {@code value} contains the boundary (it could
   * then end the part it is put in).
   *
   * @param name a field name without a quote, a backslash or a line break (it is written in a quoted string)
   */
  public static Optional<List<BodySegment>> withField(MultipartScanner.Result form, String name, String value) {
    if (name.isEmpty() || name.chars().anyMatch(c -> c == '"' || c == '\\' || c == '\r' || c == '\n')) {
      throw new IllegalArgumentException(
          "a field name to write must not be empty nor hold a quote, a backslash or a line break");
    }
    if (!form.isComplete() || form.parts().isEmpty() || value.contains(form.boundary())) {
      return Optional.empty();
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    List<BodySegment> segments = new ArrayList<>();
    long cursor = 0;
    boolean replaced = false;
    for (MultipartScanner.Part part : form.parts()) {
      if (!part.isFile() && part.name().equals(name)) {
        range(segments, cursor, part.bodyStart());
        segments.add(new BodySegment.Literal(bytes));
        cursor = part.bodyEnd();
        replaced = true;
      }
    }
    if (!replaced) {
      // No such field: a part of its own just before the closing delimiter, which follows the last part's body.
      long at = form.parts().getLast().bodyEnd();
      String head = "\r\n--" + form.boundary() + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
      range(segments, 0, at);
      segments.add(new BodySegment.Literal(concat(head.getBytes(StandardCharsets.UTF_8), bytes)));
      cursor = at;
    }
    range(segments, cursor, form.size());
    return Optional.of(List.copyOf(segments));
  }

  /** Bytes the segments make. */
  public static long length(List<BodySegment> segments) {
    return segments.stream().mapToLong(BodySegment::length).sum();
  }

  private static void range(List<BodySegment> segments, long start, long end) {
    if (end > start) {
      segments.add(new BodySegment.Range(start, end));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
