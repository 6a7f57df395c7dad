package dev.spillway.core.tokens;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an image's width and height from the header of a base64 {@code data:} URL, without
 * decoding the pixels. Knows PNG, JPEG, GIF and WebP (the formats the vision API accepts), sniffed
 * from the bytes rather than trusted from the declared media type. Pure and thread-safe.
 */
final class ImageDimensions {
  /** Stop looking for a JPEG frame header after this many decoded bytes (EXIF can be large). */
  private static final long MAX_SCAN_BYTES = 32L * 1024 * 1024;

  record Size(int widthPx, int heightPx) {}

  private ImageDimensions() {}

  /** Empty for a non-data URL, a non-base64 payload, an unknown format or a truncated header. */
  static Optional<Size> fromDataUrl(String url) {
    if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
      return Optional.empty();
    }
    int comma = url.indexOf(',');
    if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
      return Optional.empty();
    }
    try (InputStream in = Base64.getMimeDecoder().wrap(new CharsInputStream(url, comma + 1))) {
      return read(in);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<Size> read(InputStream in) throws IOException {
    byte[] head = in.readNBytes(30);
    if (head.length >= 24 && u8(head, 0) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
      return size(be32(head, 16), be32(head, 20));
    }
    if (head.length >= 10 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
      return size(le16(head, 6), le16(head, 8));
    }
    if (head.length >= 30 && ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
      return webp(head);
    }
    if (head.length >= 4 && u8(head, 0) == 0xFF && u8(head, 1) == 0xD8) {
      return jpeg(head, in);
    }
    return Optional.empty();
  }

  private static Optional<Size> webp(byte[] h) {
    if (ascii(h, 12, "VP8 ")) { // lossy: frame tag (3 bytes), start code, 14-bit sizes
      return size(le16(h, 26) & 0x3FFF, le16(h, 28) & 0x3FFF);
    }
    if (ascii(h, 12, "VP8L")) { // lossless: signature byte, then 14 bits width-1, 14 bits height-1
      int bits = u8(h, 21) | u8(h, 22) << 8 | u8(h, 23) << 16 | u8(h, 24) << 24;
      return size((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
    }
    if (ascii(h, 12, "VP8X")) { // extended: 24-bit width-1 and height-1
      return size(le24(h, 24) + 1, le24(h, 27) + 1);
    }
    return Optional.empty();
  }

  /** Walks the marker segments after SOI until a start-of-frame (SOF0..SOF15 bar DHT/JPG/DAC). */
  private static Optional<Size> jpeg(byte[] head, InputStream rest) throws IOException {
    InputStream in = new SequenceInputStream(new ByteArrayInputStream(head, 2, head.length - 2), rest);
    long scanned = 0;
    while (scanned < MAX_SCAN_BYTES) {
      int b = in.read();
      if (b < 0) {
        return Optional.empty();
      }
      if (b != 0xFF) {
        return Optional.empty(); // not at a marker: corrupt stream
      }
      int marker;
      do {
        marker = in.read();
      } while (marker == 0xFF);
      if (marker < 0 || marker == 0xD9 || marker == 0xDA) {
        return Optional.empty(); // end of image or start of scan before any frame header
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
        continue; // standalone markers carry no length
      }
      byte[] len = in.readNBytes(2);
      if (len.length < 2) {
        return Optional.empty();
      }
      int length = be16(len, 0);
      if (length < 2) {
        return Optional.empty();
      }
      boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame) {
        byte[] frame = in.readNBytes(5);
        return frame.length < 5 ? Optional.empty() : size(be16(frame, 3), be16(frame, 1));
      }
      long toSkip = length - 2L;
      scanned += length + 2L;
      in.skipNBytes(toSkip); // EOFException when truncated: no size
    }
    return Optional.empty();
  }

  private static Optional<Size> size(long width, long height) {
    if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new Size((int) width, (int) height));
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int be16(byte[] b, int i) {
    return u8(b, i) << 8 | u8(b, i + 1);
  }

  private static long be32(byte[] b, int i) {
    return (long) be16(b, i) << 16 | be16(b, i + 2);
  }

  private static int le16(byte[] b, int i) {
    return u8(b, i) | u8(b, i + 1) << 8;
  }

  private static int le24(byte[] b, int i) {
    return le16(b, i) | u8(b, i + 2) << 16;
  }

  private static boolean ascii(byte[] b, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The chars of a string from an offset, as ASCII bytes, without copying the string. */
  private static final class CharsInputStream extends InputStream {
    private final String s;
    private int pos;

    CharsInputStream(String s, int from) {
      this.s = s;
      this.pos = from;
    }

    @Override
    public int read() {
      return pos < s.length() ? s.charAt(pos++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= s.length()) {
        return -1;
      }
      int n = Math.min(len, s.length() - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) s.charAt(pos++);
      }
      return n;
    }
  }
}
