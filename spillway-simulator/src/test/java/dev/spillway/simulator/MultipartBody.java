package dev.spillway.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Builds {@code multipart/form-data} bodies for tests, as a client would send them; a file part may be
 * a generated stream of any length (a header, then zeros), so that a 50 MB upload is never held. Not
 * thread-safe.
 */
final class MultipartBody {
  static final String BOUNDARY = "----SimTestBoundary7MA4YWxkTrZu0gW";
  private final List<Part> parts = new ArrayList<>();

  private record Part(byte[] head, byte[] content, long zeros, LongConsumer progress) {}

  MultipartBody field(String name, String value) {
    parts.add(new Part(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), 0, null));
    return this;
  }

  MultipartBody file(String name, String filename, String contentType, byte[] content) {
    parts.add(new Part(fileHead(name, filename, contentType), content, 0, null));
    return this;
  }

  /**
   * A file of {@code header} followed by {@code zeros} zero bytes, generated while sent; {@code
   * progress} is told how many zeros have been handed to the client so far, every 1 MiB.
   */
  MultipartBody streamedFile(String name, String filename, String contentType, byte[] header, long zeros,
      LongConsumer progress) {
    parts.add(new Part(fileHead(name, filename, contentType), header, zeros, progress));
    return this;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  /** The body as a stream, generated as it is read. */
  InputStream stream() {
    List<InputStream> pieces = new ArrayList<>();
    for (Part p : parts) {
      pieces.add(new ByteArrayInputStream(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
      pieces.add(new ByteArrayInputStream(p.head()));
      pieces.add(new ByteArrayInputStream(p.content()));
      if (p.zeros() > 0) {
        pieces.add(new Zeros(p.zeros(), p.progress()));
      }
      pieces.add(new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.ISO_8859_1)));
    }
    pieces.add(new ByteArrayInputStream(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    return new SequenceInputStream(Collections.enumeration(pieces));
  }

  /** The whole body in memory (for small bodies). */
  byte[] bytes() {
    try (InputStream in = stream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** POSTs this body to {@code path} with the multipart content type and the given header name/value pairs. */
  HttpResponse<String> post(SimHarness harness, Simulator sim, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .timeout(Duration.ofSeconds(60))
        .header("content-type", contentType())
        .POST(HttpRequest.BodyPublishers.ofInputStream(this::stream));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return harness.send(b.build());
  }

  /** A RIFF/WAVE header of 16-bit PCM whose data chunk holds {@code dataBytes}. */
  static byte[] wavHeader(int sampleRate, int channels, long dataBytes) {
    return ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN)
        .put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt((int) (36 + dataBytes))
        .put("WAVE".getBytes(StandardCharsets.ISO_8859_1))
        .put("fmt ".getBytes(StandardCharsets.ISO_8859_1)).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.ISO_8859_1)).putInt((int) dataBytes).array();
  }

  /** A whole WAV file of silence lasting {@code seconds} at 16 kHz mono. */
  static byte[] wav(double seconds) {
    int dataBytes = (int) Math.round(seconds * 16_000) * 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(wavHeader(16_000, 1, dataBytes));
    out.writeBytes(new byte[dataBytes]);
    return out.toByteArray();
  }

  private static byte[] fileHead(String name, String filename, String contentType) {
    return ("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
        + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code length} zero bytes, reporting progress every MiB. */
  private static final class Zeros extends InputStream {
    private static final long REPORT_EVERY = 1 << 20;
    private final long length;
    private final LongConsumer progress;
    private long sent;
    private long nextReport = REPORT_EVERY;

    Zeros(long length, LongConsumer progress) {
      this.length = length;
      this.progress = progress;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (sent >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - sent);
      Arrays.fill(b, off, off + n, (byte) 0);
      sent += n;
      if (progress != null && sent >= nextReport) {
        nextReport += REPORT_EVERY;
        progress.accept(sent);
      }
      return n;
    }
  }
}
