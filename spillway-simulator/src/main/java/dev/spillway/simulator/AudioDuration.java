package dev.spillway.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How long an uploaded audio file plays, from what {@link MultipartReader} kept of it: its size and
 * first bytes. A WAV file is measured from its header (the {@code fmt } chunk's byte rate and the
 * {@code data} chunk's length, or the bytes after the header when the length is missing or larger
 * than what arrived, as from a streaming recorder). Any other file is estimated from its size at a
 * typical bitrate for its format (by extension, then content type): 128 kbit/s for mp3, mp4, m4a,
 * mpeg, mpga; 64 kbit/s for ogg, opus, webm; 700 kbit/s for flac; 128 kbit/s otherwise. Pure.
 */
final class AudioDuration {
  private static final long DEFAULT_BYTES_PER_SECOND = 16_000;

  private AudioDuration() {}

  /** Seconds of audio in {@code file}. */
  static double seconds(MultipartForm.FilePart file) {
    Double wav = wavSeconds(file.head(), file.size());
    if (wav != null) {
      return wav;
    }
    return (double) file.size() / bytesPerSecond(file.filename(), file.contentType());
  }

  /** Seconds of a WAV file of {@code size} bytes starting with {@code head}, or null when it is not WAV. */
  static Double wavSeconds(byte[] head, long size) {
    if (head.length < 12 || !tag(head, 0).equals("RIFF") || !tag(head, 8).equals("WAVE")) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    long byteRate = 0;
    int at = 12;
    while (at + 8 <= head.length) {
      String id = tag(head, at);
      long length = Integer.toUnsignedLong(b.getInt(at + 4));
      int body = at + 8;
      if (id.equals("fmt ") && body + 16 <= head.length) {
        int channels = Short.toUnsignedInt(b.getShort(body + 2));
        long sampleRate = Integer.toUnsignedLong(b.getInt(body + 4));
        int bitsPerSample = Short.toUnsignedInt(b.getShort(body + 14));
        byteRate = sampleRate * channels * ((bitsPerSample + 7) / 8);
      } else if (id.equals("data")) {
        if (byteRate == 0) {
          return null;
        }
        long arrived = Math.max(0, size - body);
        long dataBytes = length == 0 || length > arrived ? arrived : length;
        return (double) dataBytes / byteRate;
      }
      at = body + (int) Math.min(length + (length & 1), Integer.MAX_VALUE - body); // chunks are word-aligned
    }
    return null; // a WAV header longer than the kept head: unknown
  }

  private static long bytesPerSecond(String filename, String contentType) {
    String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String format = !extension.isEmpty() ? extension : type.substring(type.indexOf('/') + 1);
    return switch (format) {
      case "ogg", "opus", "webm", "oga" -> 8_000;
      case "flac", "x-flac" -> 87_500;
      default -> DEFAULT_BYTES_PER_SECOND;
    };
  }

  private static String tag(byte[] head, int at) {
    return new String(head, at, 4, StandardCharsets.ISO_8859_1);
  }
}
