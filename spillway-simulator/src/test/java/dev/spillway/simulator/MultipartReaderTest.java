package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  private static final String B = MultipartBody.BOUNDARY;

  @Test
  void readsFieldsAndFileSummariesHoweverTheBodyIsSplit() {
    byte[] file = "RIFF\r\n--not-a-boundary\r\n-".getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = new MultipartBody()
        .field("model", "whisper")
        .field("prompt", "line one\r\nline two")
        .file("file", "a;b.wav", "audio/wav", file)
        .field("empty", "")
        .bytes();

    for (int split = 1; split < body.length; split++) {
      MultipartReader reader = new MultipartReader(B);
      reader.feed(Arrays.copyOfRange(body, 0, split));
      reader.feed(Arrays.copyOfRange(body, split, body.length));
      MultipartForm form = reader.finish();

      assertThat(form.fields()).as("split at %d", split).containsExactly(
          new MultipartForm.Field("model", "whisper"),
          new MultipartForm.Field("prompt", "line one\r\nline two"),
          new MultipartForm.Field("empty", ""));
      assertThat(form.files()).hasSize(1);
      MultipartForm.FilePart part = form.files().getFirst();
      assertThat(part.name()).isEqualTo("file");
      assertThat(part.filename()).isEqualTo("a;b.wav");
      assertThat(part.contentType()).isEqualTo("audio/wav");
      assertThat(part.size()).isEqualTo(file.length);
      assertThat(part.head()).isEqualTo(file);
    }
  }

  @Test
  void readsByteByByteAndIgnoresPreambleEpilogueAndPadding() {
    String body = "this is a preamble\r\n--" + B + "  \r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n3\r\n--"
        + B + "--\r\nepilogue with --" + B + " in it";
    MultipartReader reader = new MultipartReader(B);
    for (byte b : body.getBytes(StandardCharsets.ISO_8859_1)) {
      reader.feed(new byte[] {b});
    }
    assertThat(reader.finish().fields()).containsExactly(new MultipartForm.Field("n", "3"));
  }

  @Test
  void keepsOnlyTheHeadOfALargeFile() {
    MultipartReader reader = new MultipartReader(B);
    reader.feed(("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) '\r'); // every byte could start a delimiter
    long size = 0;
    for (int i = 0; i < 800; i++) { // 50 MiB
      reader.feed(chunk);
      size += chunk.length;
    }
    reader.feed(("\r\n--" + B + "--").getBytes(StandardCharsets.ISO_8859_1));

    MultipartForm form = reader.finish();
    assertThat(form.files().getFirst().size()).isEqualTo(size);
    assertThat(form.files().getFirst().head()).hasSize(MultipartReader.HEAD_BYTES);
    assertThat(reader.maxRetainedBytes()).isLessThan(MultipartReader.HEAD_BYTES + 1024);
  }

  @Test
  void rejectsMalformedBodies() {
    assertThatThrownBy(() -> read("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("closing boundary");
    assertThatThrownBy(() -> read("--" + B + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" + B + "--"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no name");
    assertThatThrownBy(() -> read("--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Content-Disposition");
    assertThatThrownBy(() -> read("--" + B + "\r\nX: " + "y".repeat(MultipartReader.MAX_HEADER_BYTES) + "\r\n\r\n"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("headers longer");
    assertThatThrownBy(() -> read("--" + B + "\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\n"
        + "z".repeat(MultipartReader.MAX_FIELD_BYTES + 1) + "\r\n--" + B + "--"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("longer than");
    assertThatThrownBy(() -> read("--" + B + "xx"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("CRLF");
  }

  @Test
  void findsTheBoundaryOfAMultipartContentTypeOnly() {
    assertThat(MultipartReader.boundary("multipart/form-data; boundary=abc")).hasValue("abc");
    assertThat(MultipartReader.boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a;b c\"")).hasValue("a;b c");
    assertThat(MultipartReader.boundary("application/json")).isEmpty();
    assertThat(MultipartReader.boundary("multipart/form-data")).isEmpty();
    assertThat(MultipartReader.boundary("multipart/form-data; boundary=" + "x".repeat(71))).isEmpty();
    assertThat(MultipartReader.boundary(null)).isEmpty();
  }

  @Test
  void aFormReadsAsJsonWithRepeatedNamesAsArrays() {
    MultipartReader reader = new MultipartReader(B);
    reader.feed(new MultipartBody().field("model", "gpt-image-1").field("n", "2")
        .file("image[]", "a.png", "image/png", new byte[] {1, 2})
        .file("image[]", "b.png", "image/png", new byte[] {3})
        .file("mask", "m.png", "image/png", new byte[] {4}).bytes());
    var json = reader.finish().toJson();

    assertThat(json.path("model").asText()).isEqualTo("gpt-image-1");
    assertThat(json.path("n").asText()).isEqualTo("2");
    assertThat(MultipartForm.files(json, "image")).extracting(MultipartForm.FilePart::filename)
        .containsExactly("a.png", "b.png");
    assertThat(MultipartForm.files(json, "image").getFirst().head()).containsExactly(1, 2);
    assertThat(MultipartForm.files(json, "mask")).singleElement().extracting(MultipartForm.FilePart::size).isEqualTo(1L);
    assertThatThrownBy(() -> MultipartForm.files(json, "model")).isInstanceOf(InvalidRequestException.class);
  }

  private static MultipartForm read(String body) {
    MultipartReader reader = new MultipartReader(B);
    reader.feed(body.getBytes(StandardCharsets.ISO_8859_1));
    return reader.finish();
  }
}
