package dev.spillway.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A WAV file on disk and the multipart form that sends it as {@code POST /v1/audio/transcriptions}: the file first,
 * then the {@code model} field, as the SDKs may order them (so the gateway finds the model only after the whole file
 * passed). The body is streamed from the file as it is sent, never held in this process's memory: the harness must
 * not need the heap it measures in another process.
 */
final class WavUpload {
  private static final String BOUNDARY = "----spillway-bench-upload-3f9a";
  /** Mono, 16-bit, 16 kHz: 32,000 bytes a second of audio. */
  private static final int RATE = 16_000;
  private static final int HEADER_BYTES = 44;

  private final Path file;
  private final byte[] head;
  private final byte[] tail;

  private WavUpload(Path file, String model) {
    this.file = file;
    this.head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
        + file.getFileName() + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    this.tail = ("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
        + "\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes a WAV of {@code bytes} in all (a RIFF header, then silence) to {@code file}, to be sent with the form
   * field {@code model}.
   */
  static WavUpload write(Path file, long bytes, String model) {
    long data = Math.max(0, bytes - HEADER_BYTES) & ~1L;
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put(ascii("RIFF")).putInt((int) (36 + data)).put(ascii("WAVE"));
    h.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(RATE * 2)
        .putShort((short) 2).putShort((short) 16);
    h.put(ascii("data")).putInt((int) data);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(h.array());
      byte[] zeros = new byte[1 << 16];
      for (long left = data; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new WavUpload(file, model);
  }

  /** The WAV file's size in bytes. */
  long fileBytes() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole form's size: what goes over the wire as the request body. */
  long bodyBytes() {
    return head.length + fileBytes() + tail.length;
  }

  /** An answer: its status, the first characters of its body, and how long the upload took until it arrived. */
  record Answer(int status, String body, long nanos) {}

  /** Sends the form to {@code url} with {@code headers} and waits for the answer. */
  Answer send(HttpClient client, String url, Map<String, String> headers, Duration timeout) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head), ofFile(),
            HttpRequest.BodyPublishers.ofByteArray(tail)));
    headers.forEach(req::header);
    long start = System.nanoTime();
    try {
      HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - start;
      String body = resp.body();
      return new Answer(resp.statusCode(), body.length() > 300 ? body.substring(0, 300) + "…" : body, nanos);
    } catch (IOException e) {
      throw new UncheckedIOException("upload to " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpRequest.BodyPublisher ofFile() {
    try {
      return HttpRequest.BodyPublishers.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
