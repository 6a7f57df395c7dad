package dev.spillway.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class WavLengthTest {
  /** A chunk: its id, its declared length, then {@code body} (padded to even when {@code pad}). */
  private static byte[] chunk(String id, long declared, byte[] body, boolean pad) {
    ByteBuffer b = ByteBuffer.allocate(8 + body.length + (pad && body.length % 2 == 1 ? 1 : 0))
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt((int) declared).put(body);
    return b.array();
  }

  private static byte[] fmt(int byteRate) {
    return chunk("fmt ", 16, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1)
        .putShort((short) 2).putInt(byteRate / 4).putInt(byteRate).putShort((short) 4).putShort((short) 16).array(),
        false);
  }

  private static byte[] wav(byte[]... chunks) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write("WAVE".getBytes(StandardCharsets.US_ASCII));
    for (byte[] c : chunks) {
      body.write(c);
    }
    return chunk("RIFF", body.size(), body.toByteArray(), false);
  }

  private static OptionalDouble seconds(byte[] file) throws IOException {
    return WavLength.seconds(new ByteArrayInputStream(file), file.length);
  }

  @Test
  void dataBytesOverTheByteRate() throws Exception {
    // 16-bit stereo at 8 kHz: 32,000 bytes a second; 48,000 bytes of samples are 1.5 s.
    assertThat(seconds(wav(fmt(32_000), chunk("data", 48_000, new byte[48_000], false)))).hasValue(1.5);
  }

  @Test
  void skipsMetadataChunksAndTheirPadding() throws Exception {
    byte[] file = wav(chunk("LIST", 5, new byte[] {1, 2, 3, 4, 5}, true), fmt(16_000),
        chunk("fact", 4, new byte[4], false), chunk("data", 8_000, new byte[8_000], false));
    assertThat(seconds(file)).hasValue(0.5);
  }

  @Test
  void aMissingOrOversizedDataLengthCountsTheBytesThatFollow() throws Exception {
    assertThat(seconds(wav(fmt(1_000), chunk("data", 0xFFFF_FFFFL, new byte[2_500], false)))).hasValue(2.5);
    assertThat(seconds(wav(fmt(1_000), chunk("data", 0, new byte[2_000], false)))).hasValue(2.0);
    // A declared 10,000 bytes of which 1,000 arrived: the file is what it is.
    assertThat(seconds(wav(fmt(1_000), chunk("data", 10_000, new byte[1_000], false)))).hasValue(1.0);
  }

  @Test
  void readsNoFurtherThanTheSizeItIsGiven() throws Exception {
    byte[] file = wav(fmt(1_000), chunk("data", 4_000, new byte[4_000], false));
    byte[] withTrailer = new byte[file.length + 100]; // the multipart delimiter after the file part
    System.arraycopy(file, 0, withTrailer, 0, file.length);
    assertThat(WavLength.seconds(new ByteArrayInputStream(withTrailer), file.length)).hasValue(4.0);
  }

  @Test
  void whatIsNotAWavFileHasNoLength() throws Exception {
    assertThat(seconds("ID3\u0004 an mp3 file, not a wave".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(seconds(new byte[] {'R', 'I', 'F', 'F'})).isEmpty();
    byte[] avi = wav(fmt(1_000), chunk("data", 10, new byte[10], false));
    avi[8] = 'A';
    assertThat(seconds(avi)).isEmpty();
    assertThat(seconds(wav(chunk("data", 10, new byte[10], false), fmt(1_000)))).as("data before fmt").isEmpty();
    assertThat(seconds(wav(fmt(0), chunk("data", 10, new byte[10], false)))).as("byte rate 0").isEmpty();
    assertThat(seconds(wav(chunk("fmt ", 8, new byte[8], false), chunk("data", 10, new byte[10], false))))
        .as("a fmt chunk too short").isEmpty();
  }

  @Test
  void aHeaderCutShortOrEndlessHasNoLength() throws Exception {
    byte[] file = wav(fmt(1_000), chunk("data", 10, new byte[10], false));
    byte[] cut = java.util.Arrays.copyOf(file, 30); // inside the fmt chunk
    assertThat(WavLength.seconds(new ByteArrayInputStream(cut), file.length)).isEmpty();
    assertThat(seconds(wav(fmt(1_000), chunk("LIST", 1_000_000, new byte[10], false)))).as("a chunk past the end")
        .isEmpty();
    byte[][] many = new byte[WavLength.MAX_CHUNKS + 1][];
    many[0] = fmt(1_000);
    for (int i = 1; i < many.length; i++) {
      many[i] = chunk("junk", 0, new byte[0], false);
    }
    byte[] endless = wav(many);
    byte[] withData = java.util.Arrays.copyOf(endless, endless.length + 18);
    System.arraycopy(chunk("data", 10, new byte[10], false), 0, withData, endless.length, 18);
    assertThat(seconds(withData)).as("more chunks than are looked at").isEmpty();
  }
}
