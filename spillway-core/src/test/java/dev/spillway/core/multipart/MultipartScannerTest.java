package dev.spillway.core.multipart;

import static dev.spillway.core.multipart.Forms.scan;
import static dev.spillway.core.multipart.Forms.slice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.multipart.MultipartScanner.Part;
import dev.spillway.core.multipart.MultipartScanner.Result;
import dev.spillway.core.multipart.MultipartScanner.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartScannerTest {
  private static final String B = "----formdata-abc123";
  /** Audio-ish bytes with line breaks, dashes and a near-delimiter in them. */
  private static final byte[] AUDIO = ("RIFF\0\0WAVE\r\n--not-it\r\n-\r\n--" + B.substring(0, 10) + "\r\r\n\r").getBytes(UTF_8);

  /** The openai SDKs' order: the file first, then the fields. */
  private static byte[] sdkOrder() {
    return Forms.boundary(B)
        .file("file", "speech.wav", "audio/wav", AUDIO)
        .field("model", "whisper-1")
        .field("response_format", "verbose_json")
        .close()
        .bytes();
  }

  @Test
  void findsTheFieldsAfterTheFileAndWhereEachBodyLies() {
    byte[] body = sdkOrder();
    Result r = scan(B, body);

    assertThat(r.verdict()).isEqualTo(Verdict.COMPLETE);
    assertThat(r.problem()).isEmpty();
    assertThat(r.size()).isEqualTo(body.length);
    assertThat(r.field("model")).contains("whisper-1");
    assertThat(r.field("response_format")).contains("verbose_json");
    assertThat(r.field("file")).as("a file is no field").isEmpty();
    assertThat(r.parts()).extracting(Part::name).containsExactly("file", "model", "response_format");
    Part file = r.parts().getFirst();
    assertThat(file.filename()).contains("speech.wav");
    assertThat(file.contentType()).contains("audio/wav");
    assertThat(file.value()).isEmpty();
    assertThat(slice(body, file)).isEqualTo(AUDIO);
    assertThat(file.size()).isEqualTo(AUDIO.length);
    assertThat(slice(body, r.parts().get(1))).isEqualTo("whisper-1".getBytes(UTF_8));
  }

  @Test
  void findsTheFieldsBeforeTheFile() {
    byte[] body = Forms.boundary(B)
        .field("model", "gpt-image-1")
        .field("n", "2")
        .file("image", "cat.png", "image/png", AUDIO)
        .close()
        .bytes();
    Result r = scan(B, body);

    assertThat(r.isComplete()).isTrue();
    assertThat(r.field("model")).contains("gpt-image-1");
    assertThat(r.field("n")).contains("2");
    assertThat(slice(body, r.parts().get(2))).isEqualTo(AUDIO);
  }

  @Test
  void readsTheBoundaryQuotedOrNot() {
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=abc")).contains("abc");
    assertThat(MultipartScanner.boundary("Multipart/Form-Data;BOUNDARY=\"a b:c=d?\"; charset=utf-8")).contains("a b:c=d?");
    assertThat(MultipartScanner.boundary("multipart/form-data; charset=utf-8; boundary=\"x\\\"y\"")).contains("x\"y");
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=" + "b".repeat(70))).isPresent();

    assertThat(MultipartScanner.boundary(null)).isEmpty();
    assertThat(MultipartScanner.boundary("application/json")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/mixed; boundary=abc")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=" + "b".repeat(71))).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=\"ends in space \"")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=\"a\rb\"")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=\"unterminated")).isEmpty();
    assertThat(MultipartScanner.boundary("multipart/form-data; boundary=a; boundary=b")).as("ambiguous").isEmpty();
    assertThat(MultipartScanner.forContentType("text/plain")).isEmpty();
  }

  @Test
  void scansWithAQuotedBoundary() {
    String boundary = "a b:c=d?";
    byte[] body = Forms.boundary(boundary).field("model", "m").close().bytes();
    MultipartScanner scanner =
        MultipartScanner.forContentType("multipart/form-data; boundary=\"" + boundary + "\"").orElseThrow();

    Result r = Forms.scan(scanner, List.of(body));

    assertThat(r.isComplete()).isTrue();
    assertThat(r.boundary()).isEqualTo(boundary);
    assertThat(r.field("model")).contains("m");
  }

  @Test
  void ignoresPreambleEpilogueAndTransportPadding() {
    byte[] padded = ("preamble\r\n--" + B + " \t \r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-4o"
        + "\r\n--" + B + "\t\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n3"
        + "\r\n--" + B + "--  \r\nepilogue\r\n--" + B + "\r\nignored").getBytes(UTF_8);
    Result r = scan(B, padded);

    assertThat(r.isComplete()).isTrue();
    assertThat(r.parts()).extracting(Part::name).containsExactly("model", "n");
    assertThat(r.field("model")).contains("gpt-4o");
    assertThat(r.field("n")).contains("3");
    assertThat(r.size()).isEqualTo(padded.length);
  }

  @Test
  void theClosingDelimiterNeedsNoLineEnd() {
    byte[] body = ("--" + B + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n--" + B + "--")
        .getBytes(UTF_8);
    Result r = scan(B, body);

    assertThat(r.isComplete()).isTrue();
    assertThat(r.field("model")).contains("m");
  }

  @Test
  void lineBreaksAndDashesInBodiesAreContent() {
    String[] values = {"", "\r", "\r\n", "\r\n\r\n", "a\r\n-", "\r\n--", "x--" + B, "\r\n-" + B, "\r\r\n--" + B.substring(1),
      "\r\n--" + B.substring(0, B.length() - 1), "--", "\n--" + B, "\r--" + B};
    for (String value : values) {
      byte[] body = Forms.boundary(B).field("v", value).file("f", "f.bin", "application/octet-stream",
          value.getBytes(UTF_8)).field("after", "ok").close().bytes();
      Result r = scan(B, body);

      assertThat(r.verdict()).as("%s", value.replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(Verdict.COMPLETE);
      assertThat(r.field("v")).contains(value);
      assertThat(slice(body, r.parts().get(1))).isEqualTo(value.getBytes(UTF_8));
      assertThat(r.field("after")).contains("ok");
    }
  }

  @Test
  void anEmptyBodyIsAnEmptyValue() {
    Result r = scan(B, Forms.boundary(B).field("prompt", "").field("model", "m").close().bytes());

    assertThat(r.field("prompt")).contains("");
    assertThat(r.part("prompt").orElseThrow().size()).isZero();
    assertThat(r.field("model")).contains("m");
  }

  @Test
  void aFieldLongerThanTheValueLimitIsMeasuredNotRead() {
    MultipartScanner.Limits limits = MultipartScanner.Limits.DEFAULTS;
    String fits = "é".repeat(limits.maxValueBytes() / 2);
    String over = "a".repeat(limits.maxValueBytes() + 1);
    byte[] body = Forms.boundary(B).field("fits", fits).field("over", over).close().bytes();

    Result r = scan(B, body);

    assertThat(r.field("fits")).contains(fits);
    assertThat(r.field("over")).isEmpty();
    assertThat(r.part("over").orElseThrow().size()).isEqualTo(over.length());
    assertThat(r.part("over").orElseThrow().value()).isEmpty();
  }

  @Test
  void readsDispositionParametersAsClientsWriteThem() {
    byte[] body = Forms.boundary(B)
        .part(List.of("content-disposition: FORM-DATA; filename*=UTF-8''%E2%82%AC%20rates.txt; name=doc;"
            + " filename=\"rates.txt\"", "X-Other: ignored", "Content-Type: text/plain;", " charset=utf-8"), AUDIO)
        .part(List.of("Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"C:\\dir\\%22q%22.txt\""), AUDIO)
        .part(List.of("Content-Disposition: form-data; name=\"naïve\""), "ünïcode".getBytes(UTF_8))
        .part(List.of("Content-Disposition: form-data; name=\"blank\"; filename=\"\""), new byte[0])
        .close()
        .bytes();
    Result r = scan(B, body);

    assertThat(r.isComplete()).isTrue();
    Part doc = r.parts().getFirst();
    assertThat(doc.name()).isEqualTo("doc");
    assertThat(doc.filename()).contains("€ rates.txt");
    assertThat(doc.contentType()).contains("text/plain; charset=utf-8");
    assertThat(r.parts().get(1).name()).isEqualTo("a\"b");
    assertThat(r.parts().get(1).filename()).contains("C:\\dir\\%22q%22.txt");
    assertThat(r.field("naïve")).contains("ünïcode");
    assertThat(r.parts().get(3).isFile()).as("an empty file name is still a file").isTrue();
  }

  @Test
  void aBoundaryCutAtAnyPointGivesTheSameResult() {
    byte[] body = sdkOrder();
    Result whole = scan(B, body);
    assertThat(Forms.scan(Forms.scanner(B), Forms.bytewise(body))).isEqualTo(whole);
    for (int i = 0; i <= body.length; i++) {
      assertThat(Forms.scan(Forms.scanner(B), Forms.cut(body, i))).as("cut at %d", i).isEqualTo(whole);
    }
    // Every pair of cuts around the delimiter before the model field.
    int delimiter = (int) whole.parts().getFirst().bodyEnd();
    for (int i = delimiter - 2; i < delimiter + B.length() + 8; i++) {
      for (int j = i; j < delimiter + B.length() + 8; j++) {
        assertThat(Forms.scan(Forms.scanner(B), Forms.cut(body, i, j))).as("cuts at %d, %d", i, j).isEqualTo(whole);
      }
    }
    Random random = new Random(7);
    for (int n = 0; n < 500; n++) {
      assertThat(Forms.scan(Forms.scanner(B), Forms.randomChunks(body, random))).isEqualTo(whole);
    }
  }

  @Test
  void endingBeforeTheClosingDelimiterIsTruncated() {
    byte[] complete = sdkOrder();
    int closing = complete.length - ("\r\n--" + B + "--\r\n").length();
    for (int end : new int[] {1 + B.length() + 2, 60, closing, closing + 3, closing + 2 + 2 + B.length() + 1}) {
      Result r = scan(B, java.util.Arrays.copyOf(complete, end));
      assertThat(r.verdict()).as("ends at %d", end).isEqualTo(Verdict.TRUNCATED);
      assertThat(r.problem()).contains("the body ends before the closing boundary");
    }
    assertThat(scan(B, java.util.Arrays.copyOf(complete, closing)).parts()).extracting(Part::name)
        .as("the parts read before it broke off").containsExactly("file", "model");
  }

  @Test
  void bodiesWithNoDelimiterAreMalformed() {
    assertThat(scan(B, new byte[0]).problem()).contains("no boundary delimiter in the body");
    byte[] garbage = new byte[4096];
    new Random(3).nextBytes(garbage);
    Result r = scan(B, garbage);
    assertThat(r.verdict()).isEqualTo(Verdict.MALFORMED);
    assertThat(r.parts()).isEmpty();
    // Line feeds alone do not end a delimiter line.
    assertThat(scan(B, ("--" + B + "\nContent-Disposition: form-data; name=\"a\"\n\nb\n--" + B + "--\n").getBytes(UTF_8))
        .verdict()).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  void refusesWhatParsersReadDifferently() {
    String cd = "Content-Disposition: form-data; name=\"model\"";
    assertMalformed(Forms.boundary(B).field("model", "a\r\n--" + B + "x").close().bytes(),
        "the boundary appears in the body outside a delimiter line");
    assertMalformed(Forms.boundary(B).field("model", "a\r\n--" + B + "-x").close().bytes(),
        "the boundary appears in the body outside a delimiter line");
    assertMalformed(("--" + B + " x\r\n" + cd + "\r\n\r\nm\r\n--" + B + "--").getBytes(UTF_8),
        "a delimiter line with text after the boundary");
    assertMalformed(("--" + B + "\r\r\n").getBytes(UTF_8), "a delimiter line not ended by CRLF");
    // The header block's CRLF directly before a delimiter: an empty body to some parsers, content to others.
    assertMalformed(("--" + B + "\r\n" + cd + "\r\n\r\n--" + B + "\r\n" + cd + "\r\n\r\nm\r\n--" + B + "--")
        .getBytes(UTF_8), "a part's body begins with the boundary");
    assertMalformed(Forms.boundary(B).part(List.of(cd, cd), new byte[] {'m'}).close().bytes(),
        "a part with two Content-Disposition headers");
    assertMalformed(Forms.boundary(B).part(List.of(cd, "Content-Type: a", "content-type: b"), new byte[0]).close()
        .bytes(), "a part with two Content-Type headers");
    assertMalformed(Forms.boundary(B).part(List.of("Content-Disposition: form-data; name=a; name=b"), new byte[0])
        .close().bytes(), "an ambiguous Content-Disposition");
  }

  @Test
  void refusesPartsWithoutAFormDataName() {
    assertMalformed(Forms.boundary(B).part(List.of(), "x".getBytes(UTF_8)).close().bytes(),
        "a part without Content-Disposition");
    assertMalformed(Forms.boundary(B).part(List.of("Content-Type: text/plain"), new byte[0]).close().bytes(),
        "a part without Content-Disposition");
    assertMalformed(Forms.boundary(B).part(List.of("Content-Disposition: attachment; name=\"f\""), new byte[0])
        .close().bytes(), "a part whose Content-Disposition is not form-data");
    assertMalformed(Forms.boundary(B).part(List.of("Content-Disposition: form-data; filename=\"a.wav\""), new byte[0])
        .close().bytes(), "a form-data part without a name");
    assertMalformed(Forms.boundary(B).part(List.of("Content-Disposition form-data"), new byte[0]).close().bytes(),
        "a part header line without a name and a colon");
    assertMalformed(Forms.boundary(B).part(List.of(" folded: first"), new byte[0]).close().bytes(),
        "a part's header block begins with a continuation line");
    assertMalformed(Forms.boundary(B).part(List.of("Bad Name: x", "Content-Disposition: form-data; name=a"),
        new byte[0]).close().bytes(), "a part header name with a space or a control character");
  }

  @Test
  void boundsWhatItKeeps() {
    MultipartScanner.Limits limits = new MultipartScanner.Limits(100, 3, 10, 400);
    String cd = "Content-Disposition: form-data; name=\"f\""; // 40 bytes + CRLF, + the empty line: 44
    byte[] longHeaders = Forms.boundary(B).part(List.of(cd, "X-Pad: " + "p".repeat(100 - 44 - 9 + 1)), new byte[0])
        .close().bytes();
    byte[] fits = Forms.boundary(B).part(List.of(cd, "X-Pad: " + "p".repeat(100 - 44 - 9)), new byte[0])
        .close().bytes();
    assertThat(scanWith(limits, fits).verdict()).isEqualTo(Verdict.COMPLETE);
    assertThat(scanWith(limits, longHeaders).problem()).contains("a part's headers are longer than 100 bytes");

    Forms three = Forms.boundary(B).field("a", "1").field("b", "2").field("c", "3");
    assertThat(scanWith(limits, three.close().bytes()).parts()).hasSize(3);
    Result four = scanWith(limits, Forms.boundary(B).field("a", "1").field("b", "2").field("c", "3").field("d", "4")
        .close().bytes());
    assertThat(four.problem()).contains("more than 3 parts");
    assertThat(four.parts()).hasSize(3);

    Forms many = Forms.boundary(B);
    for (int i = 0; i < 1001; i++) {
      many.field("f" + i, "v");
    }
    assertThat(scan(B, many.close().bytes()).problem()).contains("more than 1000 parts");

    MultipartScanner.Limits small = new MultipartScanner.Limits(100, 100, 10, 100);
    Forms retained = Forms.boundary(B);
    for (int i = 0; i < 3; i++) {
      retained.field("f" + i, "0123456789"); // 44 bytes of headers and 10 of value, each
    }
    assertThat(scanWith(small, retained.close().bytes()).problem())
        .contains("the form's headers and fields are longer than 100 bytes");
  }

  @Test
  void findsDelimitersInLinearTimeAmongNearMisses() {
    // Each near miss matches all but the delimiter's last byte: a scan that went back over them would be quadratic.
    byte[] nearMiss = ("\r\n--" + B.substring(0, B.length() - 1) + "Z").getBytes(UTF_8);
    byte[] content = new byte[nearMiss.length * 200_000];
    for (int i = 0; i < 200_000; i++) {
      System.arraycopy(nearMiss, 0, content, i * nearMiss.length, nearMiss.length);
    }
    byte[] body = Forms.boundary(B).file("file", "x.bin", "application/octet-stream", content).field("model", "m")
        .close().bytes();
    Result r = Forms.scan(Forms.scanner(B), Forms.randomChunks(body, new Random(1)));

    assertThat(r.isComplete()).isTrue();
    assertThat(r.parts().getFirst().size()).isEqualTo(content.length);
    assertThat(r.field("model")).contains("m");
  }

  @Test
  void feedsFromAnyOffsetAndOnlyUntilFinished() {
    byte[] body = sdkOrder();
    byte[] framed = new byte[body.length + 10];
    System.arraycopy(body, 0, framed, 5, body.length);
    MultipartScanner scanner = Forms.scanner(B);
    scanner.feed(framed, 5, 40);
    scanner.feed(framed, 45, body.length - 40);
    Result r = scanner.finish();

    assertThat(r).isEqualTo(scan(B, body));
    assertThat(scanner.finish()).isSameAs(r);
    assertThatThrownBy(() -> scanner.feed(framed, 0, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Forms.scanner(B).feed(framed, 5, framed.length))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void knowsEarlyWhenAFormIsMalformed() {
    MultipartScanner scanner = Forms.scanner(B);
    byte[] start = ("--" + B + "\r\nContent-Type: x\r\n\r\n").getBytes(UTF_8);
    scanner.feed(start, 0, start.length);

    assertThat(scanner.isMalformed()).isTrue();
    assertThat(scanner.finish().problem()).isEqualTo(Optional.of("a part without Content-Disposition"));
  }

  private static Result scanWith(MultipartScanner.Limits limits, byte[] body) {
    MultipartScanner scanner = MultipartScanner.forContentType("multipart/form-data; boundary=" + B, limits)
        .orElseThrow();
    return Forms.scan(scanner, List.of(body));
  }

  private static void assertMalformed(byte[] body, String problem) {
    Result r = scan(B, body);
    assertThat(r.verdict()).as(problem).isEqualTo(Verdict.MALFORMED);
    assertThat(r.problem()).contains(problem);
    assertThat(Forms.scan(Forms.scanner(B), Forms.bytewise(body))).isEqualTo(r);
  }
}
