package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/** The silent clips' bytes checked against their formats' specifications. */
class SpeechFormatTest {
  private static final byte[] CHECK = "123456789".getBytes(StandardCharsets.ISO_8859_1);

  @Test
  void wavIsAHeaderThenTheSamples() {
    byte[] wav = all(SpeechFormat.WAV.silence(36_000));
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(wav, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("RIFF");
    assertThat(b.getInt(4)).isEqualTo(wav.length - 8);
    assertThat(b.getShort(22)).isEqualTo((short) 1); // mono
    assertThat(b.getInt(24)).isEqualTo(24_000);
    assertThat(b.getShort(34)).isEqualTo((short) 16);
    assertThat(b.getInt(40)).isEqualTo(72_000).isEqualTo(wav.length - 44);
    assertThat(AudioDuration.wavSeconds(Arrays.copyOf(wav, 64), wav.length)).isEqualTo(1.5);
    assertThat(all(SpeechFormat.PCM.silence(36_000))).hasSize(72_000);
  }

  @Test
  void mp3AndAacAreWholeFramesWithValidHeaders() {
    byte[] mp3 = all(SpeechFormat.MP3.silence(24_000));
    assertThat(mp3.length % 96).isZero();
    assertThat(mp3.length / 96).isEqualTo(42); // ceil(24000 / 576)
    for (int at = 0; at < mp3.length; at += 96) {
      assertThat(Arrays.copyOfRange(mp3, at, at + 4)).containsExactly(0xff, 0xf3, 0x44, 0xc0);
    }
    byte[] aac = all(SpeechFormat.AAC.silence(24_000));
    assertThat(aac.length / 11).isEqualTo(24); // ceil(24000 / 1024)
    int frameLength = (aac[3] & 0x03) << 11 | (aac[4] & 0xff) << 3 | (aac[5] & 0xff) >>> 5;
    assertThat(frameLength).isEqualTo(11);
    assertThat((aac[2] & 0x3c) >>> 2).as("sampling frequency index").isEqualTo(6); // 24 kHz
  }

  @Test
  void flacHasStreamInfoAndCheckedFrames() {
    assertThat(FlacFrames.crc8(CHECK)).isEqualTo(0xf4); // CRC-8 (poly 0x07) check value
    assertThat(FlacFrames.crc16(CHECK)).isEqualTo(0xfee8); // CRC-16/UMTS check value
    assertThat(FlacFrames.utf8Number(0x7f)).containsExactly(0x7f);
    assertThat(FlacFrames.utf8Number(0x80)).containsExactly(0xc2, 0x80);
    assertThat(FlacFrames.utf8Number(0x1000)).containsExactly(0xe1, 0x80, 0x80);

    FlacFrames flac = new FlacFrames(10_000);
    byte[] header = flac.header();
    assertThat(new String(header, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("fLaC");
    long packed = ByteBuffer.wrap(header, 18, 8).getLong();
    assertThat(packed >>> 44).isEqualTo(24_000);
    assertThat(packed & 0xf_ffff_ffffL).isEqualTo(10_000);
    assertThat(flac.frameCount()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      byte[] frame = flac.frame(i);
      int crc = (frame[frame.length - 2] & 0xff) << 8 | frame[frame.length - 1] & 0xff;
      assertThat(crc).isEqualTo(FlacFrames.crc16(Arrays.copyOf(frame, frame.length - 2)));
      int headerLength = frame.length - 2 - 3;
      assertThat(frame[headerLength - 1] & 0xff).isEqualTo(FlacFrames.crc8(Arrays.copyOf(frame, headerLength - 1)));
    }
    byte[] last = flac.frame(2); // 10000 - 8192 = 1808 samples, stored as 1807 after the frame number
    assertThat((last[5] & 0xff) << 8 | last[6] & 0xff).isEqualTo(1807);
  }

  @Test
  void opusIsOggPagesWithCorrectChecksumsAndGranules() {
    assertThat(OggOpusPages.crc(CHECK)).isEqualTo(0x89a1897f); // CRC-32/CKSUM's register before its final xor
    Iterator<byte[]> pages = SpeechFormat.OPUS.silence(36_000); // 1.5 s: 75 packets, 3 audio pages
    byte[] headers = pages.next();
    assertThat(new String(headers, 28, 8, StandardCharsets.ISO_8859_1)).isEqualTo("OpusHead");
    assertChecksum(Arrays.copyOf(headers, 27 + 1 + 19));
    int count = 0;
    byte[] page = null;
    while (pages.hasNext()) {
      page = pages.next();
      assertThat(new String(page, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("OggS");
      assertChecksum(page);
      count++;
    }
    assertThat(count).isEqualTo(3);
    assertThat(page[5]).as("end of stream").isEqualTo((byte) 0x04);
    assertThat(ByteBuffer.wrap(page, 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(312 + 72_000);
  }

  private static void assertChecksum(byte[] page) {
    byte[] zeroed = page.clone();
    Arrays.fill(zeroed, 22, 26, (byte) 0);
    assertThat(ByteBuffer.wrap(page, 22, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(OggOpusPages.crc(zeroed));
  }

  private static byte[] all(Iterator<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEachRemaining(out::writeBytes);
    return out.toByteArray();
  }
}
