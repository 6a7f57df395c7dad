package dev.spillway.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A silent Ogg Opus stream (RFC 7845) of mono audio: a page with the {@code OpusHead} header, a page
 * with {@code OpusTags}, then audio pages of {@value #PACKETS_PER_PAGE} packets (half a second) whose
 * packets are a lone TOC byte (CELT, fullband, 20 ms, one frame of zero bytes: silence, RFC 6716
 * §3.2.1); the last page is marked end-of-stream and its granule position trims the stream to the
 * exact length. Pages are made on demand, so a long clip is never held. Pure.
 */
final class OggOpusPages {
  static final int PACKETS_PER_PAGE = 25;
  private static final int PRE_SKIP = 312;
  private static final int SAMPLES_48K_PER_PACKET = 960;
  private static final byte SILENT_PACKET = (byte) 0xf8;
  private static final int SERIAL = 0x53696d31; // "Sim1"
  private static final int[] CRC_TABLE = crcTable();

  private final long samples48k;
  private final long packets;

  /** @param samples samples at {@link SpeechFormat#SAMPLE_RATE} */
  OggOpusPages(long samples) {
    this.samples48k = samples * 48_000 / SpeechFormat.SAMPLE_RATE;
    this.packets = Math.max(1, (samples48k + SAMPLES_48K_PER_PACKET - 1) / SAMPLES_48K_PER_PACKET);
  }

  /** The {@code OpusHead} page followed by the {@code OpusTags} page. */
  byte[] headerPages() {
    byte[] head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN).put(ascii("OpusHead")).put((byte) 1)
        .put((byte) 1).putShort((short) PRE_SKIP).putInt(SpeechFormat.SAMPLE_RATE).putShort((short) 0).put((byte) 0)
        .array();
    byte[] vendor = ascii("spillway-simulator");
    byte[] tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN)
        .put(ascii("OpusTags")).putInt(vendor.length).put(vendor).putInt(0).array();
    byte[] first = page(0x02, 0, 0, new int[] {head.length}, head);
    byte[] second = page(0, 0, 1, new int[] {tags.length}, tags);
    return ByteBuffer.allocate(first.length + second.length).put(first).put(second).array();
  }

  long audioPageCount() {
    return (packets + PACKETS_PER_PAGE - 1) / PACKETS_PER_PAGE;
  }

  /** Audio page {@code index} (page sequence number {@code index + 2}). */
  byte[] audioPage(long index) {
    long before = index * PACKETS_PER_PAGE;
    int count = (int) Math.min(PACKETS_PER_PAGE, packets - before);
    boolean last = index == audioPageCount() - 1;
    long granule = PRE_SKIP + (last ? samples48k : (before + count) * SAMPLES_48K_PER_PACKET);
    int[] lacing = new int[count];
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      lacing[i] = 1;
      data[i] = SILENT_PACKET;
    }
    return page(last ? 0x04 : 0, granule, index + 2, lacing, data);
  }

  private static byte[] page(int flags, long granule, long sequence, int[] lacing, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(27 + lacing.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("OggS")).put((byte) 0).put((byte) flags).putLong(granule).putInt(SERIAL).putInt((int) sequence)
        .putInt(0).put((byte) lacing.length);
    for (int l : lacing) {
      b.put((byte) l);
    }
    b.put(data);
    byte[] page = b.array();
    b.putInt(22, crc(page));
    return page;
  }

  /** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial 0, no final xor. */
  static int crc(byte[] page) {
    int crc = 0;
    for (byte value : page) {
      crc = crc << 8 ^ CRC_TABLE[(crc >>> 24 ^ value) & 0xff];
    }
    return crc;
  }

  private static int[] crcTable() {
    int[] table = new int[256];
    for (int i = 0; i < 256; i++) {
      int r = i << 24;
      for (int j = 0; j < 8; j++) {
        r = (r & 0x80000000) != 0 ? r << 1 ^ 0x04c11db7 : r << 1;
      }
      table[i] = r;
    }
    return table;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
