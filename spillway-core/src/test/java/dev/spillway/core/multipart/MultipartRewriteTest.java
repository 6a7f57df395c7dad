package dev.spillway.core.multipart;

import static dev.spillway.core.multipart.Forms.apply;
import static dev.spillway.core.multipart.Forms.scan;
import static dev.spillway.core.multipart.Forms.slice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.multipart.MultipartScanner.Part;
import dev.spillway.core.multipart.MultipartScanner.Result;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartRewriteTest {
  private static final String B = "0a1b2c3d4e5f";
  private static final byte[] AUDIO = "ID3\u0004\0\r\n--0a1b\r\n\0\0 audio frames".getBytes(UTF_8);

  private static byte[] upload() {
    return Forms.boundary(B)
        .file("file", "a.mp3", "audio/mpeg", AUDIO)
        .field("model", "whisper")
        .field("language", "en")
        .close()
        .bytes();
  }

  @Test
  void replacesTheModelAfterTheFileAndLeavesEveryOtherByte() {
    byte[] body = upload();
    Result form = scan(B, body);

    List<BodySegment> segments = MultipartRewrite.withField(form, "model", "my-whisper-deployment").orElseThrow();
    byte[] rewritten = apply(segments, body);
    Result again = scan(B, rewritten);

    assertThat(again.isComplete()).isTrue();
    assertThat(again.field("model")).contains("my-whisper-deployment");
    assertThat(again.field("language")).contains("en");
    assertThat(slice(rewritten, again.parts().getFirst())).isEqualTo(AUDIO);
    assertThat(again.parts()).extracting(Part::name, Part::filename)
        .isEqualTo(form.parts().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.name(), p.filename())).toList());
    assertThat(MultipartRewrite.length(segments)).isEqualTo(rewritten.length)
        .isEqualTo(body.length + "my-whisper-deployment".length() - "whisper".length());
    long model = form.part("model").orElseThrow().bodyStart();
    assertThat(segments).containsExactly(
        new BodySegment.Range(0, model),
        new BodySegment.Literal("my-whisper-deployment".getBytes(UTF_8)),
        new BodySegment.Range(form.part("model").orElseThrow().bodyEnd(), body.length));
  }

  @Test
  void theSameValueGivesTheSameBytes() {
    byte[] body = upload();
    Result form = scan(B, body);

    assertThat(apply(MultipartRewrite.withField(form, "model", "whisper").orElseThrow(), body)).isEqualTo(body);
    assertThat(apply(MultipartRewrite.whole(form), body)).isEqualTo(body);
  }

  @Test
  void everyFieldOfThatNameIsReplacedButNoFileOfIt() {
    byte[] body = Forms.boundary(B)
        .field("model", "a")
        .file("model", "model.bin", "application/octet-stream", AUDIO)
        .field("model", "b")
        .close()
        .bytes();
    Result form = scan(B, body);

    byte[] rewritten = apply(MultipartRewrite.withField(form, "model", "deployment").orElseThrow(), body);
    Result again = scan(B, rewritten);

    assertThat(again.parts()).extracting(p -> p.value().orElse("(file)")).containsExactly("deployment", "(file)",
        "deployment");
    assertThat(slice(rewritten, again.parts().get(1))).isEqualTo(AUDIO);
  }

  @Test
  void aMissingFieldIsAddedAsTheLastPart() {
    byte[] body = Forms.boundary(B).file("file", "a.mp3", "audio/mpeg", AUDIO).close().raw("epilogue").bytes();
    Result form = scan(B, body);

    byte[] rewritten = apply(MultipartRewrite.withField(form, "model", "whisper-deployment").orElseThrow(), body);
    Result again = scan(B, rewritten);

    assertThat(again.isComplete()).isTrue();
    assertThat(again.parts()).extracting(Part::name).containsExactly("file", "model");
    assertThat(again.field("model")).contains("whisper-deployment");
    assertThat(slice(rewritten, again.parts().getFirst())).isEqualTo(AUDIO);
    assertThat(new String(rewritten, UTF_8)).endsWith("--" + B + "--\r\nepilogue");
  }

  @Test
  void refusesWhatCouldNotBeSentAsMeant() {
    Result form = scan(B, upload());
    assertThat(MultipartRewrite.withField(form, "model", "x" + B + "y")).as("the value would hold the boundary")
        .isEmpty();
    assertThat(MultipartRewrite.withField(scan(B, Arrays.copyOf(upload(), 80)), "model", "m")).as("truncated")
        .isEmpty();
    assertThat(MultipartRewrite.withField(scan(B, ("--" + B + "--").getBytes(UTF_8)), "model", "m")).as("no parts")
        .isEmpty();
    assertThatThrownBy(() -> MultipartRewrite.withField(form, "a\"b", "m"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MultipartRewrite.withField(form, "", "m")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalsCompareByContentAndDoNotPrintIt() {
    BodySegment.Literal literal = new BodySegment.Literal("secret".getBytes(UTF_8));
    assertThat(literal).isEqualTo(new BodySegment.Literal("secret".getBytes(UTF_8)))
        .hasSameHashCodeAs(new BodySegment.Literal("secret".getBytes(UTF_8)));
    assertThat(literal.toString()).doesNotContain("secret").contains("6 bytes");
    assertThatThrownBy(() -> new BodySegment.Range(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
