package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ImageTokensTest {
  private static final ImageTokens.Rates STANDARD = ImageTokens.Rates.STANDARD;

  private static long high(int w, int h) {
    return ImageTokens.highDetail(new ImageDimensions.Size(w, h), STANDARD);
  }

  @Test
  void theVisionGuidesWorkedExamples() {
    assertThat(high(1024, 1024)).isEqualTo(765);
    assertThat(high(2048, 4096)).isEqualTo(1105);
    assertThat(ImageTokens.forImageUrl(image("https://x/y.png", "low"), STANDARD)).isEqualTo(85);
  }

  @Test
  void smallImagesAreNotScaledUp() {
    assertThat(high(128, 64)).isEqualTo(255);
    assertThat(high(512, 512)).isEqualTo(255);
    assertThat(high(513, 513)).isEqualTo(765);
  }

  @Test
  void unknownSizesAreAssumedToBeFourTiles() {
    assertThat(ImageTokens.forImageUrl(image("https://x/y.png", "high"), STANDARD)).isEqualTo(765);
    assertThat(ImageTokens.forImageUrl(image("data:image/png;base64,!!!!", null), STANDARD)).isEqualTo(765);
    assertThat(ImageTokens.forImageUrl(JsonNodeFactory.instance.textNode("https://x/y.png"), STANDARD)).isEqualTo(765);
  }

  @Test
  void dataUrlsAreSizedFromTheirHeader() {
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(png(3000, 100));
    // fits 2048 wide: 2048 x 68 -> 4 x 1 tiles
    assertThat(ImageTokens.forImageUrl(image(url, "auto"), STANDARD)).isEqualTo(85 + 4 * 170);
  }

  @Test
  void readsPngGifJpegAndWebpHeaders() {
    assertThat(size(png(640, 480))).isEqualTo(new ImageDimensions.Size(640, 480));
    assertThat(size(gif(17, 4000))).isEqualTo(new ImageDimensions.Size(17, 4000));
    assertThat(size(jpeg(1920, 1080, 70_000))).isEqualTo(new ImageDimensions.Size(1920, 1080));
    assertThat(size(webpExtended(5000, 3))).isEqualTo(new ImageDimensions.Size(5000, 3));
    assertThat(ImageDimensions.fromDataUrl("data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))).isEmpty();
    assertThat(ImageDimensions.fromDataUrl("data:image/png,rawbytes")).isEmpty();
    assertThat(ImageDimensions.fromDataUrl("https://example.com/a.png")).isEmpty();
  }

  @Test
  void aTruncatedJpegHasNoSize() {
    byte[] whole = jpeg(800, 600, 1000);
    byte[] cut = java.util.Arrays.copyOf(whole, 500);
    assertThat(ImageDimensions.fromDataUrl("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(cut))).isEmpty();
  }

  private static ImageDimensions.Size size(byte[] bytes) {
    return ImageDimensions.fromDataUrl("data:image/x;base64," + Base64.getEncoder().encodeToString(bytes)).orElseThrow();
  }

  private static ObjectNode image(String url, String detail) {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("url", url);
    return detail == null ? node : node.put("detail", detail);
  }

  private static byte[] png(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(33);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put(new byte[] {8, 2, 0, 0, 0}).putInt(0);
    return b.array();
  }

  private static byte[] gif(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN);
    b.put("GIF87a".getBytes(StandardCharsets.US_ASCII)).putShort((short) w).putShort((short) h);
    return b.array();
  }

  private static byte[] webpExtended(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10);
    b.putInt(0).put((byte) (w - 1)).put((byte) ((w - 1) >> 8)).put((byte) ((w - 1) >> 16));
    b.put((byte) (h - 1)).put((byte) ((h - 1) >> 8)).put((byte) ((h - 1) >> 16));
    return b.array();
  }

  /** SOI, an APP1 segment of {@code exifBytes} filler, SOF0 with the size, EOI. */
  private static byte[] jpeg(int w, int h, int exifBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
    for (int remaining = exifBytes; remaining > 0; remaining -= 60_000) {
      int n = Math.min(remaining, 60_000);
      out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((n + 2) >> 8), (byte) (n + 2)});
      out.writeBytes(new byte[n]);
    }
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC2, 0, 11, 8, (byte) (h >> 8), (byte) h, (byte) (w >> 8), (byte) w, 1, 1, 0x11, 0});
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    return out.toByteArray();
  }
}
