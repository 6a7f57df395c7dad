package dev.spillway.core.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds multipart/form-data bodies for the tests, as clients write them, and feeds them to a scanner in pieces. */
final class Forms {
  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean first = true;

  private Forms(String boundary) {
    this.boundary = boundary;
  }

  static Forms boundary(String boundary) {
    return new Forms(boundary);
  }

  Forms raw(String text) {
    return raw(text.getBytes(StandardCharsets.UTF_8));
  }

  Forms raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** A delimiter line, then the given header lines, the empty line and the body. */
  Forms part(List<String> headers, byte[] body) {
    raw((first ? "" : "\r\n") + "--" + boundary + "\r\n");
    first = false;
    for (String header : headers) {
      raw(header + "\r\n");
    }
    raw("\r\n");
    return raw(body);
  }

  Forms field(String name, String value) {
    return part(List.of("Content-Disposition: form-data; name=\"" + name + "\""), value.getBytes(StandardCharsets.UTF_8));
  }

  Forms file(String name, String filename, String contentType, byte[] content) {
    return part(List.of("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"",
        "Content-Type: " + contentType), content);
  }

  /** The closing delimiter, with its CRLF. */
  Forms close() {
    return raw("\r\n--" + boundary + "--\r\n");
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static MultipartScanner scanner(String boundary) {
    return MultipartScanner.forContentType("multipart/form-data; boundary=" + boundary).orElseThrow();
  }

  static MultipartScanner.Result scan(String boundary, byte[] body) {
    return scan(scanner(boundary), List.of(body));
  }

  /** Feeds each chunk from the middle of a larger array whose other bytes would break a delimiter if read. */
  static MultipartScanner.Result scan(MultipartScanner scanner, List<byte[]> chunks) {
    for (byte[] chunk : chunks) {
      byte[] padded = new byte[chunk.length + 4];
      Arrays.fill(padded, (byte) '\r');
      System.arraycopy(chunk, 0, padded, 2, chunk.length);
      scanner.feed(padded, 2, chunk.length);
    }
    return scanner.finish();
  }

  static List<byte[]> bytewise(byte[] body) {
    List<byte[]> chunks = new ArrayList<>();
    for (byte b : body) {
      chunks.add(new byte[] {b});
    }
    return chunks;
  }

  /** {@code body} cut at the given sorted offsets. */
  static List<byte[]> cut(byte[] body, int... at) {
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int cut : at) {
      chunks.add(Arrays.copyOfRange(body, from, cut));
      from = cut;
    }
    chunks.add(Arrays.copyOfRange(body, from, body.length));
    return chunks;
  }

  static List<byte[]> randomChunks(byte[] body, Random random) {
    int[] at = random.ints(random.nextInt(1, 12), 0, body.length + 1).sorted().toArray();
    return cut(body, at);
  }

  /** The body the segments describe, taking ranges from {@code source}. */
  static byte[] apply(List<BodySegment> segments, byte[] source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (BodySegment segment : segments) {
      switch (segment) {
        case BodySegment.Range r -> out.write(source, (int) r.start(), (int) r.length());
        case BodySegment.Literal l -> out.writeBytes(l.bytes());
      }
    }
    return out.toByteArray();
  }

  static byte[] slice(byte[] body, MultipartScanner.Part part) {
    return Arrays.copyOfRange(body, (int) part.bodyStart(), (int) part.bodyEnd());
  }
}
