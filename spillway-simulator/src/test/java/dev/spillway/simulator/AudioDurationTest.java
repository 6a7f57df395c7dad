package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AudioDurationTest {

  @Test
  void wavDurationComesFromTheHeader() {
    // 44.1 kHz stereo 16-bit: 176,400 bytes a second; 3 s of data.
    byte[] head = MultipartBody.wavHeader(44_100, 2, 3 * 176_400);
    assertThat(AudioDuration.seconds(file("x.bin", null, head, 44 + 3 * 176_400))).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void wavChunksBeforeTheDataAreSkippedAndAMissingLengthIsTheBytesThatArrived() {
    byte[] fmt = MultipartBody.wavHeader(16_000, 1, 0);
    ByteBuffer head = ByteBuffer.allocate(36 + 8 + 10 + 8).order(ByteOrder.LITTLE_ENDIAN);
    head.put(fmt, 0, 36);
    head.put("LIST".getBytes(StandardCharsets.ISO_8859_1)).putInt(9).put(new byte[10]); // odd length, padded
    head.put("data".getBytes(StandardCharsets.ISO_8859_1)).putInt(0xffffffff);
    long size = head.capacity() + 64_000;

    assertThat(AudioDuration.wavSeconds(head.array(), size)).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void otherFilesAreEstimatedFromTheirSize() {
    assertThat(AudioDuration.seconds(file("talk.mp3", "audio/mpeg", new byte[] {'I', 'D', '3'}, 160_000)))
        .isCloseTo(10.0, within(1e-9));
    assertThat(AudioDuration.seconds(file("voice", "audio/ogg", new byte[0], 80_000))).isCloseTo(10.0, within(1e-9));
    assertThat(AudioDuration.seconds(file("truncated.wav", "audio/wav", "RIFF....WAVE".getBytes(), 32_000)))
        .isCloseTo(2.0, within(1e-9));
  }

  private static MultipartForm.FilePart file(String name, String type, byte[] head, long size) {
    return new MultipartForm.FilePart("file", name, type, size, head);
  }
}
