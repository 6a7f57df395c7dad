package dev.spillway.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files and multipart forms for the upload routes' tests. */
final class TestUploads {
  static final String BOUNDARY = "----spillway-test-boundary-7d1c";

  private TestUploads() {}

  /** A mono 16-bit 16 kHz WAV of silence lasting {@code seconds}, written to a file in {@code dir}. */
  static Path wav(Path dir, double seconds) throws IOException {
    int rate = 16_000;
    long data = (long) (seconds * rate) * 2;
    Path file = dir.resolve("audio-" + seconds + ".wav");
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + data))
          .put("WAVE".getBytes(StandardCharsets.US_ASCII));
      h.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
          .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
      h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) data);
      out.write(h.array());
      byte[] zeros = new byte[1 << 16];
      for (long left = data; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    }
    return file;
  }

  /** A multipart form ({@link #BOUNDARY}): the file first, then the fields (as the SDKs may order them). */
  static HttpRequest.BodyPublisher form(Path file, String fileField, String... fields) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
        + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      tail.write(("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
          + fields[i + 1]).getBytes(StandardCharsets.UTF_8));
    }
    tail.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head.toByteArray()),
        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail.toByteArray()));
  }
}
