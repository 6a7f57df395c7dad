package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spillway.core.multipart.BodySegment;
import dev.spillway.core.multipart.MultipartRewrite;
import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.multipart.MultipartScanner.Limits;
import dev.spillway.core.multipart.MultipartScanner.Part;
import dev.spillway.core.multipart.MultipartScanner.Result;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The multipart scanner over any bytes: it never throws, and the form it reports does not depend on how the body was
 * cut into chunks (whole, one byte per feed, fuzz-chosen cuts, each fed from the middle of a larger array). What it
 * reports is consistent with the bytes: every part's body lies within the stream, after the one before; a field's value
 * is exactly its body's bytes, present whenever it fits the value limit; no more parts than the limit; a problem is
 * given exactly when the form is not complete. For a complete form, setting a field to its own value gives back the
 * very same bytes, and setting it to a new value gives a form that scans complete with that value and every file's
 * bytes unchanged. Half of the runs use small limits, so the header, part, value and retained caps are crossed.
 * Bodies are fuzz bytes or forms built from the fuzzer's choices with delimiters, near-delimiters, padding, odd
 * headers, preambles, epilogues and truncation.
 */
class MultipartScannerFuzzTest {
  private static final String[] BOUNDARIES = {"X", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a b:c", "-", "--", "0"};
  private static final String[] NAMES = {"model", "file", "purpose", "n", "size", "response_format", "image[]", ""};
  private static final String[] HEADERS = {
    "Content-Type: audio/wav", "Content-Type: text/plain; charset=utf-8", "content-type:", "X-Other: 1",
    "Content-Transfer-Encoding: binary", " folded", "no colon", "Content-Disposition: attachment; name=a",
    "Content-Disposition: form-data", "Content-Disposition: form-data; name=\"dup\"; name=\"dup\"",
  };
  private static final String[] PADDINGS = {"", "", "", " ", "\t ", "x", "-", "\n", "\r"};

  @FuzzTest(maxDuration = "5s")
  void scansTheSameInAnyChunking(FuzzedDataProvider data) {
    Limits limits = data.consumeBoolean() ? Limits.DEFAULTS
        : new Limits(data.consumeInt(2, 300), data.consumeInt(1, 10), data.consumeInt(0, 40), data.consumeInt(0, 2000));
    String boundary = boundary(data);
    byte[] body = data.consumeBoolean() ? form(data, boundary) : data.consumeBytes(2048);
    List<byte[]> cuts = SseStreams.chunks(body, data);

    Result whole = scan(boundary, limits, List.of(body));
    assertThat(scan(boundary, limits, cuts)).as("fuzz-chosen cuts").isEqualTo(whole);
    assertThat(scan(boundary, limits, SseStreams.bytewise(body))).as("one byte per feed").isEqualTo(whole);
    assertConsistent(whole, body, limits);
    if (whole.isComplete() && !whole.parts().isEmpty()) {
      checkRewrites(whole, body, limits, data);
    }
  }

  private static void assertConsistent(Result r, byte[] body, Limits limits) {
    assertThat(r.size()).isEqualTo(body.length);
    assertThat(r.problem().isPresent()).isEqualTo(!r.isComplete());
    assertThat(r.parts().size()).isLessThanOrEqualTo(limits.maxParts());
    long previousEnd = 0;
    for (Part p : r.parts()) {
      assertThat(p.bodyStart()).isGreaterThan(previousEnd).isLessThanOrEqualTo(p.bodyEnd());
      assertThat(p.bodyEnd()).isLessThanOrEqualTo(body.length);
      previousEnd = p.bodyEnd();
      boolean fits = !p.isFile() && p.size() <= limits.maxValueBytes();
      assertThat(p.value().isPresent()).as("a value exactly for a field that fits").isEqualTo(fits);
      p.value().ifPresent(v -> assertThat(v).isEqualTo(new String(slice(body, p), StandardCharsets.UTF_8)));
    }
  }

  private static void checkRewrites(Result form, byte[] body, Limits limits, FuzzedDataProvider data) {
    String name = data.consumeBoolean() ? "model" : form.parts().get(data.consumeInt(0, form.parts().size() - 1)).name();
    if (name.isEmpty() || name.chars().anyMatch(c -> c == '"' || c == '\\' || c == '\r' || c == '\n')) {
      return;
    }
    List<Part> fields = form.parts().stream().filter(p -> !p.isFile() && p.name().equals(name)).toList();
    // Its own value gives back the same bytes, when every field of that name holds it as valid UTF-8.
    if (!fields.isEmpty() && fields.stream().allMatch(p -> p.value().isPresent()
        && Arrays.equals(slice(body, p), p.value().get().getBytes(StandardCharsets.UTF_8))
        && p.value().equals(fields.getFirst().value()))) {
      String same = fields.getFirst().value().get();
      Optional<List<BodySegment>> segments = MultipartRewrite.withField(form, name, same);
      assertThat(segments.isPresent()).isEqualTo(!same.contains(form.boundary()));
      segments.ifPresent(s -> assertThat(apply(s, body)).isEqualTo(body));
    }
    String value = data.consumeString(48);
    Optional<List<BodySegment>> segments = MultipartRewrite.withField(form, name, value);
    assertThat(segments.isPresent()).isEqualTo(!value.contains(form.boundary()));
    if (segments.isEmpty()) {
      return;
    }
    byte[] rewritten = apply(segments.get(), body);
    assertThat(MultipartRewrite.length(segments.get())).isEqualTo(rewritten.length);
    Limits roomy = new Limits(Math.max(limits.maxHeaderBytes(), 4096), limits.maxParts() + 1,
        Math.max(limits.maxValueBytes(), 256), Integer.MAX_VALUE);
    Result again = scan(form.boundary(), roomy, List.of(rewritten));
    assertThat(again.verdict()).isEqualTo(MultipartScanner.Verdict.COMPLETE);
    assertThat(again.field(name)).contains(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    assertThat(again.parts()).hasSize(form.parts().size() + (fields.isEmpty() ? 1 : 0));
    for (int i = 0; i < form.parts().size(); i++) {
      Part before = form.parts().get(i);
      Part after = again.parts().get(i);
      assertThat(after.name()).isEqualTo(before.name());
      if (before.isFile() || !before.name().equals(name)) {
        assertThat(slice(rewritten, after)).isEqualTo(slice(body, before));
      }
    }
  }

  private static String boundary(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      return data.pickValue(BOUNDARIES);
    }
    String b = data.consumeAsciiString(12).replaceAll("[^\\x21-\\x7e]", "q");
    return b.isEmpty() ? "q" : b;
  }

  /** A form-shaped body: parts with fuzz headers and bodies, near-delimiters inside, and fuzz-chosen damage. */
  private static byte[] form(FuzzedDataProvider data, String boundary) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (data.consumeInt(0, 3) == 0) {
      write(out, data.consumeString(16) + "\r\n");
    }
    int parts = data.consumeInt(0, 6);
    for (int i = 0; i < parts; i++) {
      write(out, (i == 0 && data.consumeBoolean() ? "" : "\r\n") + "--" + boundary + data.pickValue(PADDINGS) + "\r\n");
      String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(8);
      String disposition = "Content-Disposition: form-data; name=\"" + name + "\"";
      if (data.consumeBoolean()) {
        disposition += "; filename=\"" + data.consumeString(8) + "\"";
      }
      if (data.consumeInt(0, 7) > 0) {
        write(out, disposition + "\r\n");
      }
      int headers = data.consumeInt(0, 3);
      for (int h = 0; h < headers; h++) {
        write(out, data.pickValue(HEADERS) + "\r\n");
      }
      write(out, "\r\n");
      int pieces = data.consumeInt(0, 3);
      for (int p = 0; p < pieces; p++) {
        switch (data.consumeInt(0, 5)) {
          case 0 -> write(out, "\r\n--" + boundary.substring(0, data.consumeInt(0, boundary.length())));
          case 1 -> write(out, "\r\n--" + boundary + data.pickValue(PADDINGS));
          case 2 -> write(out, "--" + boundary + "\r\n"); // right after the header block: a body that begins with it
          case 3 -> write(out, data.consumeString(24));
          default -> out.writeBytes(data.consumeBytes(64));
        }
      }
    }
    switch (data.consumeInt(0, 3)) {
      case 0 -> {} // truncated
      case 1 -> write(out, "\r\n--" + boundary + "--");
      default -> write(out, "\r\n--" + boundary + "--" + data.pickValue(PADDINGS) + "\r\n" + data.consumeString(16));
    }
    return out.toByteArray();
  }

  private static Result scan(String boundary, Limits limits, List<byte[]> chunks) {
    String quoted = boundary.replace("\\", "\\\\").replace("\"", "\\\"");
    MultipartScanner scanner =
        MultipartScanner.forContentType("multipart/form-data; boundary=\"" + quoted + "\"", limits).orElseThrow();
    for (byte[] chunk : chunks) {
      byte[] padded = new byte[chunk.length + 6];
      Arrays.fill(padded, (byte) '\r'); // bytes that would start a delimiter, which must not be read
      System.arraycopy(chunk, 0, padded, 3, chunk.length);
      scanner.feed(padded, 3, chunk.length);
    }
    return scanner.finish();
  }

  private static byte[] apply(List<BodySegment> segments, byte[] source) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (BodySegment segment : segments) {
      switch (segment) {
        case BodySegment.Range r -> out.write(source, (int) r.start(), (int) r.length());
        case BodySegment.Literal l -> out.writeBytes(l.bytes());
      }
    }
    return out.toByteArray();
  }

  private static byte[] slice(byte[] body, Part part) {
    return Arrays.copyOfRange(body, (int) part.bodyStart(), (int) part.bodyEnd());
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
