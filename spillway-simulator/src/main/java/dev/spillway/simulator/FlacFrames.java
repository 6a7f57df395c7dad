package dev.spillway.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A silent FLAC stream of 24 kHz, 16-bit mono samples: the {@code fLaC} marker and a STREAMINFO
 * block (MD5 left zero, which means unknown), then fixed-size frames of {@value #BLOCK} samples (the
 * last one shorter) whose only subframe is CONSTANT zero, each with its CRC-8 header check and CRC-16
 * footer. Frames are made on demand, so a long clip is never held. Pure.
 */
final class FlacFrames {
  static final int BLOCK = 4096;
  private static final int BLOCK_SIZE_CODE_4096 = 0b1100;
  private static final int BLOCK_SIZE_CODE_16_BIT_AT_END = 0b0111;
  private static final int SAMPLE_RATE_CODE_24K = 0b0111;

  private final long samples;

  FlacFrames(long samples) {
    this.samples = samples;
  }

  /** {@code fLaC} and the STREAMINFO metadata block (the last block). */
  byte[] header() {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + 34);
    b.put(new byte[] {'f', 'L', 'a', 'C'});
    b.put((byte) 0x80).put((byte) 0).put((byte) 0).put((byte) 34); // last block, STREAMINFO, 34 bytes
    b.putShort((short) BLOCK).putShort((short) BLOCK); // min and max block size
    b.put(new byte[6]); // min and max frame size: unknown
    long packed = (long) SpeechFormat.SAMPLE_RATE << 44 | 0L << 41 | 15L << 36 | (samples & 0xf_ffff_ffffL);
    b.putLong(packed); // sample rate (20 bits), channels - 1 (3), bits per sample - 1 (5), total samples (36)
    b.put(new byte[16]); // MD5 of the samples: unknown
    return b.array();
  }

  long frameCount() {
    return (samples + BLOCK - 1) / BLOCK;
  }

  /** Frame {@code index}: header, one CONSTANT subframe of 0, CRC-16. */
  byte[] frame(long index) {
    int size = (int) Math.min(BLOCK, samples - index * BLOCK);
    ByteArrayOutputStream f = new ByteArrayOutputStream(24);
    f.write(0xff);
    f.write(0xf8); // sync code, fixed block size
    f.write((size == BLOCK ? BLOCK_SIZE_CODE_4096 : BLOCK_SIZE_CODE_16_BIT_AT_END) << 4 | SAMPLE_RATE_CODE_24K);
    f.write(0b0000_100_0); // mono, 16 bits per sample
    f.writeBytes(utf8Number(index));
    if (size != BLOCK) {
      f.write((size - 1) >>> 8);
      f.write(size - 1);
    }
    f.write(crc8(f.toByteArray()));
    f.write(0); // subframe header: CONSTANT, no wasted bits
    f.write(0);
    f.write(0); // the constant sample, 16 bits
    int crc = crc16(f.toByteArray());
    f.write(crc >>> 8);
    f.write(crc);
    return f.toByteArray();
  }

  /** FLAC's frame number coding: UTF-8's scheme stretched to 31 bits. */
  static byte[] utf8Number(long n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    int length = 2;
    while (length < 6 && n >= 1L << (5 * length + 1)) {
      length++;
    }
    byte[] out = new byte[length];
    out[0] = (byte) ((0xff00 >>> length) & 0xff | (n >>> (6 * (length - 1))));
    for (int i = 1; i < length; i++) {
      out[i] = (byte) (0x80 | (n >>> (6 * (length - 1 - i))) & 0x3f);
    }
    return out;
  }

  /** CRC-8, polynomial x^8 + x^2 + x + 1, initial 0. */
  static int crc8(byte[] data) {
    int crc = 0;
    for (byte value : data) {
      crc ^= value & 0xff;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x07) & 0xff : crc << 1 & 0xff;
      }
    }
    return crc;
  }

  /** CRC-16, polynomial x^16 + x^15 + x^2 + 1, initial 0. */
  static int crc16(byte[] data) {
    int crc = 0;
    for (byte value : data) {
      crc ^= (value & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1 ^ 0x8005) & 0xffff : crc << 1 & 0xffff;
      }
    }
    return crc;
  }
}
