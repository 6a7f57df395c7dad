package dev.spillway.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Tiny valid PNG images (8×8, 8-bit RGB, a two-colour checkerboard whose colours come from the given
 * random) for the images API: whatever size was asked for, a client gets bytes that any PNG decoder
 * opens, without the simulator spending memory or time on real pixels. Also reads a PNG's dimensions
 * from its header, to price an uploaded image. Pure.
 */
final class PngImage {
  static final int SIDE = 8;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private PngImage() {}

  /** An 8×8 checkerboard PNG in two colours drawn from {@code random}. */
  static byte[] checkerboard(SplittableRandom random) {
    int[] colours = {random.nextInt(1 << 24), random.nextInt(1 << 24)};
    byte[] raw = new byte[SIDE * (1 + 3 * SIDE)];
    int i = 0;
    for (int y = 0; y < SIDE; y++) {
      raw[i++] = 0; // filter type None
      for (int x = 0; x < SIDE; x++) {
        int rgb = colours[(x + y) & 1];
        raw[i++] = (byte) (rgb >>> 16);
        raw[i++] = (byte) (rgb >>> 8);
        raw[i++] = (byte) rgb;
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(SIGNATURE);
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(SIDE).putInt(SIDE)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(png, "IDAT", deflate(raw));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** {@code {width, height}} from a PNG's first bytes, or null when they are not a PNG header. */
  static int[] dimensions(byte[] head) {
    if (head.length < 24) {
      return null;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (head[i] != SIGNATURE[i]) {
        return null;
      }
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    if (!"IHDR".equals(new String(head, 12, 4, StandardCharsets.ISO_8859_1))) {
      return null;
    }
    int width = b.getInt(16);
    int height = b.getInt(20);
    return width > 0 && height > 0 ? new int[] {width, height} : null;
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typeBytes);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[256];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
