package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLinesTest {
  @Test
  void linesComeWholeInAnyChunkingWithoutTheirLineEndsAndAnOverlongOneIsSkipped() {
    byte[] stream = "data: {\"a\":1}\r\n\r\ndata: 0123456789ABCDEF\n: comment\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 5, stream.length}) {
      List<String> seen = new ArrayList<>();
      SseLines lines = new SseLines(l -> seen.add(new String(l, StandardCharsets.UTF_8)), 16);
      for (int i = 0; i < stream.length; i += chunk) {
        lines.feed(stream, i, Math.min(chunk, stream.length - i));
      }
      assertThat(seen).containsExactly("data: {\"a\":1}", "", ": comment", "data: [DONE]", "");
    }
    assertThat(SseLines.isData("data: x".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(SseLines.isData("event: x".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void aLineOfExactlyTheBoundIsKeptAndOneByteMoreIsNotWhereverTheChunksAndCarriageReturnsFall() {
    byte[] stream = "0123\r4567\n01234567X\nab\r\r\n".getBytes(StandardCharsets.UTF_8);
    for (int chunk = 1; chunk <= stream.length; chunk++) {
      List<String> seen = new ArrayList<>();
      SseLines lines = new SseLines(l -> seen.add(new String(l, StandardCharsets.UTF_8)), 8);
      for (int i = 0; i < stream.length; i += chunk) {
        lines.feed(stream, i, Math.min(chunk, stream.length - i));
      }
      assertThat(seen).as("chunks of %d", chunk).containsExactly("01234567", "ab");
    }
  }

  @Test
  void randomStreamsInRandomChunksGiveTheLinesAByteByByteReaderGives() {
    java.util.Random random = new java.util.Random(20261205);
    byte[] alphabet = {'a', 'd', ':', ' ', '\r', '\n', '\n', 'x'};
    for (int round = 0; round < 2_000; round++) {
      byte[] stream = new byte[random.nextInt(300)];
      for (int i = 0; i < stream.length; i++) {
        stream[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int maxLine = 1 + random.nextInt(40);
      List<String> seen = new ArrayList<>();
      SseLines lines = new SseLines(l -> seen.add(new String(l, StandardCharsets.ISO_8859_1)), maxLine);
      for (int i = 0; i < stream.length; ) {
        int n = Math.min(1 + random.nextInt(64), stream.length - i);
        lines.feed(stream, i, n);
        i += n;
      }
      assertThat(seen).as("round %d", round).isEqualTo(byteByByte(stream, maxLine));
    }
  }

  /** The obvious reader: a byte at a time. */
  private static List<String> byteByByte(byte[] stream, int maxLine) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    boolean overlong = false;
    for (byte b : stream) {
      if (b == '\n') {
        if (!overlong) {
          out.add(line.toString());
        }
        line.setLength(0);
        overlong = false;
      } else if (b != '\r' && !overlong) {
        if (line.length() >= maxLine) {
          overlong = true;
          line.setLength(0);
        } else {
          line.append((char) (b & 0xff));
        }
      }
    }
    return out;
  }
}
